/** Migration: local users, their devices, and access/refresh tokens stored only as hashes. */
import type { Migration } from './migration.js';

export const migration: Migration = {
  id: '2026-11-25-001-accounts',
  sqlite: `
CREATE TABLE users (
  user_id       TEXT    NOT NULL PRIMARY KEY,
  localpart     TEXT    NOT NULL UNIQUE,
  password_hash TEXT,
  admin         INTEGER NOT NULL DEFAULT 0,
  is_guest      INTEGER NOT NULL DEFAULT 0,
  deactivated   INTEGER NOT NULL DEFAULT 0,
  created_ts    INTEGER NOT NULL
) STRICT;

CREATE TABLE devices (
  user_id      TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  device_id    TEXT NOT NULL,
  display_name TEXT,
  last_seen_ts INTEGER,
  PRIMARY KEY (user_id, device_id)
) STRICT;

CREATE TABLE access_tokens (
  token_hash         TEXT NOT NULL PRIMARY KEY,
  user_id            TEXT NOT NULL,
  device_id          TEXT NOT NULL,
  expires_ts         INTEGER,
  refresh_token_hash TEXT UNIQUE,
  FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE
) STRICT;

CREATE INDEX access_tokens_by_device ON access_tokens (user_id, device_id);
`,
  postgres: `
CREATE TABLE users (
  user_id       TEXT    NOT NULL PRIMARY KEY,
  localpart     TEXT    NOT NULL UNIQUE,
  password_hash TEXT,
  admin         BOOLEAN NOT NULL DEFAULT FALSE,
  is_guest      BOOLEAN NOT NULL DEFAULT FALSE,
  deactivated   BOOLEAN NOT NULL DEFAULT FALSE,
  created_ts    BIGINT  NOT NULL
);

CREATE TABLE devices (
  user_id      TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  device_id    TEXT NOT NULL,
  display_name TEXT,
  last_seen_ts BIGINT,
  PRIMARY KEY (user_id, device_id)
);

CREATE TABLE access_tokens (
  token_hash         TEXT NOT NULL PRIMARY KEY,
  user_id            TEXT NOT NULL,
  device_id          TEXT NOT NULL,
  expires_ts         BIGINT,
  refresh_token_hash TEXT UNIQUE,
  FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE
);

CREATE INDEX access_tokens_by_device ON access_tokens (user_id, device_id);
`,
};
