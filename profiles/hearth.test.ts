/** Fixture tables for the native Hearth profile. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Encoder } from 'cbor-x';
import { hearthProfile as p } from './hearth.js';
import { decodeTable, encodeTable } from '../test/support/profile-fixtures.js';

const dev = { name: 'kitchen-sensor', topic: 'hearth/kitchen-sensor' };
const cbor = (x: unknown) => new Encoder({ useRecords: false }).encode(x) as Uint8Array;

describe('hearth profile: hearth/<name>/reading', () => {
  decodeTable(p, dev, [
    { name: 'JSON reading with id and ts', topic: 'hearth/kitchen-sensor/reading',
      payload: { id: 'm-41', ts: 1718000000000, temperature: 20.6, humidity: 45 },
      expect: [{ kind: 'reading', device: 'kitchen-sensor', reading: { values: { temperature: 20.6, humidity: 45 } }, messageId: 'm-41', ts: 1718000000000 }] },
    { name: 'CBOR reading with a numeric id and units', topic: 'hearth/kitchen-sensor/reading',
      payload: cbor({ id: 7, co2: 612, units: { co2: 'ppm' } }),
      expect: [{ kind: 'reading', device: 'kitchen-sensor', reading: { values: { co2: 612 }, units: { co2: 'ppm' } }, messageId: '7' }] },
    { name: 'retained reading is marked', topic: 'hearth/kitchen-sensor/reading', payload: { door: true }, retained: true,
      expect: [{ kind: 'reading', device: 'kitchen-sensor', reading: { values: { door: true } }, retained: true }] },
    { name: 'nested values are flattened, arrays dropped', topic: 'hearth/kitchen-sensor/reading',
      payload: { air: { pm25: 3.5 }, samples: [1, 2] },
      expect: [{ kind: 'reading', device: 'kitchen-sensor', reading: { values: { 'air.pm25': 3.5 } } }] },
    { name: 'truncated CBOR is ignored', topic: 'hearth/kitchen-sensor/reading', payload: cbor({ temperature: 1 }).slice(0, 5), expect: 'ignore' },
    { name: 'broken JSON is ignored', topic: 'hearth/kitchen-sensor/reading', payload: '{"temperature":', expect: 'ignore' },
    { name: 'a JSON array is ignored', topic: 'hearth/kitchen-sensor/reading', payload: '[1,2]', expect: 'ignore' },
  ]);
});

describe('hearth profile: hearth/<name>/event, state, status', () => {
  decodeTable(p, dev, [
    { name: 'event with a message id', topic: 'hearth/kitchen-sensor/event',
      payload: { type: 'org.hearth.button', content: { press: 'long' }, id: 'b-1' },
      expect: [{ kind: 'event', device: 'kitchen-sensor', type: 'org.hearth.button', content: { press: 'long' }, messageId: 'b-1' }] },
    { name: 'm.room.message event is allowed', topic: 'hearth/kitchen-sensor/event',
      payload: cbor({ type: 'm.room.message', content: { msgtype: 'm.text', body: 'hi' } }),
      expect: [{ kind: 'event', device: 'kitchen-sensor', type: 'm.room.message', content: { msgtype: 'm.text', body: 'hi' } }] },
    { name: 'm.room.redaction event is refused', topic: 'hearth/kitchen-sensor/event', payload: { type: 'm.room.redaction', content: {} }, expect: 'ignore' },
    { name: 'event without content is ignored', topic: 'hearth/kitchen-sensor/event', payload: { type: 'x.y' }, expect: 'ignore' },
    { name: 'state with type and key', topic: 'hearth/kitchen-sensor/state/org.hearth.config/led',
      payload: { brightness: 3 }, retained: true,
      expect: [{ kind: 'state', device: 'kitchen-sensor', type: 'org.hearth.config', stateKey: 'led', content: { brightness: 3 } }] },
    { name: 'state with empty key', topic: 'hearth/kitchen-sensor/state/org.hearth.firmware', payload: { version: '1.2.0' },
      expect: [{ kind: 'state', device: 'kitchen-sensor', type: 'org.hearth.firmware', stateKey: '', content: { version: '1.2.0' } }] },
    { name: 'm.room.power_levels state is refused', topic: 'hearth/kitchen-sensor/state/m.room.power_levels', payload: {}, expect: 'ignore' },
    { name: 'status online', topic: 'hearth/kitchen-sensor/status', payload: 'online', expect: [{ kind: 'status', device: 'kitchen-sensor', online: true }] },
    { name: 'status offline (last will)', topic: 'hearth/kitchen-sensor/status', payload: 'offline', retained: true,
      expect: [{ kind: 'status', device: 'kitchen-sensor', online: false }] },
    { name: 'status gibberish', topic: 'hearth/kitchen-sensor/status', payload: 'maybe', expect: 'ignore' },
    { name: 'command result', topic: 'hearth/kitchen-sensor/command/result', payload: { id: '$cmd', ok: false, error: 'busy' },
      expect: [{ kind: 'command-result', device: 'kitchen-sensor', commandId: '$cmd', ok: false, error: 'busy' }] },
    { name: 'command result with a result', topic: 'hearth/kitchen-sensor/command/result', payload: cbor({ id: '$c2', ok: true, result: { led: 'on' } }),
      expect: [{ kind: 'command-result', device: 'kitchen-sensor', commandId: '$c2', ok: true, result: { led: 'on' } }] },
    { name: 'foreign topic', topic: 'hearth/other/reading', payload: {}, expect: 'ignore' },
    { name: 'unknown subtopic', topic: 'hearth/kitchen-sensor/foo', payload: {}, expect: 'ignore' },
  ]);
});

describe('hearth profile: hearth/<name>/command (encode)', () => {
  encodeTable(p, dev, [
    { name: '!blink 3 becomes a JSON command', command: '!blink 3',
      expect: [{ topic: 'hearth/kitchen-sensor/command', payload: '{"id":"$cmd","command":"blink","args":["3"],"sender":"@ann:hub.local"}', qos: 1 }] },
    { name: 'structured params are passed as params', command: { id: '$e', command: 'set', args: [], sender: '@b:h', structured: { led: 1 } },
      expect: [{ topic: 'hearth/kitchen-sensor/command', payload: '{"id":"$e","command":"set","args":[],"sender":"@b:h","params":{"led":1}}', qos: 1 }] },
  ]);
});

describe('hearth profile: topics and ACL', () => {
  it('subscribes to what the device publishes and owns only those topics', () => {
    assert.deepEqual(p.subscriptions(dev), ['hearth/kitchen-sensor/reading', 'hearth/kitchen-sensor/event',
      'hearth/kitchen-sensor/state/#', 'hearth/kitchen-sensor/status', 'hearth/kitchen-sensor/command/result']);
    assert.deepEqual(p.commandSubscriptions(dev), ['hearth/kitchen-sensor/command']);
    assert.equal(p.ownsTopic(dev, 'hearth/kitchen-sensor/state/x/y'), true);
    assert.equal(p.ownsTopic(dev, 'hearth/kitchen-sensor/command'), false);
    assert.equal(p.ownsTopic(dev, 'hearth/other/reading'), false);
    assert.equal(p.defaultTopic('kitchen-sensor'), 'hearth/kitchen-sensor');
  });
});
