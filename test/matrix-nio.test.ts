/** End-to-end with a second real client, matrix-nio (Debian python3-matrix-nio): login, createRoom, send, incremental sync. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTestHub, type TestHub } from './support/hub.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./fixtures/nio-client.py', import.meta.url));
const haveNio = spawnSync(PYTHON, ['-c', 'import nio'], { stdio: 'ignore' }).status === 0;

let hub: TestHub;
before(async () => {
  hub = await startTestHub();
  await hub.hs.services.accounts.createUser({ localpart: 'nio', password: 'nio-password-1' });
});
after(async () => { await hub.stop(); });

describe('matrix-nio against Hearth (client-server API end to end)', { skip: haveNio ? false : 'python3-matrix-nio is not installed (.ci/run installs it)' }, () => {
  it('logs in, creates a room, sends a message and sees it in an incremental sync', async () => {
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(PYTHON, [SCRIPT, hub.clientUrl, '@nio:localhost', 'nio-password-1']);
      let stdout = '', stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c));
      child.stderr.on('data', (c: Buffer) => (stderr += c));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    assert.equal(r.status, 0, r.stderr);
    const seen = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    assert.equal(seen.login, true);
    assert.equal(seen.first_sync, true);
    assert.equal(seen.room_created, true);
    assert.equal(seen.sent, true);
    assert.ok(seen.incremental_bodies.includes('hello from nio'), JSON.stringify(seen));
    assert.equal(seen.room_name, 'nio room');
    assert.deepEqual(seen.quiet_sync_rooms, [], 'a sync with nothing new names no rooms');
  });
});
