/** Applies pending migrations to PostgreSQL, each in its own transaction under a schema-wide advisory lock. */
import type { PoolClient } from 'pg';
import type { Migration } from '../migrations/index.js';
import type { MigrationReport, StoreLog } from '../types.js';

// Transaction-scoped, so COMMIT or ROLLBACK releases it. Keyed by schema so instances in
// different schemas of one database do not wait for each other.
const LOCK_MIGRATIONS = "SELECT pg_advisory_xact_lock(hashtext('hearth.migrations:' || $1::text))";
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  id         TEXT   NOT NULL PRIMARY KEY,
  applied_ts BIGINT NOT NULL
)`;
const SELECT_MIGRATION = 'SELECT 1 FROM schema_migrations WHERE id = $1';
const INSERT_MIGRATION = 'INSERT INTO schema_migrations (id, applied_ts) VALUES ($1, $2)';
const SELECT_MIGRATIONS = 'SELECT id FROM schema_migrations ORDER BY id';

/** Runs `body` in a transaction holding the migration lock; rolls back on error. */
async function locked<T>(client: PoolClient, lockKey: string, body: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query(LOCK_MIGRATIONS, [lockKey]);
    const result = await body();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Brings the schema up to date on one connection. Every step takes pg_advisory_xact_lock
 * first, so concurrent openers queue and each later one finds the migration recorded.
 * `schema` (already validated as a plain identifier) is created if missing.
 */
export async function migratePostgres(
  client: PoolClient,
  migrations: readonly Migration[],
  schema: string | undefined,
  nowTs: () => number,
  log?: StoreLog,
): Promise<MigrationReport> {
  const lockKey = schema ?? '';
  await locked(client, lockKey, async () => {
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(CREATE_MIGRATIONS_TABLE);
  });

  const newlyApplied: string[] = [];
  for (const m of migrations) {
    try {
      const applied = await locked(client, lockKey, async () => {
        if ((await client.query(SELECT_MIGRATION, [m.id])).rowCount) return false;
        await client.query(m.postgres);
        await client.query(INSERT_MIGRATION, [m.id, nowTs()]);
        return true;
      });
      if (applied) {
        newlyApplied.push(m.id);
        log?.info(`storage: applied migration ${m.id}`);
      }
    } catch (err) {
      throw new Error(`storage: migration ${m.id} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  const applied = (await client.query<{ id: string }>(SELECT_MIGRATIONS)).rows.map((r) => r.id);
  const known = new Set(migrations.map((m) => m.id));
  const unknown = applied.filter((id) => !known.has(id));
  if (unknown.length > 0) log?.warn(`storage: database has migrations this version does not know (${unknown.join(', ')}); was it opened by a newer Hearth?`);
  return { applied, newlyApplied };
}
