/** Runs the storage contract on a real SQLite file, plus SQLite-only checks: file layout, WAL, several processes, lazy pg. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openStore } from '../../src/storage/index.js';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';
import { runStorageContract } from './contract.js';

const root = mkdtempSync(join(tmpdir(), 'hearth-sqlite-'));
after(() => rmSync(root, { recursive: true, force: true }));

runStorageContract('sqlite', () => openStore({ dataDir: join(root, 'contract') }));

const CHILD = fileURLToPath(new URL('./fixtures/sqlite-child.ts', import.meta.url));

interface ChildReport {
  newlyApplied: string[];
  consumed: number;
  pgLoaded: boolean;
}

/**
 * Runs the fixture in a fresh node process (tsx loader) and parses the JSON line it prints
 * last. `onOpening` runs when the child says it is about to open the store.
 */
function runChild(dataDir: string, token: string, attempts: number, onOpening?: () => void): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, token, String(attempts)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (onOpening && out.includes('opening\n')) {
        onOpening();
        onOpening = undefined;
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`child exited ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)!) as ChildReport);
    });
  });
}

describe('SQLite backend specifics', () => {
  it('creates <dataDir>/hearth.db (and dataDir itself) in WAL mode', async () => {
    const dataDir = join(root, 'layout', 'nested');
    const store = await openStore({ dataDir });
    await store.close();
    const file = join(dataDir, 'hearth.db');
    assert.ok(existsSync(file));
    const raw = new Database(file, { readonly: true });
    try {
      assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
      const ids = raw.prepare<[], { id: string }>('SELECT id FROM schema_migrations ORDER BY id').all().map((r) => r.id);
      assert.deepEqual(ids, MIGRATIONS.map((m) => m.id));
    } finally {
      raw.close();
    }
  });

  it('send transaction lookups (one, and a group as row values) search the events_by_txn index, never scan events', async () => {
    const dataDir = join(root, 'txn-plan');
    const store = await openStore({ dataDir });
    await store.close();
    const raw = new Database(join(dataDir, 'hearth.db'), { readonly: true });
    try {
      const plan = (sql: string, params: unknown[]) => raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((r) => (r as { detail: string }).detail).join(' | ');
      const one = plan('SELECT event_id FROM events WHERE txn_user = ? AND txn_device = ? AND txn_id = ? AND txn_id IS NOT NULL', ['@a:x', 'D', 't']);
      const many = plan('SELECT txn_user, txn_device, txn_id, event_id FROM events WHERE txn_id IS NOT NULL AND (txn_user, txn_device, txn_id) IN (VALUES (?, ?, ?), (?, ?, ?))', ['@a:x', 'D', 't', '@b:x', 'D', 'u']);
      for (const p of [one, many]) {
        assert.match(p, /USING (COVERING )?INDEX events_by_txn/, p);
        assert.doesNotMatch(p, /SCAN events\b(?! USING)/, p);
      }
      assert.equal((raw.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'event_txns'").get() as { n: number }).n, 0, 'the old table is gone');
    } finally {
      raw.close();
    }
  });

  it('another process waits for the write lock instead of failing (busy_timeout), then writes', async () => {
    const dataDir = join(root, 'shared');
    const hub = await openStore({ dataDir });
    await hub.registrationTokens.add({ token: 'shared', usesAllowed: 3, expiryTime: null });
    await hub.close();
    // Hold the write lock the way a hub's long transaction would, while the child opens and writes.
    const holder = new Database(join(dataDir, 'hearth.db'));
    holder.exec('BEGIN IMMEDIATE');
    holder.prepare("INSERT INTO server_meta (key, value) VALUES ('held', 'yes')").run();
    const child = runChild(dataDir, 'shared', 2, () => {
      setTimeout(() => holder.exec('COMMIT'), 300);
    });
    try {
      const report = await child;
      assert.equal(report.consumed, 2);
    } finally {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
    }
    const reopened = await openStore({ dataDir });
    try {
      assert.equal((await reopened.registrationTokens.get('shared'))?.completed, 2);
      assert.equal(await reopened.serverMeta.get('held'), 'yes');
    } finally {
      await reopened.close();
    }
  });

  it('four processes opening a fresh file at once apply each migration exactly once and share a 3-use token exactly', async () => {
    const dataDir = join(root, 'race');
    // Children race on the very first open; token creation happens in the child that sees it missing.
    const reports = await Promise.all([0, 1, 2, 3].map(() => runChild(dataDir, 'race:3', 5)));
    const applied = reports.flatMap((r) => r.newlyApplied).sort();
    assert.deepEqual(applied, MIGRATIONS.map((m) => m.id));
    assert.equal(reports.reduce((n, r) => n + r.consumed, 0), 3);
  });

  it('opening SQLite does not load the pg module (start-up time and memory)', async () => {
    const report = await runChild(join(root, 'lazy'), '', 0);
    assert.equal(report.pgLoaded, false);
  });
});
