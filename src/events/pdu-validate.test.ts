/** Tests of PDU format checks: the pdu_v1/v3/v4/v6/v12 schemas and client-server §"Size limits". */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validatePduFormat, MAX_PDU_BYTES } from './pdu-validate.js';

const V4 = {
  room_id: '!r:x', sender: '@a:x', origin_server_ts: 1, type: 'm.room.message', content: { body: 'hi' },
  prev_events: ['$p'], auth_events: ['$a'], depth: 2, hashes: { sha256: 'h' }, signatures: { x: { 'ed25519:1': 's' } },
};
const V1 = { ...V4, event_id: '$e:x', prev_events: [['$p:x', { sha256: 'h' }]], auth_events: [['$a:x', { sha256: 'h' }]] };

const errorsOf = (e: Record<string, unknown>, v: string): string[] => validatePduFormat(e, v).errors;

describe('PDU schemas: required keys and reference formats', () => {
  it('accepts well-formed v1 and v4+ events', () => {
    assert.deepEqual(validatePduFormat(V1, '1'), { valid: true, errors: [] });
    for (const v of ['4', '6', '10', '11', '12']) assert.deepEqual(errorsOf(V4, v), [], v);
  });
  it('pdu_base: sender, origin_server_ts, type, content, depth, hashes and signatures are required', () => {
    for (const key of ['sender', 'origin_server_ts', 'type', 'content', 'depth', 'hashes', 'signatures']) {
      const { [key]: _drop, ...rest } = V4 as Record<string, unknown>;
      assert.equal(validatePduFormat(rest, '10').valid, false, key);
    }
  });
  it('pdu_v1: event_id is required and references are [id, hashes] pairs', () => {
    const { event_id: _e, ...noId } = V1;
    assert.equal(validatePduFormat(noId, '2').valid, false);
    assert.equal(validatePduFormat(V4, '1').valid, false);
  });
  it('pdu_v3+: references are bare event ids', () => {
    assert.equal(validatePduFormat(V1, '3').valid, false);
  });
  it('prev_events at most 20, auth_events at most 10', () => {
    assert.equal(validatePduFormat({ ...V4, prev_events: Array(20).fill('$p') }, '10').valid, true);
    assert.equal(validatePduFormat({ ...V4, prev_events: Array(21).fill('$p') }, '10').valid, false);
    assert.equal(validatePduFormat({ ...V4, auth_events: Array(11).fill('$a') }, '10').valid, false);
  });
  it('room_id_v12: omitted only from m.room.create', () => {
    const { room_id: _r, ...noRoom } = V4;
    assert.equal(validatePduFormat({ ...noRoom, type: 'm.room.create', state_key: '' }, '12').valid, true);
    assert.equal(validatePduFormat(noRoom, '12').valid, false);
    assert.equal(validatePduFormat({ ...noRoom, type: 'm.room.create', state_key: '' }, '11').valid, false);
  });
  it('depth_v6: depth above 2**53−1 is invalid from v6', () => {
    assert.equal(validatePduFormat({ ...V4, depth: 2 ** 53 }, '6').valid, false);
    assert.equal(validatePduFormat({ ...V4, depth: -1 }, '10').valid, false);
  });
});

describe('client-server §Size limits', () => {
  it('the whole event as canonical JSON must not exceed 65536 bytes', () => {
    const base = JSON.stringify({ ...V4, content: { body: '' } }).length;
    const fits = { ...V4, content: { body: 'a'.repeat(MAX_PDU_BYTES - base) } };
    assert.equal(validatePduFormat(fits, '10').valid, true);
    const over = { ...V4, content: { body: 'a'.repeat(MAX_PDU_BYTES - base + 1) } };
    assert.equal(validatePduFormat(over, '10').valid, false);
  });
  it('counts UTF-8 bytes, not characters: a 255-byte limit on type and state_key', () => {
    assert.equal(validatePduFormat({ ...V4, type: 'é'.repeat(127) }, '10').valid, true);
    assert.equal(validatePduFormat({ ...V4, type: 'é'.repeat(128) }, '10').valid, false);
    assert.equal(validatePduFormat({ ...V4, state_key: 'x'.repeat(256) }, '10').valid, false);
  });
  it('sender and room_id at most 255 bytes', () => {
    assert.equal(validatePduFormat({ ...V4, sender: '@' + 'a'.repeat(250) + ':x.y' }, '10').valid, true);
    assert.equal(validatePduFormat({ ...V4, sender: '@' + 'a'.repeat(251) + ':x.y' }, '10').valid, false);
    assert.equal(validatePduFormat({ ...V4, room_id: '!' + 'a'.repeat(251) + ':x.y' }, '10').valid, false);
  });
});

describe('rooms/v6 §Canonical JSON: strictly enforced from v6, not before', () => {
  it('a float in content is invalid in v6 and accepted in v5', () => {
    const floaty = { ...V4, content: { n: 1.5 } };
    assert.equal(validatePduFormat(floaty, '6').valid, false);
    assert.equal(validatePduFormat(floaty, '5').valid, true);
  });
});
