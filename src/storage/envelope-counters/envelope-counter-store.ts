/** EnvelopeCounterStore over the SqlDriver: the `envelope_counters` table, one SQL text for SQLite and PostgreSQL. */
import type { SqlDriver } from '../sql-driver.js';
import type { EnvelopeCounter, EnvelopeCounterStore } from '../envelope-counter-types.js';

const SELECT_ALL = 'SELECT device, public_key, counter FROM envelope_counters ORDER BY device';
/** One upsert: the larger counter for the same key; the new key's counter when the key changed. */
const ADVANCE = `INSERT INTO envelope_counters (device, public_key, counter) VALUES (?, ?, ?)
  ON CONFLICT (device) DO UPDATE SET
    counter = CASE WHEN envelope_counters.public_key <> excluded.public_key OR excluded.counter > envelope_counters.counter
      THEN excluded.counter ELSE envelope_counters.counter END,
    public_key = excluded.public_key`;

interface CounterRow { device: string; public_key: string; counter: number | string | bigint }

export function createEnvelopeCounterStore(db: SqlDriver): EnvelopeCounterStore {
  return {
    async list() {
      const rows = await db.all<CounterRow>(SELECT_ALL);
      return rows.map((r): EnvelopeCounter => ({ device: r.device, publicKey: r.public_key, counter: Number(r.counter) }));
    },
    async advance(device, publicKey, counter) {
      if (!Number.isSafeInteger(counter) || counter < 0) throw new RangeError('counter must be a non-negative safe integer');
      await db.run(ADVANCE, [device, publicKey, counter]);
    },
  };
}
