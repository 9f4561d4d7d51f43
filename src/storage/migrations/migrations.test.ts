/** Checks the migration list itself: dated ids, strictly ascending, each with SQL for both backends. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIGRATIONS } from './index.js';

const ID = /^\d{4}-\d{2}-\d{2}-\d{3}-[a-z0-9-]+$/;

describe('storage migrations (DESIGN: migrations in dated files)', () => {
  it('ids are dated, unique and strictly ascending', () => {
    for (const m of MIGRATIONS) assert.match(m.id, ID);
    for (let i = 1; i < MIGRATIONS.length; i++) assert.ok(MIGRATIONS[i - 1].id < MIGRATIONS[i].id, MIGRATIONS[i].id);
  });

  it('every dated file in migrations/ is listed, under its own file name', () => {
    const dir = dirname(fileURLToPath(import.meta.url));
    const files = readdirSync(dir).filter((f) => /^\d{4}-/.test(f) && f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
    assert.deepEqual(MIGRATIONS.map((m) => m.id), files);
  });

  it('each migration has SQL for both backends and leaves transaction control to the runner', () => {
    for (const m of MIGRATIONS) {
      for (const sql of [m.sqlite, m.postgres]) {
        assert.ok(sql.trim().length > 0, m.id);
        assert.doesNotMatch(sql, /\b(BEGIN|COMMIT|ROLLBACK)\b/i, m.id);
      }
    }
  });
});
