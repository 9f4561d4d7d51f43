/** Unit tests of the device runtime's pieces: the bounded offline queue, its file, backoff with jitter, token parsing. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createQueue, QueueFullError } from './queue.js';
import { fileQueuePersistence } from './queue-file.js';
import { backoff } from './transport.js';
import { parseTokens } from './cli.js';
import { simReading } from './simulate.js';

const item = (id: string) => ({ id, topic: 'reading', payload: new Uint8Array([0xa1, 0x61, 0x6e, Number(id)]) });

describe('offline queue (README "Device SDK": bounded, persisted with queueFile, drained in order)', () => {
  it('is bounded: a push beyond max throws QueueFullError and keeps the oldest', () => {
    const q = createQueue({ max: 2 });
    q.push(item('1'));
    q.push(item('2'));
    assert.throws(() => q.push(item('3')), QueueFullError);
    assert.deepEqual(q.items().map((i) => i.id), ['1', '2']);
  });

  it('persists to the file on every change, and a new queue on the same file resumes in order', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hearth-queue-')), 'q.json');
    const q = createQueue({ max: 10, persistence: fileQueuePersistence(file) });
    const first = item('1');
    q.push(first);
    q.push(item('2'));
    q.push(item('3'));
    q.remove(first);
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as unknown[]).length, 2);
    const again = createQueue({ max: 10, persistence: fileQueuePersistence(file) });
    assert.deepEqual(again.items().map((i) => [i.id, [...i.payload]]), [['2', [0xa1, 0x61, 0x6e, 2]], ['3', [0xa1, 0x61, 0x6e, 3]]]);
  });
});

describe('reconnect backoff: exponential, capped, with jitter in [d/2, d]', () => {
  it('grows from the base, stays within half to full of the step, and caps at max', () => {
    assert.equal(backoff(0, 500, 30_000, () => 0), 250);
    assert.equal(backoff(0, 500, 30_000, () => 1), 500);
    assert.equal(backoff(3, 500, 30_000, () => 1), 4000);
    assert.equal(backoff(40, 500, 30_000, () => 1), 30_000);
    assert.equal(backoff(40, 500, 30_000, () => 0), 15_000);
  });
});

describe('hearth-device simulate inputs', () => {
  it('reads tokens from `hearth device add` JSON lines, a JSON array, or NAME:TOKEN pairs', () => {
    const want = [{ device: 'a', token: 't1' }, { device: 'b', token: 't:2' }];
    assert.deepEqual(parseTokens('{"device":"a","token":"t1","room_id":"!r"}\n{"device":"b","token":"t:2"}\n', undefined), want);
    assert.deepEqual(parseTokens(JSON.stringify(want), undefined), want);
    assert.deepEqual(parseTokens(undefined, 'a:t1,b:t:2'), want);
    assert.throws(() => parseTokens(undefined, 'nocolon'), /NAME:TOKEN/);
  });

  it('the switch profile alternates on/off; temperature stays in 19–23 °C', () => {
    assert.deepEqual([0, 1, 2].map((n) => simReading('switch', n, Math.random).power), ['on', 'off', 'on']);
    assert.deepEqual(simReading('temperature', 0, () => 0.5), { temperature: 21, humidity: 45 });
  });
});
