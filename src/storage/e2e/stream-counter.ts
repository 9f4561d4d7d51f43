/** The e2e stream counters (`e2e_stream_positions`): taking stream ids inside a write transaction, and reading a stream's position. */
import type { SqlDriver, SqlParam } from '../sql-driver.js';
import { canonicalJson } from '../../events/canonical-json.js';

/** The streams that /sync reads incrementally. */
export type E2eStream = 'to_device' | 'device_lists';

type Statement = readonly [string, readonly SqlParam[]];

// PostgreSQL writers of a stream serialise on this lock (released at COMMIT), so ids commit in
// increasing order and a reader never sees id N+1 before N. Keyed by schema, like the other streams.
const LOCK = "SELECT pg_advisory_xact_lock(hashtext('hearth.e2e_stream:' || current_schema() || ':' || ?))";
const BUMP = 'UPDATE e2e_stream_positions SET position = position + 1 WHERE name = ?';
const SELECT_POSITION = 'SELECT position FROM e2e_stream_positions WHERE name = ?';

/** Statements that open a write to `stream` (PostgreSQL: take the stream's advisory lock first). */
export function lockStream(db: SqlDriver, stream: E2eStream): Statement[] {
  return db.dialect === 'postgres' ? [[LOCK, [stream]]] : [];
}

/** The statement that takes the next id of `stream`; later statements of the batch read it as {@link CURRENT_ID}. */
export function nextId(stream: E2eStream): Statement {
  return [BUMP, [stream]];
}

/** A scalar subquery for the id taken by the last {@link nextId} of the batch; its one parameter is the stream name. */
export const CURRENT_ID = '(SELECT position FROM e2e_stream_positions WHERE name = ?)';

/** The highest id handed out on `stream`. */
export async function streamPosition(db: SqlDriver, stream: E2eStream): Promise<number> {
  return Number((await db.get<{ position: number | string }>(SELECT_POSITION, [stream]))?.position ?? 0);
}

/** Key JSON as stored: canonical JSON, so equal keys are equal strings (lenient about numbers, which keys never carry). */
export function storedJson(value: unknown): string {
  try {
    return canonicalJson(value, { lenientNumbers: true });
  } catch {
    return JSON.stringify(value);
  }
}

/** `?, ?, ?` for an IN list. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');
