/** Migration: the gateway's signed-envelope counters, one row per device (highest accepted counter and the key it belongs to). */
import type { Migration } from './migration.js';

const tables = (int: string, strict: string) => `
CREATE TABLE envelope_counters (
  device     TEXT PRIMARY KEY,
  public_key TEXT NOT NULL,
  counter    ${int} NOT NULL
)${strict};
`;

export const migration: Migration = {
  id: '2026-11-25-080-envelope-counters',
  sqlite: tables('INTEGER', ' STRICT'),
  postgres: tables('BIGINT', ''),
};
