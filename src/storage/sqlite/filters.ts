/** SQLite FilterStore: `user_filters`, ids numbered per user from 0, identical uploads deduplicated like Synapse. */
import type Database from 'better-sqlite3';
import { canonicalJson } from '../../events/canonical-json.js';
import type { FilterStore, JsonObject } from '../user-data-types.js';
import { FILTER_ID } from '../user-data-rules.js';

const SELECT_SAME = 'SELECT filter_id FROM user_filters WHERE user_id = ? AND filter_json = ?';
const INSERT_NEXT = `
INSERT INTO user_filters (user_id, filter_id, filter_json)
VALUES (?, (SELECT coalesce(max(filter_id) + 1, 0) FROM user_filters WHERE user_id = ?), ?)
RETURNING filter_id`;
const SELECT_FILTER = 'SELECT filter_json FROM user_filters WHERE user_id = ? AND filter_id = ?';

/** Builds the store over an open, migrated database. */
export function createSqliteFilterStore(db: Database.Database): FilterStore {
  const selectSame = db.prepare<[string, string], { filter_id: number }>(SELECT_SAME);
  const insertNext = db.prepare<[string, string, string], { filter_id: number }>(INSERT_NEXT);
  const selectFilter = db.prepare<[string, number], { filter_json: string }>(SELECT_FILTER);
  // BEGIN IMMEDIATE: the dedup check and the insert see the same table, even beside another process.
  const create = db.transaction((userId: string, json: string): number =>
    selectSame.get(userId, json)?.filter_id ?? insertNext.get(userId, userId, json)!.filter_id);

  return {
    async create(userId, filter) {
      return String(create.immediate(userId, canonicalJson(filter, { lenientNumbers: true })));
    },
    async get(userId, filterId) {
      if (!FILTER_ID.test(filterId)) return undefined;
      const row = selectFilter.get(userId, Number(filterId));
      return row && (JSON.parse(row.filter_json) as JsonObject);
    },
  };
}
