/** Tests of the per-read packet bound on MQTT connections (issue 5: PUBACK after commit, memory under pipelined QoS 1). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import mqttPacket from 'mqtt-packet';
import { limitPacketsPerRead, packetBoundary } from './read-batches.js';

const publish = (n: number, payload = `{"n":${n}}`) =>
  mqttPacket.generate({ cmd: 'publish', topic: 'hearth/kitchen/reading', payload: Buffer.from(payload), qos: 1, messageId: n + 1, retain: false, dup: false });
const PINGREQ = Buffer.from([0xc0, 0x00]);

describe('packetBoundary: MQTT 3.1.1 §2.2.3 remaining length', () => {
  const two = Buffer.concat([publish(1), publish(2)]);
  const big = publish(3, 'x'.repeat(200)); // remaining length in two bytes
  const cases: Array<[string, Buffer, number, number]> = [
    ['one complete packet is not cut', PINGREQ, 1, 2],
    ['cut after the first of three PINGREQs', Buffer.concat([PINGREQ, PINGREQ, PINGREQ]), 1, 2],
    ['cut after two of three', Buffer.concat([PINGREQ, PINGREQ, PINGREQ]), 2, 4],
    ['exactly the limit: nothing left to cut', Buffer.concat([PINGREQ, PINGREQ]), 2, 4],
    ['a packet split mid-body stays whole for the parser', two.subarray(0, two.length - 3), 1, publish(1).length],
    ['fewer complete packets than the limit, then a partial one', two.subarray(0, two.length - 3), 5, two.length - 3],
    ['a multi-byte remaining length', Buffer.concat([big, PINGREQ]), 1, big.length],
    ['a length cut between its own bytes', big.subarray(0, 2), 1, 2],
    ['a malformed five-byte length is left to the parser', Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 0]), 1, 8],
  ];
  for (const [name, buf, max, want] of cases) it(name, () => assert.equal(packetBoundary(buf, max), want));
});

/** A server socket read the way aedes reads it: everything on 'readable', and again only when a batch is handled. */
async function readLikeAedes(send: (client: Socket) => void, total: number, max: number): Promise<{ batches: number[]; ids: number[] }> {
  const batches: number[] = [];
  const ids: number[] = [];
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const done = new Promise<void>((resolve, reject) => {
    server.on('connection', (socket) => {
      limitPacketsPerRead(socket, max);
      const parser = mqttPacket.parser();
      let inBatch = 0;
      parser.on('packet', (p) => { inBatch++; ids.push(p.messageId ?? 0); });
      parser.on('error', reject);
      const next = () => {
        const buf = (socket.read as (size?: number | null) => Buffer | null)(null);
        if (!buf) return;
        inBatch = 0;
        parser.parse(buf);
        if (inBatch) batches.push(inBatch);
        if (ids.length === total) resolve();
        // Handled later, as a commit would be: only then is the socket read again.
        else if (inBatch) setTimeout(next, 2);
      };
      socket.on('readable', next);
    });
  });
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise<void>((r) => client.once('connect', r));
  send(client);
  await done;
  client.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  return { batches, ids };
}

describe('limitPacketsPerRead: a pipelined burst is taken in bounded batches, nothing lost or reordered', () => {
  it('1,000 QoS 1 publishes in one write arrive in order, at most 64 a read', async () => {
    const all = Buffer.concat(Array.from({ length: 1000 }, (_, n) => publish(n)));
    const { batches, ids } = await readLikeAedes((c) => c.write(all), 1000, 64);
    assert.deepEqual(ids, Array.from({ length: 1000 }, (_, n) => n + 1));
    assert.ok(Math.max(...batches) <= 64, `largest batch ${Math.max(...batches)}`);
    assert.ok(batches.length >= 1000 / 64, `${batches.length} batches`);
  });

  it('a packet split across two TCP writes is still delivered whole', async () => {
    const all = Buffer.concat(Array.from({ length: 10 }, (_, n) => publish(n)));
    const { ids } = await readLikeAedes((c) => { c.write(all.subarray(0, 37)); setTimeout(() => c.write(all.subarray(37)), 20); }, 10, 3);
    assert.deepEqual(ids, Array.from({ length: 10 }, (_, n) => n + 1));
  });
});
