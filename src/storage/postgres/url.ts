/** Parses Hearth's PostgreSQL URL: the libpq-style URL pg understands, plus `?schema=NAME` for search_path. */

/** A lowercase unquoted SQL identifier; anything else is refused rather than quoted. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresTarget {
  /** The URL to hand to pg: `schema` removed, `options=-c search_path=NAME` added when a schema was given. */
  connectionString: string;
  /** The schema every connection uses (created at open if missing); undefined keeps the server's search_path. */
  schema?: string;
  /** The URL with the password replaced by `***`, for logs. */
  redacted: string;
}

/**
 * `postgres://user:pass@host:5432/db?schema=hearth_a` puts every table in schema `hearth_a`
 * (created if missing), so several Hearth instances or test runs can share one database.
 * Schema names must be lowercase identifiers (`[a-z_][a-z0-9_]*`, at most 63 characters).
 */
export function parsePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('storage: invalid PostgreSQL URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`storage: not a PostgreSQL URL (scheme ${parsed.protocol})`);
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema !== undefined) {
    if (!SCHEMA_NAME.test(schema)) throw new Error(`storage: invalid schema name in database URL: ${JSON.stringify(schema)}`);
    parsed.searchParams.delete('schema');
    const options = parsed.searchParams.get('options');
    parsed.searchParams.set('options', `${options ? `${options} ` : ''}-c search_path=${schema}`);
  }
  const connectionString = parsed.toString();
  if (parsed.password) parsed.password = '***';
  return { connectionString, schema, redacted: parsed.toString() };
}
