/** Recognises the better-sqlite3 errors that the SQLite stores turn into typed storage errors. */

/** True for a FOREIGN KEY constraint failure (a row refers to a missing parent). */
export function isForeignKeyViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** True for a UNIQUE or PRIMARY KEY constraint failure. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
