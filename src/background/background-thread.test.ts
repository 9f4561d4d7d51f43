/** The background thread: WAL checkpoints on its own connection (SQLite "Write-Ahead Logging" §checkpointing), stop when idle. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createBackgroundThread } from './background-thread.js';

describe('background thread', () => {
  it('checkpoints a WAL written by another connection, so the next write restarts the log from its start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-bg-'));
    const file = join(dir, 'x.db');
    const db = new Database(file);
    const thread = createBackgroundThread();
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('wal_autocheckpoint = 0');
      db.exec('CREATE TABLE t (x TEXT)');
      const insert = db.prepare('INSERT INTO t VALUES (?)');
      for (let i = 0; i < 200; i++) insert.run('x'.repeat(2000));
      const walPages = () => statSync(`${file}-wal`).size;
      const before = walPages();
      const r = await thread.checkpoint(file);
      assert.equal(r.busy, 0);
      assert.ok(r.log > 100, `the WAL held the writes (${r.log} frames)`);
      assert.equal(r.checkpointed, r.log, 'every frame was copied into the database');
      // After a full checkpoint the writer reuses the WAL from the start instead of growing it.
      for (let i = 0; i < 200; i++) insert.run('y'.repeat(2000));
      assert.ok(walPages() <= before * 1.1, `WAL ${walPages()} bytes did not grow past ${before}`);
      assert.equal((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 400);
    } finally {
      await thread.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops when idle and starts again on the next job', async () => {
    const thread = createBackgroundThread({ idleMs: 50 });
    try {
      await thread.sign(new Uint8Array(32), [Buffer.from('{}')]);
      assert.ok(thread.running());
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(thread.running(), false, 'stopped after 50 ms idle');
      assert.equal((await thread.sign(new Uint8Array(32), [Buffer.from('{}')])).length, 1);
    } finally {
      await thread.close();
    }
  });
});
