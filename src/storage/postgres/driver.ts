/** The SqlDriver over a pg Pool: `?` placeholders converted once per SQL text; batches run in one transaction on one client. */
import type pg from 'pg';
import { createHash } from 'node:crypto';
import { toPostgresPlaceholders, type SqlDriver, type SqlParam } from '../sql-driver.js';

export function createPostgresDriver(pool: pg.Pool): SqlDriver {
  const cache = new Map<string, { name: string; text: string }>();
  const stmt = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = { name: `hearth_d_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`, text: toPostgresPlaceholders(sql) }));
    return s;
  };
  const query = <T>(db: pg.Pool | pg.PoolClient, sql: string, params: readonly SqlParam[]) =>
    db.query({ ...stmt(sql), values: params.map((p) => (typeof p === 'bigint' ? p.toString() : p)) }) as unknown as Promise<pg.QueryResult<T & pg.QueryResultRow>>;
  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params: readonly SqlParam[] = []) => (await query<T>(pool, sql, params)).rows,
    get: async <T>(sql: string, params: readonly SqlParam[] = []) => (await query<T>(pool, sql, params)).rows[0],
    run: async (sql, params = []) => ({ changes: (await query(pool, sql, params)).rowCount ?? 0 }),
    async batch(statements) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out: number[] = [];
        for (const [sql, params] of statements) out.push((await query(client, sql, params)).rowCount ?? 0);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
  };
}
