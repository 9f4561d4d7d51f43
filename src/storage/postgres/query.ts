/** Named, parameterised statements for the PostgreSQL stores, and conversions of BIGINT columns. */
import type { QueryResult, QueryResultRow } from 'pg';

/** A named SQL constant. pg prepares it once per connection under `name` and reuses the plan. */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

/** A pool or a checked-out client. */
export interface Queryable {
  query<R extends QueryResultRow>(config: { name?: string; text: string; values?: unknown[] }): Promise<QueryResult<R>>;
}

/** Defines a statement; names are prefixed so they cannot clash with other users of the connection. */
export function statement(name: string, text: string): Statement {
  return { name: `hearth_${name}`, text };
}

/** Runs `stmt` with positional `values` ($1, $2, ...). */
export function run<R extends QueryResultRow>(db: Queryable, stmt: Statement, values: unknown[]): Promise<QueryResult<R>> {
  return db.query<R>({ name: stmt.name, text: stmt.text, values });
}

/** pg returns BIGINT (int8) as a string to avoid precision loss; ms timestamps fit a JS number exactly. */
export function toNumber(value: string | number): number {
  return typeof value === 'number' ? value : Number(value);
}

/** {@link toNumber} for nullable columns. */
export function toNumberOrNull(value: string | number | null): number | null {
  return value === null ? null : toNumber(value);
}
