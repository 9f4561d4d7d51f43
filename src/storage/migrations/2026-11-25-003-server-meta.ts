/** Migration: a small key/value table for server-wide settings. */
import type { Migration } from './migration.js';

export const migration: Migration = {
  id: '2026-11-25-003-server-meta',
  sqlite: `
CREATE TABLE server_meta (
  key   TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`,
  postgres: `
CREATE TABLE server_meta (
  key   TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
