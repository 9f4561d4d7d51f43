/** Opens the PostgreSQL backend: a small pg Pool, migrations, and the per-area stores over the pool. */
import pg from 'pg';
import { MIGRATIONS } from '../migrations/index.js';
import type { Store, StoreLog } from '../types.js';
import { createPostgresAccountStore } from './accounts.js';
import { createPostgresDeviceStore } from './devices.js';
import { migratePostgres } from './migrate.js';
import { createPostgresRegistrationTokenStore } from './registration-tokens.js';
import { createPostgresServerMetaStore } from './server-meta.js';
import { parsePostgresUrl } from './url.js';
import { createPostgresDriver } from './driver.js';
import { createRoomStore } from '../rooms/room-store.js';
import { createReportStore } from '../reports/report-store.js';
import { createMediaStore } from '../media/media-store.js';
import { createEnvelopeCounterStore } from '../envelope-counters/envelope-counter-store.js';
import { createDirectoryStore } from '../directory/directory-store.js';
import { createProfileStore } from '../profiles/profile-store.js';
import { createE2eStores } from '../e2e/e2e-stores.js';
import { createPostgresAccountDataStore } from './account-data.js';
import { createPostgresFilterStore } from './filters.js';

/** Connections per store: enough for a hub's concurrency, small enough for a shared server. */
export const POSTGRES_POOL_MAX = 5;

/** Opens a pool on `url` (see parsePostgresUrl for `?schema=`), applies migrations and returns the store. */
export async function openPostgresStore(url: string, log?: StoreLog): Promise<Store> {
  const target = parsePostgresUrl(url);
  const pool = new pg.Pool({ connectionString: target.connectionString, max: POSTGRES_POOL_MAX, idleTimeoutMillis: 30_000 });
  // An idle connection that dies (server restart) emits here; without a listener it would crash the process.
  pool.on('error', (err) => log?.warn(`storage: idle PostgreSQL connection failed: ${err.message}`));
  let migrations;
  try {
    const client = await pool.connect();
    try {
      migrations = await migratePostgres(client, MIGRATIONS, target.schema, Date.now, log);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  log?.info(`storage: postgres ${target.redacted}`);

  let closed: Promise<void> | undefined;
  return {
    backend: 'postgres',
    accounts: createPostgresAccountStore(pool),
    devices: createPostgresDeviceStore(pool),
    registrationTokens: createPostgresRegistrationTokenStore(pool),
    serverMeta: createPostgresServerMetaStore(pool),
    rooms: createRoomStore(createPostgresDriver(pool)),
    profiles: createProfileStore(createPostgresDriver(pool)),
    reports: createReportStore(createPostgresDriver(pool)),
    media: createMediaStore(createPostgresDriver(pool)),
    envelopeCounters: createEnvelopeCounterStore(createPostgresDriver(pool)),
    directory: createDirectoryStore(createPostgresDriver(pool)),
    ...createE2eStores(createPostgresDriver(pool)),
    accountData: createPostgresAccountDataStore(pool),
    filters: createPostgresFilterStore(pool),
    migrations,
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}
