/** Unit tests of transaction-id planning for device messages (issue 5: duplicates deduplicated). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDedupe, type InboundMessage } from './dedupe.js';

const msg = (over: Partial<InboundMessage> = {}): InboundMessage => ({
  device: 'd', topic: 't/x', payload: Buffer.from('{"v":1}'), qos: 1, packetId: 7, dup: false, replay: false, retain: false, receivedTs: 120_000, ...over,
});

describe('dedupe: device message ids', () => {
  it('uses the device message id, whatever the packet or time, with the item index for multi-item payloads', () => {
    const d = createDedupe();
    assert.deepEqual(d.plan(msg(), 0, 'abc'), { txnId: 'i:abc' });
    assert.deepEqual(d.plan(msg({ packetId: 9, receivedTs: 9e9 }), 0, 'abc'), { txnId: 'i:abc' });
    assert.deepEqual(d.plan(msg(), 2, 'abc'), { txnId: 'i:abc:2' });
  });
});

describe('dedupe: topic + payload + time window when the profile has no id', () => {
  it('QoS 0 gets no transaction (it is never retried)', () => {
    assert.equal(createDedupe().plan(msg({ qos: 0 }), 0, undefined), undefined);
  });

  it('a retry of the same packet in the same window gets the same txn id; different payloads or packet ids differ', () => {
    const d = createDedupe({ windowMs: 60_000 });
    const first = d.plan(msg(), 0, undefined)!;
    assert.match(first.txnId, /^w:[A-Za-z0-9_-]{22}:2$/);
    assert.equal(d.plan(msg({ dup: true, receivedTs: 150_000 }), 0, undefined)!.txnId, first.txnId);
    assert.notEqual(d.plan(msg({ payload: Buffer.from('{"v":2}') }), 0, undefined)!.txnId, first.txnId);
    assert.notEqual(d.plan(msg({ packetId: 8 }), 0, undefined)!.txnId, first.txnId);
  });

  it('a DUP retry seen first after a restart also checks the previous window', () => {
    const plan = createDedupe({ windowMs: 60_000 }).plan(msg({ dup: true, receivedTs: 185_000 }), 0, undefined)!;
    assert.match(plan.txnId, /:3$/);
    assert.match(plan.alsoCheck!, /:2$/);
  });

  it('the same key long after the window is a new message', () => {
    const d = createDedupe({ windowMs: 1000 });
    const a = d.plan(msg({ receivedTs: 0 }), 0, undefined)!;
    const b = d.plan(msg({ receivedTs: 5000 }), 0, undefined)!;
    assert.notEqual(a.txnId, b.txnId);
  });
});
