/** Opens the SQLite backend: connection pragmas, migrations, and the per-area stores over one connection. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../migrations/index.js';
import type { Store, StoreLog } from '../types.js';
import { createSqliteAccountStore } from './accounts.js';
import { createSqliteDeviceStore } from './devices.js';
import { migrateSqlite } from './migrate.js';
import { createSqliteRegistrationTokenStore } from './registration-tokens.js';
import { createSqliteServerMetaStore } from './server-meta.js';
import { createSqliteDriver } from './driver.js';
import { createRoomStore } from '../rooms/room-store.js';
import { createReportStore } from '../reports/report-store.js';
import { createMediaStore } from '../media/media-store.js';
import { createEnvelopeCounterStore } from '../envelope-counters/envelope-counter-store.js';
import { createDirectoryStore } from '../directory/directory-store.js';
import { createProfileStore } from '../profiles/profile-store.js';
import { createE2eStores } from '../e2e/e2e-stores.js';
import { createSqliteAccountDataStore } from './account-data.js';
import { createSqliteFilterStore } from './filters.js';
import { createWalCheckpointer, FALLBACK_AUTOCHECKPOINT_PAGES, WAL_SIZE_LIMIT_BYTES } from './wal-checkpointer.js';
import type { BackgroundThread } from '../../background/background-thread.js';

/** How long a write waits for another connection's write lock (e.g. `hearth user add` beside a running hub). */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** Pragmas applied to every connection, in this order (busy_timeout first so the others can wait for locks). */
const CONNECTION_PRAGMAS = [
  `busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
  // WAL: readers never block the writer, and a second process can write between the hub's transactions.
  'journal_mode = WAL',
  // NORMAL in WAL mode: a commit is in the WAL (OS page cache) before it returns, so it
  // survives the process being killed (kill -9, OOM killer). It is fsynced only at
  // checkpoints, so a power cut or kernel crash can lose the last few commits, though never
  // corrupt the database. FULL would fsync every commit: durable against power loss, at a
  // large cost per write on SD cards.
  'synchronous = NORMAL',
  'foreign_keys = ON',
  // 2 MiB of page cache. better-sqlite3 builds SQLite with a 16 MiB default, which on a Pi is a sixth of the
  // hub's memory for pages the kernel's file cache keeps anyway. The hot index pages fit in 2 MiB, and recent events
  // and state are served from the hub's own caches: 2 MiB measured as fast as 4 MiB, and 4 MB less RSS under load.
  'cache_size = -2048',
];

/** Opens (creating if needed) the SQLite database at `file`, applies migrations and returns the store. */
export async function openSqliteStore(file: string, log?: StoreLog, background?: BackgroundThread): Promise<Store> {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    for (const pragma of CONNECTION_PRAGMAS) db.pragma(pragma);
    const mode = db.pragma('journal_mode', { simple: true });
    if (mode !== 'wal') log?.warn(`storage: SQLite journal_mode is ${String(mode)}, not wal`);
    const migrations = migrateSqlite(db, MIGRATIONS, Date.now, log);
    log?.info(`storage: sqlite ${file}`);
    // With a background thread the WAL is checkpointed there after room writes; see wal-checkpointer.ts.
    const checkpointer = background && createWalCheckpointer(file, background, log);
    if (checkpointer) {
      db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
      db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    }
    const driver = createSqliteDriver(db, checkpointer ? { afterBatch: checkpointer.nudge } : {});
    return {
      backend: 'sqlite',
      accounts: createSqliteAccountStore(db),
      devices: createSqliteDeviceStore(db),
      registrationTokens: createSqliteRegistrationTokenStore(db),
      serverMeta: createSqliteServerMetaStore(db),
      rooms: createRoomStore(driver),
      profiles: createProfileStore(driver),
      reports: createReportStore(driver),
      media: createMediaStore(driver),
      envelopeCounters: createEnvelopeCounterStore(driver),
      directory: createDirectoryStore(driver),
      ...createE2eStores(driver),
      accountData: createSqliteAccountDataStore(db),
      filters: createSqliteFilterStore(db),
      migrations,
      async close() {
        if (!db.open) return;
        checkpointer?.close();
        try {
          db.pragma('optimize'); // refreshes planner statistics; best effort
        } catch (err) {
          log?.warn(`storage: PRAGMA optimize failed: ${(err as Error).message}`);
        }
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
