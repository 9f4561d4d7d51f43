/** Runs the storage contract on PostgreSQL (when HEARTH_TEST_POSTGRES_URL is set) in a fresh schema, plus PostgreSQL-only checks. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { openStore, type Store } from '../../src/storage/index.js';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';
import { runStorageContract } from './contract.js';

const baseUrl = process.env.HEARTH_TEST_POSTGRES_URL;

/** The test URL pointed at `schema` (see `?schema=` in openStore). */
function urlFor(schema: string): string {
  const url = new URL(baseUrl!);
  url.searchParams.set('schema', schema);
  return url.toString();
}

function freshSchema(): string {
  return `hearth_test_${randomBytes(6).toString('hex')}`;
}

if (!baseUrl) {
  it('PostgreSQL storage contract', { skip: 'HEARTH_TEST_POSTGRES_URL not set' }, () => {});
} else {
  const schemas: string[] = [];
  const open = (schema: string) => openStore({ database: urlFor(schema), dataDir: tmpdir() });

  after(async () => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await client.end();
    }
  });

  const contractSchema = freshSchema();
  schemas.push(contractSchema);
  runStorageContract('postgres', () => open(contractSchema));

  describe('PostgreSQL backend specifics', () => {
    it('three pools opening a fresh schema at once apply each migration exactly once (pg_advisory_xact_lock)', async () => {
      const schema = freshSchema();
      schemas.push(schema);
      const stores = await Promise.all([open(schema), open(schema), open(schema)]);
      try {
        const applied = stores.flatMap((s) => s.migrations.newlyApplied).sort();
        assert.deepEqual(applied, MIGRATIONS.map((m) => m.id));
        for (const s of stores) assert.deepEqual(s.migrations.applied, MIGRATIONS.map((m) => m.id));
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('?schema= isolates instances sharing one database', async () => {
      const [a, b] = [freshSchema(), freshSchema()];
      schemas.push(a, b);
      const stores: Store[] = [await open(a), await open(b)];
      try {
        await stores[0].serverMeta.set('where', 'a');
        assert.equal(await stores[1].serverMeta.get('where'), undefined);
        await stores[1].serverMeta.set('where', 'b');
        assert.equal(await stores[0].serverMeta.get('where'), 'a');
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('an unreachable server rejects openStore instead of hanging or crashing', async () => {
      const url = new URL(baseUrl);
      url.hostname = '127.0.0.1';
      url.port = '1';
      await assert.rejects(openStore({ database: url.toString(), dataDir: tmpdir() }));
    });
  });
}
