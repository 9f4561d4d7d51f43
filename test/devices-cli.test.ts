/** `hearth-device` (issue 7) against a real hub: send, and simulate with progress lines and acknowledgements. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDeviceCli } from '../devices/cli.js';
import { startTestHub, tempDir, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { call } from './support/accounts.js';

let hub: TestHub;
let alice: TestUser;
let mqttUrl: string;
const dir = tempDir('hearth-device-cli-');

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

async function valuesIn(roomId: string): Promise<Array<Record<string, unknown>>> {
  const r = await call(hub, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=50`, undefined, alice.token);
  return (r.body.chunk as Array<{ content: Record<string, any> }>).filter((e) => e.content['org.hearth.reading']).map((e) => e.content['org.hearth.reading'].values);
}

before(async () => {
  hub = await startTestHub({ mqttPort: 0 });
  mqttUrl = hub.hs.gateway()!.mqttUrl!.replace('0.0.0.0', '127.0.0.1');
  alice = await makeUser(hub, 'alice', true);
});

after(async () => { await hub.stop(); });

describe('hearth-device (README "Device SDK")', () => {
  it('send: one reading, printed "acknowledged" once the hub committed it', async () => {
    const d = await hub.hs.devices()!.admin.add({ name: 'cli-send', profile: 'hearth' });
    await call(hub, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(d.room_id)}`, {}, alice.token);
    const o = io();
    const code = await runDeviceCli(['send', '--url', mqttUrl, '--device', d.device, '--token', d.token, '--json', '{"co2":640}'], o.io);
    assert.equal(code, 0, o.err.join('\n'));
    assert.deepEqual(o.out, ['acknowledged']);
    assert.equal((await valuesIn(d.room_id))[0]?.co2, 640);
  });

  it('simulate: two devices from a token file, each reading acknowledged, progress lines with the rate', async () => {
    const a = await hub.hs.devices()!.admin.add({ name: 'sim-a', profile: 'hearth' });
    const b = await hub.hs.devices()!.admin.add({ name: 'sim-b', profile: 'hearth' });
    await call(hub, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(a.room_id)}`, {}, alice.token);
    const file = join(dir, 'tokens.jsonl');
    writeFileSync(file, `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`);
    const o = io();
    const code = await runDeviceCli(['simulate', '--profile', 'switch', '--count', '2', '--rate', '20', '--messages', '3', '--url', mqttUrl, '--token-file', file], o.io);
    assert.equal(code, 0, o.err.join('\n'));
    const { sent, acked, failed, commands } = JSON.parse(o.out.at(-1)!);
    assert.deepEqual({ sent, acked, failed, commands }, { sent: 6, acked: 6, failed: 0, commands: 0 });
    assert.match(o.err.at(-2)!, /sent 6, acknowledged 6 \(\d+\/s\), failed 0, commands 0, ack p50 [\d.]+ ms p99 [\d.]+ ms$/);
    assert.deepEqual((await valuesIn(a.room_id)).map((v) => v.power).reverse(), ['on', 'off', 'on']);
  });

  it('simulate --count 5 --rate 5 --duration 2: paced readings, all acknowledged, a summary with rate and ack latency, all in the rooms', async () => {
    const devs = [];
    for (let i = 0; i < 5; i++) devs.push(await hub.hs.devices()!.admin.add({ name: `fleet-${i}`, profile: 'hearth' }));
    for (const d of devs) await call(hub, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(d.room_id)}`, {}, alice.token);
    const o = io();
    const code = await runDeviceCli(['simulate', '--profile', 'temperature', '--count', '5', '--rate', '5', '--duration', '2', '--url', mqttUrl,
      '--tokens', devs.map((d) => `${d.device}:${d.token}`).join(',')], o.io);
    assert.equal(code, 0, o.err.join('\n'));
    const summary = JSON.parse(o.out.at(-1)!);
    // Each device sends at 0, 200, …, 1800 ms (offset by its place in the interval): 10 readings in 2 s.
    assert.deepEqual({ sent: summary.sent, acked: summary.acked, failed: summary.failed }, { sent: 50, acked: 50, failed: 0 });
    assert.ok(summary.seconds >= 1.8 && summary.ratePerSec > 0 && summary.ackP50Ms > 0 && summary.ackP99Ms >= summary.ackP50Ms, JSON.stringify(summary));
    assert.match(o.err.at(-1)!, /^summary: 5 devices at 5\/s for [\d.]+ s: acknowledged 50 of 50 \([\d.]+\/s sustained\), failed 0, ack latency p50 [\d.]+ ms, p99 [\d.]+ ms$/);
    assert.ok(o.err.some((l) => /^1 s: sent \d+, acknowledged \d+ \(\d+\/s\)/.test(l)), o.err.join('\n'));
    for (const d of devs) {
      const values = await valuesIn(d.room_id);
      assert.equal(values.length, 10, d.device);
      assert.ok(values.every((v) => Number(v.temperature) >= 19 && Number(v.temperature) <= 23), JSON.stringify(values));
    }
  });

  it('simulate refuses --count beyond the tokens given', async () => {
    await assert.rejects(runDeviceCli(['simulate', '--count', '3', '--url', mqttUrl, '--tokens', 'x:y'], io().io), /--count 3 needs that many tokens \(have 1\)/);
  });
});
