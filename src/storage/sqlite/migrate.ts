/** Applies pending migrations to a SQLite database, each in its own BEGIN IMMEDIATE transaction. */
import type Database from 'better-sqlite3';
import type { Migration } from '../migrations/index.js';
import type { MigrationReport, StoreLog } from '../types.js';

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  id         TEXT    NOT NULL PRIMARY KEY,
  applied_ts INTEGER NOT NULL
) STRICT`;
const SELECT_MIGRATION = 'SELECT 1 AS present FROM schema_migrations WHERE id = ?';
const INSERT_MIGRATION = 'INSERT INTO schema_migrations (id, applied_ts) VALUES (?, ?)';
const SELECT_MIGRATIONS = 'SELECT id FROM schema_migrations ORDER BY id';

/**
 * Brings the schema up to date. BEGIN IMMEDIATE takes the write lock before the "already
 * applied?" check, so a second process opening the same file at the same moment waits
 * (busy_timeout) and then finds the migration recorded: each applies exactly once.
 */
export function migrateSqlite(db: Database.Database, migrations: readonly Migration[], nowTs: () => number, log?: StoreLog): MigrationReport {
  db.exec(CREATE_MIGRATIONS_TABLE);
  const selectMigration = db.prepare<[string], { present: number }>(SELECT_MIGRATION);
  const insertMigration = db.prepare(INSERT_MIGRATION);
  const applyOne = db.transaction((m: Migration): boolean => {
    if (selectMigration.get(m.id)) return false;
    db.exec(m.sqlite);
    insertMigration.run(m.id, nowTs());
    return true;
  });

  const newlyApplied: string[] = [];
  for (const m of migrations) {
    try {
      if (applyOne.immediate(m)) newlyApplied.push(m.id);
    } catch (err) {
      throw new Error(`storage: migration ${m.id} failed: ${(err as Error).message}`, { cause: err });
    }
    if (newlyApplied.at(-1) === m.id) log?.info(`storage: applied migration ${m.id}`);
  }

  const applied = db.prepare<[], { id: string }>(SELECT_MIGRATIONS).all().map((r) => r.id);
  const known = new Set(migrations.map((m) => m.id));
  const unknown = applied.filter((id) => !known.has(id));
  if (unknown.length > 0) log?.warn(`storage: database has migrations this version does not know (${unknown.join(', ')}); was it opened by a newer Hearth?`);
  return { applied, newlyApplied };
}
