/** Migration: end-to-end encryption: device/one-time/fallback/cross-signing keys and signatures, stream counters, the device-list stream, to-device inboxes, key backups. */
import type { Migration } from './migration.js';

// Key JSON is stored as canonical JSON text, so equal keys compare equal as strings.
// Stream ids come from e2e_stream_positions (a counter per stream, bumped inside the writing
// transaction), not from MAX(stream_id) + 1: delivered to-device messages are deleted, and an id
// must never be handed out twice.
const tables = (int: string, strict: string, serialKey: string) => `
CREATE TABLE e2e_device_keys (
  user_id   TEXT NOT NULL,
  device_id TEXT NOT NULL,
  key_json  TEXT NOT NULL,
  ts_added  ${int} NOT NULL,
  PRIMARY KEY (user_id, device_id)
)${strict};

CREATE TABLE e2e_one_time_keys (
  id        ${serialKey},
  user_id   TEXT NOT NULL,
  device_id TEXT NOT NULL,
  algorithm TEXT NOT NULL,
  key_id    TEXT NOT NULL,
  key_json  TEXT NOT NULL,
  UNIQUE (user_id, device_id, algorithm, key_id)
)${strict};
CREATE INDEX e2e_one_time_keys_by_age ON e2e_one_time_keys (user_id, device_id, algorithm, id);

CREATE TABLE e2e_fallback_keys (
  user_id   TEXT NOT NULL,
  device_id TEXT NOT NULL,
  algorithm TEXT NOT NULL,
  key_id    TEXT NOT NULL,
  key_json  TEXT NOT NULL,
  used      ${int} NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, device_id, algorithm)
)${strict};

CREATE TABLE e2e_cross_signing_keys (
  user_id  TEXT NOT NULL,
  key_type TEXT NOT NULL,
  key_json TEXT NOT NULL,
  PRIMARY KEY (user_id, key_type)
)${strict};

CREATE TABLE e2e_cross_signing_signatures (
  target_user_id TEXT NOT NULL,
  target_key_id  TEXT NOT NULL,
  signer_user_id TEXT NOT NULL,
  signer_key_id  TEXT NOT NULL,
  signature      TEXT NOT NULL,
  PRIMARY KEY (target_user_id, target_key_id, signer_user_id, signer_key_id)
)${strict};

CREATE TABLE e2e_stream_positions (
  name     TEXT NOT NULL PRIMARY KEY,
  position ${int} NOT NULL
)${strict};
INSERT INTO e2e_stream_positions (name, position) VALUES ('to_device', 0), ('device_lists', 0);

CREATE TABLE device_list_changes (
  stream_id ${int} NOT NULL PRIMARY KEY,
  user_id   TEXT NOT NULL,
  room_id   TEXT NOT NULL,
  viewer    TEXT NOT NULL
)${strict};

CREATE TABLE to_device_inbox (
  stream_id ${int} NOT NULL PRIMARY KEY,
  user_id   TEXT NOT NULL,
  device_id TEXT NOT NULL,
  sender    TEXT NOT NULL,
  type      TEXT NOT NULL,
  content   TEXT NOT NULL
)${strict};
CREATE INDEX to_device_inbox_by_device ON to_device_inbox (user_id, device_id, stream_id);

CREATE TABLE to_device_txns (
  user_id    TEXT NOT NULL,
  device_id  TEXT NOT NULL,
  txn_id     TEXT NOT NULL,
  nonce      TEXT NOT NULL,
  created_ts ${int} NOT NULL,
  PRIMARY KEY (user_id, device_id, txn_id)
)${strict};

CREATE TABLE e2e_room_keys_versions (
  user_id   TEXT NOT NULL,
  version   ${int} NOT NULL,
  algorithm TEXT NOT NULL,
  auth_data TEXT NOT NULL,
  etag      ${int} NOT NULL DEFAULT 0,
  deleted   ${int} NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, version)
)${strict};

CREATE TABLE e2e_room_keys (
  user_id             TEXT NOT NULL,
  version             ${int} NOT NULL,
  room_id             TEXT NOT NULL,
  session_id          TEXT NOT NULL,
  first_message_index ${int} NOT NULL,
  forwarded_count     ${int} NOT NULL,
  is_verified         ${int} NOT NULL,
  session_data        TEXT NOT NULL,
  PRIMARY KEY (user_id, version, room_id, session_id)
)${strict};
`;

export const migration: Migration = {
  id: '2026-11-25-060-e2e',
  sqlite: tables('INTEGER', ' STRICT', 'INTEGER PRIMARY KEY'),
  postgres: tables('BIGINT', '', 'BIGSERIAL PRIMARY KEY'),
};
