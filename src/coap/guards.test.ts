/** The CoAP trust model's datagram guards: LAN-only sources, the per-address rate limit (4.29, RFC 8516), block-wise upload limits (4.13, RFC 7959 §2.9.3). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRateLimiter } from '../http/rate-limit.js';
import { encodeBlock } from './blocks.js';
import { CoapCode } from './codes.js';
import { encodeReply, type DatagramContext } from './datagram.js';
import { createGuards, isLanAddress, type GuardOptions } from './guards.js';

interface Sent { buf: Buffer; port: number; address: string }

function harness(over: Partial<GuardOptions> = {}) {
  let t = 1_000_000;
  const sent: Sent[] = [];
  const acks: Array<[string, number, boolean]> = [];
  const guards = createGuards({
    allow: 'lan', maxBodyBytes: 4096, maxUploads: 2, maxUploadsPerAddress: 1, uploadLifetimeMs: 60_000,
    onAck: (e, id, reset) => acks.push([e, id, reset]), now: () => t, ...over,
  });
  const sock = { send: (buf: Buffer, port: number, address: string) => sent.push({ buf, port, address }) };
  /** Runs one datagram through the guards; true when it reached node-coap (the last `next`). */
  const run = (address: string, packet?: Partial<NonNullable<DatagramContext['packet']>>, port = 40000): boolean => send(address, packet, port).passed;
  const send = (address: string, packet?: Partial<NonNullable<DatagramContext['packet']>>, port = 40000) => {
    const ctx: DatagramContext = {
      raw: Buffer.alloc(20), rsinfo: { address, port, family: 'IPv4' }, server: { _sock: sock },
      packet: packet && { code: '0.02', confirmable: true, ack: false, reset: false, messageId: 7, token: Buffer.from('ab', 'hex'), options: [], payload: Buffer.alloc(0), ...packet },
    };
    let passed = false;
    const chain = [...guards.beforeParse, ...guards.afterParse];
    const step = (i: number) => { if (i === chain.length) passed = true; else chain[i]!(ctx, () => step(i + 1)); };
    step(0);
    return { passed, ctx };
  };
  return { run, send, sent, acks, advance: (ms: number) => { t += ms; } };
}

/** The code of a reply built by encodeReply, as "c.dd". */
const codeOf = (buf: Buffer) => `${buf[1]! >> 5}.${String(buf[1]! & 31).padStart(2, '0')}`;

describe('CoAP trust model: LAN only by default', () => {
  it('counts loopback, RFC 1918, link-local and IPv6 ULA as LAN, and nothing else', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.20', '169.254.9.9', '::1', 'fe80::1%eth0', 'fd12:3456::1', '::ffff:192.168.0.7']) assert.ok(isLanAddress(a), a);
    for (const a of ['8.8.8.8', '172.32.0.1', '100.64.0.1', '2001:db8::1', '::ffff:1.2.3.4', '192.169.0.1']) assert.ok(!isLanAddress(a), a);
  });

  it('drops datagrams from public addresses without answering (no reflection), serves them with allow: any', () => {
    const h = harness();
    assert.equal(h.run('8.8.8.8', {}), false);
    assert.equal(h.sent.length, 0);
    assert.equal(h.run('192.168.1.2', {}), true);
    assert.equal(harness({ allow: 'any' }).run('8.8.8.8', {}), true);
  });
});

describe('CoAP per-source-address rate limit (RFC 8516 4.29)', () => {
  it('answers requests past the burst with 4.29 and Max-Age, piggybacked on the ACK of a CON', () => {
    const h = harness({ rateLimiter: createRateLimiter({ perSecond: 1, burst: 3 }, () => 0) });
    const passed = [1, 2, 3, 4].map(() => h.run('192.168.1.2', {}));
    assert.deepEqual(passed, [true, true, true, false]);
    assert.equal(h.sent.length, 1);
    const reply = h.sent[0]!.buf;
    assert.equal((reply[0]! >> 4) & 3, 2, 'ACK');
    assert.equal(codeOf(reply), CoapCode.TOO_MANY_REQUESTS);
    assert.equal(reply.readUInt16BE(2), 7, 'same message id');
    assert.deepEqual(reply.subarray(4, 5), Buffer.from('ab', 'hex'), 'same token');
    assert.deepEqual(reply.subarray(5), Buffer.from([0xd1, 14 - 13, 1]), 'Max-Age: 1 s');
    assert.equal(h.run('192.168.1.3', {}), true, 'another address has its own bucket');
  });

  it('never limits ACKs and RSTs, and reports them for observe notifications', () => {
    const h = harness({ rateLimiter: createRateLimiter({ perSecond: 1, burst: 1 }, () => 0) });
    for (let i = 0; i < 3; i++) assert.equal(h.run('192.168.1.2', { code: '0.00', ack: true, confirmable: false, messageId: 100 + i }), true);
    assert.equal(h.run('192.168.1.2', { code: '0.00', reset: true, confirmable: false, messageId: 9 }, 5683), true);
    assert.deepEqual(h.acks.at(-1), ['192.168.1.2:5683', 9, true]);
    assert.equal(h.acks.length, 4);
  });
});

