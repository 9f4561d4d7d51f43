/** Migration: the IP a device was last seen from, and the refresh chain of access tokens (the token each was refreshed from). */
import type { Migration } from './migration.js';

// previous_token_hash: the access token this one was refreshed from. That older row (and its
// refresh token) stays valid until the new access or refresh token is first used (spec
// §"Refreshing access tokens"), then it is deleted and the column cleared.
export const migration: Migration = {
  id: '2026-11-25-031-device-sessions',
  sqlite: `
ALTER TABLE devices ADD COLUMN last_seen_ip TEXT;
ALTER TABLE access_tokens ADD COLUMN previous_token_hash TEXT;
CREATE INDEX access_tokens_by_previous ON access_tokens (previous_token_hash);
`,
  postgres: `
ALTER TABLE devices ADD COLUMN last_seen_ip TEXT;
ALTER TABLE access_tokens ADD COLUMN previous_token_hash TEXT;
CREATE INDEX access_tokens_by_previous ON access_tokens (previous_token_hash);
`,
};
