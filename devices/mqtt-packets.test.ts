/** Unit tests of the browser transport's MQTT 3.1.1 packets: byte layouts from the spec, and the stream parser. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectPacket, createPacketParser, PacketType, parsePublish, pubackPacket, publishPacket, subscribePacket } from './mqtt-packets.js';

const bytes = (s: string) => [...new TextEncoder().encode(s)];

describe('MQTT 3.1.1 packets (OASIS MQTT 3.1.1 §2–§3)', () => {
  it('§3.1 CONNECT: protocol name and level 4, flags for user name, password, will retain, will QoS 1, clean session', () => {
    const p = connectPacket({ clientId: 'c', username: 'u', password: 'p', keepalive: 60, will: { topic: 't', payload: 'off', retain: true } });
    assert.deepEqual([...p], [
      0x10, 27, 0, 4, ...bytes('MQTT'), 4, 0xee, 0, 60,
      0, 1, ...bytes('c'), 0, 1, ...bytes('t'), 0, 3, ...bytes('off'), 0, 1, ...bytes('u'), 0, 1, ...bytes('p'),
    ]);
  });

  it('§3.3 PUBLISH QoS 1 carries a packet id, §3.4 PUBACK echoes it, §3.8 SUBSCRIBE has first byte 0x82', () => {
    assert.deepEqual([...publishPacket('a/b', Uint8Array.of(0xa0), 1, 258, true)], [0x33, 8, 0, 3, ...bytes('a/b'), 1, 2, 0xa0]);
    assert.deepEqual([...publishPacket('a', Uint8Array.of(9), 0, 0, false)], [0x30, 4, 0, 1, ...bytes('a'), 9]);
    assert.deepEqual([...pubackPacket(258)], [0x40, 2, 1, 2]);
    assert.deepEqual([...subscribePacket('x', 7)], [0x82, 6, 0, 7, 0, 1, ...bytes('x'), 1]);
  });

  it('§2.2.3 remaining length: a 205-byte body (200-byte payload) takes two length bytes, and parses back', () => {
    const payload = new Uint8Array(200).fill(7);
    const p = publishPacket('t', payload, 1, 1, false);
    assert.deepEqual([...p.subarray(0, 3)], [0x32, (205 % 128) | 0x80, 1]);
    const [parsed] = createPacketParser().push(p);
    assert.equal(parsed?.type, PacketType.PUBLISH);
    const m = parsePublish(parsed!);
    assert.deepEqual({ ...m, payload: m.payload.length }, { topic: 't', qos: 1, packetId: 1, payload: 200 });
  });

  it('the parser joins packets split across WebSocket messages and splits several in one', () => {
    const stream = new Uint8Array([...pubackPacket(1), ...publishPacket('c', Uint8Array.of(1, 2, 3), 1, 5, false), 0xd0, 0]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const parser = createPacketParser();
      const got = [...parser.push(stream.subarray(0, cut)), ...parser.push(stream.subarray(cut))];
      assert.deepEqual(got.map((p) => p.type), [PacketType.PUBACK, PacketType.PUBLISH, PacketType.PINGRESP], `cut at ${cut}`);
    }
  });

  it('a remaining length longer than four bytes is malformed (§2.2.3)', () => {
    assert.throws(() => createPacketParser().push(Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x01)), /malformed/);
  });
});
