/** Migration: filters uploaded with POST /user/{userId}/filter, numbered per user from 0 like Synapse. */
import type { Migration } from './migration.js';

export const migration: Migration = {
  id: '2026-11-25-021-filters',
  sqlite: `
CREATE TABLE user_filters (
  user_id     TEXT    NOT NULL,
  filter_id   INTEGER NOT NULL,
  filter_json TEXT    NOT NULL,
  PRIMARY KEY (user_id, filter_id)
) STRICT;
`,
  postgres: `
CREATE TABLE user_filters (
  user_id     TEXT   NOT NULL,
  filter_id   BIGINT NOT NULL,
  filter_json TEXT   NOT NULL,
  PRIMARY KEY (user_id, filter_id)
);
`,
};
