/** Migration: registration tokens for `m.login.registration_token`, shaped like Synapse's table minus `pending`. */
import type { Migration } from './migration.js';

export const migration: Migration = {
  id: '2026-11-25-002-registration-tokens',
  sqlite: `
CREATE TABLE registration_tokens (
  token        TEXT    NOT NULL PRIMARY KEY,
  uses_allowed INTEGER CHECK (uses_allowed >= 0),
  completed    INTEGER NOT NULL DEFAULT 0,
  expiry_time  INTEGER
) STRICT;
`,
  postgres: `
CREATE TABLE registration_tokens (
  token        TEXT    NOT NULL PRIMARY KEY,
  uses_allowed INTEGER CHECK (uses_allowed >= 0),
  completed    INTEGER NOT NULL DEFAULT 0,
  expiry_time  BIGINT
);
`,
};
