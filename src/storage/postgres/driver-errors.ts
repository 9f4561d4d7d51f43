/** Recognises the PostgreSQL error codes that the stores turn into typed storage errors. */

/** SQLSTATE 23503 foreign_key_violation: a row refers to a missing parent. */
export function isForeignKeyViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23503';
}

/** SQLSTATE 23505 unique_violation: a UNIQUE or PRIMARY KEY constraint failed. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23505';
}
