/** Migration: per-user account data (global and per room) on one strictly increasing stream for /sync. */
import type { Migration } from './migration.js';

// room_id is '' for global account data, so (user_id, room_id, type) can be the primary key.
// stream_id is unique: each write takes MAX(stream_id) + 1, so the stream is strictly increasing.
export const migration: Migration = {
  id: '2026-11-25-020-account-data',
  sqlite: `
CREATE TABLE account_data (
  user_id   TEXT    NOT NULL,
  room_id   TEXT    NOT NULL,
  type      TEXT    NOT NULL,
  content   TEXT    NOT NULL,
  stream_id INTEGER NOT NULL UNIQUE,
  PRIMARY KEY (user_id, room_id, type)
) STRICT;

CREATE INDEX account_data_by_user_stream ON account_data (user_id, stream_id);
`,
  postgres: `
CREATE TABLE account_data (
  user_id   TEXT   NOT NULL,
  room_id   TEXT   NOT NULL,
  type      TEXT   NOT NULL,
  content   TEXT   NOT NULL,
  stream_id BIGINT NOT NULL UNIQUE,
  PRIMARY KEY (user_id, room_id, type)
);

CREATE INDEX account_data_by_user_stream ON account_data (user_id, stream_id);
`,
};
