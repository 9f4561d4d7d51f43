/** The SqlDriver over one better-sqlite3 connection: statements prepared once and cached by their SQL text. */
import type Database from 'better-sqlite3';
import type { SqlDriver, SqlParam } from '../sql-driver.js';

export function createSqliteDriver(db: Database.Database, opts: { afterBatch?: () => void } = {}): SqlDriver {
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
    return stmt;
  };
  const batch = db.transaction((statements: ReadonlyArray<readonly [string, readonly SqlParam[]]>) =>
    statements.map(([sql, params]) => prepare(sql).run(...params).changes));
  return {
    dialect: 'sqlite',
    all: async <T>(sql: string, params: readonly SqlParam[] = []) => prepare(sql).all(...params) as T[],
    get: async <T>(sql: string, params: readonly SqlParam[] = []) => prepare(sql).get(...params) as T | undefined,
    run: async (sql, params = []) => ({ changes: prepare(sql).run(...params).changes }),
    // BEGIN IMMEDIATE: take the write lock up front so a second process (the CLI) waits rather than fails.
    batch: async (statements) => {
      const changes = batch.immediate(statements);
      opts.afterBatch?.();
      return changes;
    },
  };
}
