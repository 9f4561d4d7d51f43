/** Migration: per-user profiles (display name and avatar URL), Synapse's `profiles` table keyed by full user id. */
import type { Migration } from './migration.js';

export const migration: Migration = {
  id: '2026-11-25-030-profiles',
  sqlite: `
CREATE TABLE profiles (
  user_id     TEXT NOT NULL PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
  displayname TEXT,
  avatar_url  TEXT
) STRICT;
`,
  postgres: `
CREATE TABLE profiles (
  user_id     TEXT NOT NULL PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
  displayname TEXT,
  avatar_url  TEXT
);
`,
};
