/** PostgreSQL ServerMetaStore: the `server_meta` key/value table. */
import type { ServerMetaStore } from '../types.js';
import { run, statement, type Queryable } from './query.js';

const SELECT_VALUE = statement('select_server_meta', 'SELECT value FROM server_meta WHERE key = $1');
const UPSERT_VALUE = statement('upsert_server_meta', 'INSERT INTO server_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
const DELETE_VALUE = statement('delete_server_meta', 'DELETE FROM server_meta WHERE key = $1');

/** Builds the store over a pool whose search_path reaches the migrated schema. */
export function createPostgresServerMetaStore(db: Queryable): ServerMetaStore {
  return {
    async get(key) {
      const { rows } = await run<{ value: string }>(db, SELECT_VALUE, [key]);
      return rows[0]?.value;
    },
    async set(key, value) {
      await run(db, UPSERT_VALUE, [key, value]);
    },
    async delete(key) {
      return ((await run(db, DELETE_VALUE, [key])).rowCount ?? 0) > 0;
    },
  };
}
