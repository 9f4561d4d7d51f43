/**
 * WAL checkpoints off the event loop: after writes, a PASSIVE checkpoint runs on the background thread's own
 * connection, so the copy into the database file and its fsyncs never stall a request. SQLite's own
 * auto-checkpoint stays on at a higher mark as a safety net (a stopped thread, or writes that never nudge).
 */
import type { BackgroundThread } from '../../background/background-thread.js';
import type { StoreLog } from '../types.js';

/** WAL pages (4 KiB) before the writing connection checkpoints by itself; normally the thread is well ahead. */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 4000;
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
