/** The shape of one schema migration: an id that sorts by date, and the DDL for each backend. */

/**
 * One migration. `id` is the file's name (`YYYY-MM-DD-NNN-topic`) so ids sort in the order
 * they must apply. Each SQL string may hold several statements; it runs inside the
 * migration's transaction, so it must not contain BEGIN/COMMIT.
 */
export interface Migration {
  readonly id: string;
  readonly sqlite: string;
  readonly postgres: string;
}
