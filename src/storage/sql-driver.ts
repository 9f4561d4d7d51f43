/** A small SQL driver contract shared by SQLite and PostgreSQL, so an area's SQL is written once (`?` placeholders). */

export type SqlParam = string | number | bigint | null;

export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlParam[]): Promise<{ changes: number }>;
  /** Runs the statements in one transaction: all or none. Nothing else runs on the connection meanwhile. */
  batch(statements: ReadonlyArray<readonly [string, readonly SqlParam[]]>): Promise<number[]>;
}

/** `?` placeholders to PostgreSQL's `$1, $2, …` (the SQL in this project never has a literal `?`). */
export function toPostgresPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
