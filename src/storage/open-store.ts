/** The storage factory: picks SQLite or PostgreSQL from the `database` setting and loads only that backend. */
import { isAbsolute, join, resolve } from 'node:path';
import type { Store, StoreLog } from './types.js';
import type { BackgroundThread } from '../background/background-thread.js';

/** The SQLite file used when no database is configured. */
export const DEFAULT_SQLITE_FILE = 'hearth.db';

export interface OpenStoreOptions {
  /**
   * Undefined or '' (the default): SQLite at `<dataDir>/hearth.db`.
   * `sqlite:` / `sqlite://` alone: the same default. `sqlite:PATH`, `sqlite://PATH` or a bare
   * PATH: that SQLite file, relative paths resolved against `dataDir`.
   * `postgres://` or `postgresql://`: PostgreSQL; add `?schema=NAME` to keep every table in
   * schema NAME (created if missing), so several instances or test runs can share a database.
   */
  database?: string;
  /** Home of the default SQLite file; unused by PostgreSQL. */
  dataDir: string;
  log?: StoreLog;
  /** The hub's background thread: with it, SQLite's WAL is checkpointed there instead of on the writer. */
  background?: BackgroundThread;
}

/** Where a `database` setting points. */
export type DatabaseTarget = { backend: 'sqlite'; file: string } | { backend: 'postgres'; url: string };

/** Resolves the `database` setting without touching the disk or the network. */
export function resolveDatabase(database: string | undefined, dataDir: string): DatabaseTarget {
  const value = database?.trim() ?? '';
  if (/^postgres(ql)?:\/\//i.test(value)) return { backend: 'postgres', url: value };
  let path = value;
  if (/^sqlite:/i.test(value)) path = value.replace(/^sqlite:(\/\/)?/i, '');
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw new Error(`storage: unsupported database URL scheme in ${JSON.stringify(value.split(':')[0])}`);
  if (path === '') return { backend: 'sqlite', file: resolve(dataDir, DEFAULT_SQLITE_FILE) };
  return { backend: 'sqlite', file: isAbsolute(path) ? path : resolve(join(dataDir, path)) };
}

/**
 * Opens the configured store and brings its schema up to date. The backend module (and with
 * it `pg` or `better-sqlite3`) is imported only when chosen, so SQLite start-up never loads pg.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const target = resolveDatabase(options.database, options.dataDir);
  if (target.backend === 'postgres') {
    const { openPostgresStore } = await import('./postgres/postgres-store.js');
    return openPostgresStore(target.url, options.log);
  }
  const { openSqliteStore } = await import('./sqlite/sqlite-store.js');
  return openSqliteStore(target.file, options.log, options.background);
}
