/** Checks PostgreSQL URL parsing: `?schema=` becomes a search_path startup option, bad names are refused. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePostgresUrl } from './url.js';

describe('postgres URL (?schema= per connection search_path)', () => {
  it('passes a URL without schema through unchanged', () => {
    const t = parsePostgresUrl('postgres://hearth:secret@127.0.0.1:5432/hearth');
    assert.equal(t.connectionString, 'postgres://hearth:secret@127.0.0.1:5432/hearth');
    assert.equal(t.schema, undefined);
  });

  it('turns ?schema=NAME into options=-c search_path=NAME and drops the schema parameter', () => {
    const t = parsePostgresUrl('postgresql://hearth:secret@db/hearth?schema=hub_1&sslmode=disable');
    assert.equal(t.schema, 'hub_1');
    const u = new URL(t.connectionString);
    assert.equal(u.searchParams.get('schema'), null);
    assert.equal(u.searchParams.get('sslmode'), 'disable');
    assert.equal(u.searchParams.get('options'), '-c search_path=hub_1');
  });

  it('keeps existing startup options next to the search_path', () => {
    const t = parsePostgresUrl('postgres://db/hearth?options=-c%20statement_timeout%3D5000&schema=s');
    assert.equal(new URL(t.connectionString).searchParams.get('options'), '-c statement_timeout=5000 -c search_path=s');
  });

  it('redacts the password for logs', () => {
    const t = parsePostgresUrl('postgres://hearth:secret@db/hearth?schema=s');
    assert.doesNotMatch(t.redacted, /secret/);
    assert.match(t.redacted, /hearth:\*\*\*@db/);
  });

  it('refuses schema names that would need quoting, and other schemes', () => {
    for (const bad of ['Hub', 'a-b', '1abc', 'x;drop', '', 'a'.repeat(64)]) {
      assert.throws(() => parsePostgresUrl(`postgres://db/h?schema=${encodeURIComponent(bad)}`), /invalid schema name/, bad);
    }
    assert.throws(() => parsePostgresUrl('mysql://db/h'), /not a PostgreSQL URL/);
  });
});
