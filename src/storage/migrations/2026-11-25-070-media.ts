/** Migration: the content repository's media table (local uploads and ids created for a later upload). */
import type { Migration } from './migration.js';

const tables = (int: string, strict: string) => `
CREATE TABLE media (
  media_id     TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL,
  created_ts   ${int} NOT NULL,
  expires_ts   ${int},
  content_type TEXT,
  upload_name  TEXT,
  size         ${int},
  sha256       TEXT,
  uploaded_ts  ${int}
)${strict};
CREATE INDEX media_pending_by_user ON media (user_id, expires_ts) WHERE uploaded_ts IS NULL;
`;

export const migration: Migration = {
  id: '2026-11-25-070-media',
  sqlite: tables('INTEGER', ' STRICT'),
  postgres: tables('BIGINT', ''),
};
