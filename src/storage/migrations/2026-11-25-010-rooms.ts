/** Migration: rooms, the event graph (events, state groups, current state, forward extremities), send transactions, aliases and receipts. */
import type { Migration } from './migration.js';

const tables = (int: string, strict: string) => `
CREATE TABLE rooms (
  room_id      TEXT NOT NULL PRIMARY KEY,
  room_version TEXT NOT NULL,
  creator      TEXT,
  is_public    ${int} NOT NULL DEFAULT 0,
  created_ts   ${int} NOT NULL
)${strict};

CREATE TABLE events (
  stream_ordering  ${int} NOT NULL PRIMARY KEY,
  event_id         TEXT NOT NULL UNIQUE,
  room_id          TEXT NOT NULL,
  type             TEXT NOT NULL,
  state_key        TEXT,
  sender           TEXT NOT NULL,
  depth            ${int} NOT NULL,
  origin_server_ts ${int} NOT NULL,
  json             TEXT NOT NULL,
  state_group      ${int},
  rejected         TEXT,
  soft_failed      ${int} NOT NULL DEFAULT 0,
  redacted_by      TEXT,
  txn_user         TEXT,
  txn_device       TEXT,
  txn_id           TEXT,
  rel_type         TEXT,
  relates_to       TEXT,
  thread_root      TEXT
)${strict};
CREATE INDEX events_by_room ON events (room_id, stream_ordering);
-- Partial indexes: most events relate to nothing, and skipping them keeps appends cheap.
CREATE INDEX events_by_relation ON events (relates_to, stream_ordering) WHERE relates_to IS NOT NULL;
CREATE INDEX events_by_rel_type ON events (room_id, rel_type) WHERE rel_type IS NOT NULL;
CREATE INDEX events_by_room_ts ON events (room_id, origin_server_ts);
CREATE INDEX events_by_state ON events (room_id, type, state_key, stream_ordering) WHERE state_key IS NOT NULL;

CREATE TABLE state_groups (
  id          ${int} NOT NULL PRIMARY KEY,
  room_id     TEXT NOT NULL,
  prev_group  ${int},
  chain_len   ${int} NOT NULL
)${strict};

CREATE TABLE state_group_entries (
  group_id  ${int} NOT NULL,
  type      TEXT NOT NULL,
  state_key TEXT NOT NULL,
  event_id  TEXT NOT NULL,
  PRIMARY KEY (group_id, type, state_key)
)${strict};

CREATE TABLE current_state (
  room_id    TEXT NOT NULL,
  type       TEXT NOT NULL,
  state_key  TEXT NOT NULL,
  event_id   TEXT NOT NULL,
  membership TEXT,
  PRIMARY KEY (room_id, type, state_key)
)${strict};
CREATE INDEX current_state_by_member ON current_state (state_key, type);

CREATE TABLE forward_extremities (
  room_id  TEXT NOT NULL,
  event_id TEXT NOT NULL,
  PRIMARY KEY (room_id, event_id)
)${strict};

CREATE TABLE event_txns (
  user_id    TEXT NOT NULL,
  device_id  TEXT NOT NULL,
  scope      TEXT NOT NULL,
  txn_id     TEXT NOT NULL,
  result     TEXT NOT NULL,
  created_ts ${int} NOT NULL,
  PRIMARY KEY (user_id, device_id, scope, txn_id)
)${strict};

CREATE TABLE room_aliases (
  alias      TEXT NOT NULL PRIMARY KEY,
  room_id    TEXT NOT NULL,
  creator    TEXT NOT NULL
)${strict};
CREATE INDEX room_aliases_by_room ON room_aliases (room_id);

CREATE TABLE forgotten_rooms (
  user_id TEXT NOT NULL,
  room_id TEXT NOT NULL,
  PRIMARY KEY (user_id, room_id)
)${strict};

CREATE TABLE receipts (
  room_id      TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  receipt_type TEXT NOT NULL,
  thread_id    TEXT NOT NULL,
  event_id     TEXT NOT NULL,
  ts           ${int} NOT NULL,
  stream_id    ${int} NOT NULL,
  PRIMARY KEY (room_id, user_id, receipt_type, thread_id)
)${strict};
CREATE INDEX receipts_by_stream ON receipts (stream_id);
`;

export const migration: Migration = {
  id: '2026-11-25-010-rooms',
  sqlite: tables('INTEGER', ' STRICT'),
  postgres: tables('BIGINT', ''),
};
