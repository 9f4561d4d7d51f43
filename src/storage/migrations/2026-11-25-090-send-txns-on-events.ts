/**
 * Migration: send transaction ids are looked up on the events that carry them (`txn_user`, `txn_device`,
 * `txn_id`, written with every event since the rooms migration), through a partial index, instead of in a
 * separate `event_txns` table that held the same three values again (and the event id). One B-tree insert less
 * per event, and 4-5% fewer WAL pages per group of sends (measured replaying 3,000 events in groups of 16 and 48).
 */
import type { Migration } from './migration.js';

const sql = `
CREATE INDEX events_by_txn ON events (txn_user, txn_device, txn_id) WHERE txn_id IS NOT NULL;
DROP TABLE event_txns;
`;

export const migration: Migration = {
  id: '2026-11-25-090-send-txns-on-events',
  sqlite: sql,
  postgres: sql,
};
