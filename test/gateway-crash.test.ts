/** kill -9 of the hub during a QoS 1 burst: after restart every PUBACKed message is in its room exactly once (issue 5: delivery). */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import mqtt from 'mqtt';
import { runHearth, startHearth, type RunningHub } from './support/cli.js';
import { tempDir } from './support/hub.js';
import { freePort } from './support/mqtt.js';

const dir = tempDir();
let hub: RunningHub | undefined;

after(async () => {
  await hub?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; !check(); await sleep(20)) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

/** Every `seq` value of the readings in a room, read over the client API from the start. */
async function seqsInRoom(clientUrl: string, token: string, roomId: string): Promise<number[]> {
  const seqs: number[] = [];
  let from = '';
  for (;;) {
    const url = `${clientUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=f&limit=1000${from ? `&from=${from}` : ''}`;
    const page = await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json() as { chunk: Array<{ content: Record<string, any> }>; end?: string };
    for (const e of page.chunk) { const v = e.content['org.hearth.reading']?.values?.seq; if (typeof v === 'number') seqs.push(v); }
    if (!page.end || page.chunk.length === 0) return seqs;
    from = page.end;
  }
}

describe('QoS 1 PUBACK only after commit, deduplicated by the device message id (issue 5: delivery)', () => {
  it('kill -9 mid-burst, restart: every acknowledged message is in the room exactly once', async () => {
    const mqttPort = await freePort();
    const clientPort = await freePort();
    const args = ['--data-dir', dir, '--bind', '127.0.0.1', '--client-port', String(clientPort), '--federation-port', 'off', '--coap-port', 'off',
      '--mqtt-port', String(mqttPort), '--log-level', 'error', '--rate-limit', 'off', '--device-rate-limit', '1000000', '--device-rate-burst', '1000000'];
    // No hub runs yet: these commands work on the data dir themselves.
    assert.equal((await runHearth(['user', 'add', 'alice', '--admin', '--password', 'alice-secret-pw', '--data-dir', dir])).code, 0);
    const add = await runHearth(['device', 'add', 'burst', '--profile', 'hearth', '--data-dir', dir]);
    assert.equal(add.code, 0, add.stderr);
    const device = JSON.parse(add.stdout) as { room_id: string; token: string };
    assert.match((await runHearth(['device', 'list', '--data-dir', dir])).stdout, /^burst\thearth\thearth\/burst\tactive\t!/m);

    hub = await startHearth(args);
    await waitFor('the MQTT line', () => hub!.lines.some((l) => l === `MQTT on mqtt://127.0.0.1:${mqttPort}`), 10_000);
    const client = mqtt.connect(`mqtt://127.0.0.1:${mqttPort}`, { username: 'burst', password: device.token, clientId: 'burst-1', clean: false, reconnectPeriod: 100 });
    client.on('error', () => undefined);
    await new Promise((r) => client.once('connect', r));

    const N = 3000;
    const acked = new Set<number>();
    for (let i = 0; i < N; i++) {
      client.publish('hearth/burst/reading', JSON.stringify({ id: `m${i}`, seq: i }), { qos: 1 }, (err) => { if (!err) acked.add(i); });
    }
    await waitFor('some acknowledgements', () => acked.size >= 300, 30_000);
    await hub.stop('SIGKILL');
    const ackedBeforeKill = acked.size;
    assert.ok(ackedBeforeKill < N, 'the kill came in the middle of the burst');

    hub = await startHearth(args);
    await waitFor('every message to be acknowledged after the restart', () => acked.size === N, 120_000);
    await client.endAsync();

    const login = await (await fetch(`${hub.clientUrl}/_matrix/client/v3/login`, {
      method: 'POST', body: JSON.stringify({ type: 'm.login.password', identifier: { type: 'm.id.user', user: 'alice' }, password: 'alice-secret-pw' }),
    })).json() as { access_token: string };
    const join = await fetch(`${hub.clientUrl}/_matrix/client/v3/join/${encodeURIComponent(device.room_id)}`, { method: 'POST', body: '{}', headers: { authorization: `Bearer ${login.access_token}` } });
    assert.equal(join.status, 200);
    const seqs = await seqsInRoom(hub.clientUrl, login.access_token, device.room_id);
    const counts = new Map<number, number>();
    for (const s of seqs) counts.set(s, (counts.get(s) ?? 0) + 1);
    const missing = [...acked].filter((i) => !counts.has(i));
    const doubled = [...counts].filter(([, n]) => n > 1).map(([s]) => s);
    assert.deepEqual({ missing: missing.slice(0, 10), doubled: doubled.slice(0, 10) }, { missing: [], doubled: [] });
    assert.equal(seqs.length, N);
  });
});
