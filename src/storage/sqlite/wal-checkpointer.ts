/**
 * WAL checkpoints off the event loop: after writes, a PASSIVE checkpoint runs on the background thread's own
 * connection, so the copy into the database file and its fsyncs never stall a request. SQLite's own
 * auto-checkpoint stays on at a higher mark as a safety net (a stopped thread, or writes that never nudge).
 */
import type { BackgroundThread } from '../../background/background-thread.js';
import type { StoreLog } from '../types.js';

/**
 * WAL pages (4 KiB) before the writing connection checkpoints by itself, fsyncs and all, on the event loop. SQLite
 * counts the pages in the file, not those still to copy, and under a steady stream of writes the file only starts
 * over when a write finds it all copied: at 4,000 (16 MB) the hub's own commits checkpointed 15-17 times in 10 s
 * of QoS 1 load, 25-50 ms each. At 16,000 (64 MB) that takes a burst of over 10 s; the thread copies the pages
 * meanwhile. Measured side by side: QoS 1 4,783, 4,656, 4,651/s against 4,631, 4,609, 4,507/s.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 16_000;
/**
 * A WAL file that outgrew the mark is cut back to it when it starts over. Not lower: a limit of 16 MB cut the file
 * at nearly every restart under load, and growing it again cost more than the larger mark saved (QoS 1 4,317,
 * 4,397, 4,618/s against 4,740, 4,579, 4,635/s).
 */
export const WAL_SIZE_LIMIT_BYTES = FALLBACK_AUTOCHECKPOINT_PAGES * 4096;

/** Writes within this window share one checkpoint. */
const DELAY_MS = 200;

export interface WalCheckpointer {
  /** Called after a write: a checkpoint follows within DELAY_MS (one at a time; a nudge meanwhile runs another). */
  nudge(): void;
  close(): void;
}

export function createWalCheckpointer(file: string, thread: BackgroundThread, log?: StoreLog): WalCheckpointer {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  let closed = false;

  async function run(): Promise<void> {
    timer = undefined;
    running = true;
    try {
      await thread.checkpoint(file);
    } catch (err) {
      log?.warn(`storage: background WAL checkpoint failed: ${(err as Error).message}`);
    } finally {
      running = false;
      if (again) { again = false; nudge(); }
    }
  }

  function nudge(): void {
    if (closed) return;
    if (running) { again = true; return; }
    if (timer) return;
    timer = setTimeout(() => void run(), DELAY_MS);
    timer.unref();
  }

  return {
    nudge,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
