/** Checks how the `database` setting selects a backend (DESIGN: SQLite by default, PostgreSQL as the scale path). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { resolveDatabase } from './open-store.js';

const dataDir = '/var/lib/hearth';

describe('storage target (openStore database option)', () => {
  it('defaults to <dataDir>/hearth.db when unset, empty or a bare sqlite: URL', () => {
    for (const db of [undefined, '', '  ', 'sqlite:', 'sqlite://']) {
      assert.deepEqual(resolveDatabase(db, dataDir), { backend: 'sqlite', file: '/var/lib/hearth/hearth.db' }, String(db));
    }
  });

  it('uses an explicit SQLite path, relative ones under dataDir', () => {
    assert.deepEqual(resolveDatabase('/srv/h.db', dataDir), { backend: 'sqlite', file: '/srv/h.db' });
    assert.deepEqual(resolveDatabase('sqlite:///srv/h.db', dataDir), { backend: 'sqlite', file: '/srv/h.db' });
    assert.deepEqual(resolveDatabase('sqlite:other.db', dataDir), { backend: 'sqlite', file: '/var/lib/hearth/other.db' });
    assert.deepEqual(resolveDatabase('sub/x.db', 'rel'), { backend: 'sqlite', file: resolve('rel/sub/x.db') });
  });

  it('selects PostgreSQL for postgres:// and postgresql:// URLs, unchanged', () => {
    for (const url of ['postgres://u:p@h/db', 'postgresql://h/db?schema=a', 'POSTGRES://h/db']) {
      assert.deepEqual(resolveDatabase(url, dataDir), { backend: 'postgres', url });
    }
  });

  it('refuses other URL schemes instead of treating them as file names', () => {
    assert.throws(() => resolveDatabase('mysql://h/db', dataDir), /unsupported database URL scheme/);
  });
});
