/** PostgreSQL FilterStore: `user_filters`, ids numbered per user from 0 under an advisory lock, identical uploads deduplicated. */
import type pg from 'pg';
import { canonicalJson } from '../../events/canonical-json.js';
import type { FilterStore, JsonObject } from '../user-data-types.js';
import { FILTER_ID } from '../user-data-rules.js';
import { run, statement, toNumber } from './query.js';

// Per user and schema: two uploads by the same user serialise; other users do not wait.
const LOCK_USER = statement('lock_user_filters', "SELECT pg_advisory_xact_lock(hashtext('hearth.user_filters:' || current_schema() || ':' || $1))");
const SELECT_SAME = statement('select_same_filter', 'SELECT filter_id FROM user_filters WHERE user_id = $1 AND filter_json = $2');
const INSERT_NEXT = statement('insert_user_filter', `
INSERT INTO user_filters (user_id, filter_id, filter_json)
VALUES ($1, (SELECT coalesce(max(filter_id) + 1, 0) FROM user_filters WHERE user_id = $1), $2)
RETURNING filter_id`);
const SELECT_FILTER = statement('select_user_filter', 'SELECT filter_json FROM user_filters WHERE user_id = $1 AND filter_id = $2');

/** Builds the store over a pool whose search_path reaches the migrated schema. */
export function createPostgresFilterStore(pool: pg.Pool): FilterStore {
  return {
    async create(userId, filter) {
      const json = canonicalJson(filter, { lenientNumbers: true });
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await run(client, LOCK_USER, [userId]);
        const same = await run<{ filter_id: string }>(client, SELECT_SAME, [userId, json]);
        const id = same.rows[0]?.filter_id ?? (await run<{ filter_id: string }>(client, INSERT_NEXT, [userId, json])).rows[0].filter_id;
        await client.query('COMMIT');
        return String(toNumber(id));
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async get(userId, filterId) {
      if (!FILTER_ID.test(filterId)) return undefined;
      const { rows } = await run<{ filter_json: string }>(pool, SELECT_FILTER, [userId, filterId]);
      return rows.length > 0 ? (JSON.parse(rows[0].filter_json) as JsonObject) : undefined;
    },
  };
}
