/** The `hearth` command as an admin runs it: flags, environment, config file, failures as one line, signals, admin commands. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runHearth, startHearth } from './support/cli.js';
import { tempDir } from './support/hub.js';
import { getJson } from './support/http.js';

const loopback = ['--bind', '127.0.0.1', '--federation-port', 'off', '--mqtt-port', 'off', '--coap-port', 'off'];

function assertOneLineError(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.notEqual(r.code, 0);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got: ${r.stderr}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

describe('hearth start: refusing bad settings with one line and a non-zero exit', () => {
  it('refuses an unknown flag', async () => {
    assertOneLineError(await runHearth(['start', '--no-such-flag']), /^hearth: .*--no-such-flag/);
  });
  it('refuses a bad port value', async () => {
    assertOneLineError(await runHearth(['start', '--client-port', 'eighty']), /^hearth: --client-port must be a port/);
  });
  it('refuses a bad registration mode from the environment', async () => {
    assertOneLineError(await runHearth(['start'], { HEARTH_REGISTRATION: 'sometimes' }), /^hearth: --registration must be one of closed, open, token/);
  });
  it('refuses an unknown key in the config file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'hearth.yaml'), 'client_prot: 8008\n');
    assertOneLineError(await runHearth(['start', '--config', join(dir, 'hearth.yaml')]), /unknown setting "client_prot"/);
    rmSync(dir, { recursive: true });
  });
  it('refuses a data dir that cannot be used', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    assertOneLineError(await runHearth(['start', '--data-dir', join(dir, 'file', 'sub'), ...loopback, '--client-port', '0']), /^hearth: data dir .* is not a directory/);
    rmSync(dir, { recursive: true });
  });
  it('refuses a busy port', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    const dir = tempDir();
    try {
      assertOneLineError(await runHearth(['start', '--data-dir', dir, ...loopback, '--client-port', String(port)]), new RegExp(`^hearth: cannot start the client API: port ${port} on 127.0.0.1 is already in use`));
    } finally {
      blocker.close();
      rmSync(dir, { recursive: true });
    }
  });
});

describe('hearth start: serving and stopping', () => {
  it('prints one line per listener, serves /versions, and exits 0 on SIGTERM', async () => {
    const dir = tempDir();
    const hub = await startHearth(['--data-dir', dir, ...loopback, '--client-port', '0']);
    try {
      assert.ok(hub.lines.some((l) => /^client API on http:\/\/127\.0\.0\.1:\d+$/.test(l)));
      const res = await fetch(`${hub.clientUrl}/_matrix/client/versions`);
      assert.equal(res.status, 200);
    } finally {
      assert.equal(await hub.stop('SIGTERM'), 0);
      rmSync(dir, { recursive: true });
    }
  });
  it('takes settings from HEARTH_* variables and from a YAML config file, flags winning', async () => {
    const dir = tempDir();
    const file = join(dir, 'hearth.yaml');
    writeFileSync(file, `server_name: yaml.test\npublic_baseurl: https://from-yaml.test\nfederation-port: "off"\n`);
    const hub = await startHearth(['--config', file, '--data-dir', dir, '--bind', '127.0.0.1', '--client-port', '0', '--mqtt-port', 'off', '--coap-port', 'off'], { HEARTH_PUBLIC_BASEURL: 'https://from-env.test' });
    try {
      assert.ok(!hub.lines.some((l) => l.startsWith('federation API')), 'federation-port off from YAML');
      const wk = await getJson(`${hub.clientUrl}/.well-known/matrix/client`);
      assert.equal(wk['m.homeserver'].base_url, 'https://from-env.test/', 'environment beats the file');
    } finally {
      assert.equal(await hub.stop('SIGINT'), 0);
      rmSync(dir, { recursive: true });
    }
  });
});

describe('hearth user and registration-token commands', () => {
  it('add users and tokens while a hub runs on the same data dir, and list them', async () => {
    const dir = tempDir();
    const hub = await startHearth(['--data-dir', dir, ...loopback, '--client-port', '0']);
    try {
      const added = await runHearth(['user', 'add', 'alice', '--password', 'correct horse', '--admin', '--data-dir', dir]);
      assert.equal(added.code, 0, added.stderr);
      assert.equal(added.stdout.trim(), '@alice:localhost');
      const generated = await runHearth(['user', 'add', 'bob', '--data-dir', dir]);
      assert.equal(generated.code, 0, generated.stderr);
      assert.match(generated.stdout, /^@bob:localhost\npassword: \S{16,}\n$/);
      assertOneLineError(await runHearth(['user', 'add', 'alice', '--data-dir', dir]), /already exists/);
      assertOneLineError(await runHearth(['user', 'add', 'Bad Name!', '--data-dir', dir]), /User ID can only contain/);
      const list = await runHearth(['user', 'list', '--data-dir', dir]);
      assert.equal(list.stdout, '@alice:localhost\tadmin\n@bob:localhost\n');
      const tok = await runHearth(['registration-token', 'add', 'party-2026', '--uses', '3', '--expires', '7d', '--data-dir', dir]);
      assert.equal(tok.stdout.trim(), 'party-2026');
      const tokens = await runHearth(['registration-token', 'list', '--data-dir', dir]);
      assert.match(tokens.stdout, /^party-2026\t0\/3 used\texpires \d{4}-/);
    } finally {
      assert.equal(await hub.stop(), 0);
      rmSync(dir, { recursive: true });
    }
  });
});