describe('RFC 7959 block-wise uploads (Block1), assembled before node-coap', () => {
  const block1 = (num: number, more: boolean, szx = 6) => ({ name: 'Block1', value: encodeBlock({ num, more, szx }) });
  const path = { name: 'Uri-Path', value: Buffer.from('reading') };
  const upload = (num: number, more: boolean, token: number, payload: Buffer, messageId = 100 + num) =>
    ({ options: [path, block1(num, more)], token: Buffer.of(token), payload, messageId });

  it('answers 2.31 Continue to each block with M set, then hands node-coap the whole body as one block, whatever the tokens', () => {
    const h = harness();
    assert.equal(h.run('10.0.0.2', upload(0, true, 1, Buffer.alloc(1024, 1))), false);
    assert.equal(codeOf(h.sent[0]!.buf), CoapCode.CONTINUE);
    assert.deepEqual(h.sent[0]!.buf.subarray(5), Buffer.from([0xd1, 27 - 13, 0x0e]), 'Block1 NUM 0 M 1 echoed');
    assert.equal(h.run('10.0.0.2', upload(1, true, 2, Buffer.alloc(1024, 2))), false, 'libcoap: a new token per block');
    const last = h.send('10.0.0.2', upload(2, false, 3, Buffer.alloc(10, 3)));
    assert.equal(last.passed, true);
    assert.equal(last.ctx.packet!.payload.length, 2058);
    assert.equal(last.ctx.packet!.payload[2057], 3);
    assert.deepEqual(last.ctx.packet!.options[1], block1(0, false), 'one block as far as node-coap knows');
    const again = h.send('10.0.0.2', upload(2, false, 3, Buffer.alloc(10, 3)));
    assert.equal(again.ctx.packet!.payload.length, 2058, 'a retransmitted last block brings the same whole body');
  });

  it('refuses an upload that passes the body limit with 4.13 and Size1, also when Size1 announces it up front', () => {
    const h = harness();
    for (let i = 0; i < 4; i++) assert.equal(h.run('10.0.0.2', upload(i, true, 1, Buffer.alloc(1024))), false);
    assert.equal(h.run('10.0.0.2', upload(4, true, 1, Buffer.alloc(1024))), false);
    assert.equal(codeOf(h.sent[4]!.buf), CoapCode.REQUEST_ENTITY_TOO_LARGE);
    assert.deepEqual(h.sent[4]!.buf.subarray(5), Buffer.from([0xd2, 60 - 13, 0x10, 0x00]), 'Size1: 4096');
    const size1 = { name: 'Size1', value: Buffer.from([0x13, 0x88]) }; // 5000
    assert.equal(h.run('10.0.0.3', { ...upload(0, true, 1, Buffer.alloc(1024)), options: [path, block1(0, true), size1] }), false);
    assert.equal(codeOf(h.sent[5]!.buf), CoapCode.REQUEST_ENTITY_TOO_LARGE);
  });

  it('answers a block that does not continue the body with 4.08 Request Entity Incomplete', () => {
    const h = harness();
    h.run('10.0.0.2', upload(0, true, 1, Buffer.alloc(1024)));
    assert.equal(h.run('10.0.0.2', upload(2, false, 1, Buffer.alloc(5))), false);
    assert.equal(codeOf(h.sent[1]!.buf), CoapCode.REQUEST_ENTITY_INCOMPLETE);
    assert.equal(h.run('10.0.0.9', upload(3, false, 1, Buffer.alloc(5))), false, 'no upload started');
    assert.equal(codeOf(h.sent[2]!.buf), CoapCode.REQUEST_ENTITY_INCOMPLETE);
  });

  it('holds at most the configured number of unfinished uploads (5.03 past them); idle ones are dropped', () => {
    const h = harness();
    const other = (address: string, token: number) => ({ ...upload(0, true, token, Buffer.alloc(1024)), options: [{ name: 'Uri-Path', value: Buffer.from(`r${token}`) }, block1(0, true)] });
    assert.equal(h.run('10.0.0.2', other('10.0.0.2', 1)), false);
    assert.equal(codeOf(h.sent[0]!.buf), CoapCode.CONTINUE);
    h.run('10.0.0.2', other('10.0.0.2', 2));
    assert.equal(codeOf(h.sent[1]!.buf), CoapCode.SERVICE_UNAVAILABLE, 'per address');
    h.run('10.0.0.3', other('10.0.0.3', 3));
    assert.equal(codeOf(h.sent[2]!.buf), CoapCode.CONTINUE);
    h.run('10.0.0.4', other('10.0.0.4', 4));
    assert.equal(codeOf(h.sent[3]!.buf), CoapCode.SERVICE_UNAVAILABLE, 'overall');
    h.advance(61_000);
    h.run('10.0.0.4', other('10.0.0.4', 4));
    assert.equal(codeOf(h.sent[4]!.buf), CoapCode.CONTINUE, 'idle uploads were dropped');
  });
});

describe('encodeReply (RFC 7252 §3 message format)', () => {
  it('builds a NON reply to a NON request with a fresh-looking header and no options', () => {
    const buf = encodeReply({ confirmable: false, messageId: 0x1234, token: Buffer.alloc(0), code: CoapCode.NOT_FOUND });
    assert.deepEqual(buf, Buffer.from([0x50, 0x84, 0x12, 0x34]));
  });
});
