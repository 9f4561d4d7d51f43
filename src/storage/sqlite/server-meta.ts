/** SQLite ServerMetaStore: the `server_meta` key/value table. */
import type Database from 'better-sqlite3';
import type { ServerMetaStore } from '../types.js';

const SELECT_VALUE = 'SELECT value FROM server_meta WHERE key = ?';
const UPSERT_VALUE = 'INSERT INTO server_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';
const DELETE_VALUE = 'DELETE FROM server_meta WHERE key = ?';

/** Builds the store over an open, migrated database. */
export function createSqliteServerMetaStore(db: Database.Database): ServerMetaStore {
  const selectValue = db.prepare<[string], { value: string }>(SELECT_VALUE);
  const upsertValue = db.prepare(UPSERT_VALUE);
  const deleteValue = db.prepare(DELETE_VALUE);
  return {
    async get(key) {
      return selectValue.get(key)?.value;
    },
    async set(key, value) {
      upsertValue.run(key, value);
    },
    async delete(key) {
      return deleteValue.run(key).changes > 0;
    },
  };
}
