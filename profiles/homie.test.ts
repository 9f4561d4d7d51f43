/** Fixture tables for the Homie profile, from the examples of the Homie convention v4 and v5. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { homieProfile as p } from './homie.js';
import { decodeTable, encodeTable } from '../test/support/profile-fixtures.js';
import type { DeviceRef, Discovery } from './types.js';

const v4: DeviceRef = { name: 'super-car', topic: 'homie/super-car' };
const v5: DeviceRef = { name: 'super-car', topic: 'homie/5/super-car' };
const description = { homie: '5.0', version: 7, name: 'Supercar',
  nodes: { engine: { name: 'Car engine', properties: {
    temperature: { name: 'Engine temperature', datatype: 'float', unit: '°C', format: '-20:120' },
    speed: { name: 'Speed', datatype: 'integer', settable: true, unit: 'km/h' } } },
  lights: { properties: { on: { datatype: 'boolean', settable: true } } } } };

/** Feeds messages through decode and keeps discoveries, as the gateway does. */
function learn(device: DeviceRef, messages: Array<[string, string]>): DeviceRef {
  const known: Discovery[] = [];
  for (const [topic, payload] of messages) {
    for (const item of p.decode(device, topic, new TextEncoder().encode(payload), true)) {
      if (item.kind === 'discovered') { const { kind: _, ...d } = item; known.push(d); }
    }
  }
  return { ...device, known };
}

describe('homie profile: v4 homie/<device>/$state and attributes', () => {
  decodeTable(p, v4, [
    { name: '$state ready is online', topic: 'homie/super-car/$state', payload: 'ready', retained: true,
      expect: [{ kind: 'status', device: 'super-car', online: true, detail: 'ready' }] },
    { name: '$state lost (last will) is offline', topic: 'homie/super-car/$state', payload: 'lost',
      expect: [{ kind: 'status', device: 'super-car', online: false, detail: 'lost' }] },
    { name: '$state sleeping is offline', topic: 'homie/super-car/$state', payload: 'sleeping',
      expect: [{ kind: 'status', device: 'super-car', online: false, detail: 'sleeping' }] },
    { name: '$state init is transitional', topic: 'homie/super-car/$state', payload: 'init', expect: 'ignore' },
    { name: '$name names the device', topic: 'homie/super-car/$name', payload: 'Super car',
      expect: [{ kind: 'discovered', device: 'super-car', key: '$name', info: { value: 'Super car' }, displayName: 'Super car' }] },
    { name: '$nodes is kept', topic: 'homie/super-car/$nodes', payload: 'wheels,engine,lights[]',
      expect: [{ kind: 'discovered', device: 'super-car', key: '$nodes', info: { value: 'wheels,engine,lights[]' } }] },
    { name: 'node $properties is kept', topic: 'homie/super-car/engine/$properties', payload: 'speed,direction,temperature',
      expect: [{ kind: 'discovered', device: 'super-car', key: 'engine/$properties', info: { value: 'speed,direction,temperature' } }] },
    { name: 'property $unit is kept', topic: 'homie/super-car/engine/temperature/$unit', payload: '°C',
      expect: [{ kind: 'discovered', device: 'super-car', key: 'engine/temperature/$unit', info: { value: '°C' } }] },
    { name: '$stats are dropped', topic: 'homie/super-car/$stats/uptime', payload: '120', expect: 'ignore' },
    { name: 'a /set from a controller', topic: 'homie/super-car/engine/speed/set', payload: '40', expect: 'ignore' },
  ]);
});

describe('homie profile: v4 homie/<device>/<node>/<property> values', () => {
  const car = learn(v4, [['homie/super-car/engine/temperature/$datatype', 'float'], ['homie/super-car/engine/temperature/$unit', '°C'],
    ['homie/super-car/lights/on/$datatype', 'boolean'], ['homie/super-car/lights/on/$settable', 'true'],
    ['homie/super-car/engine/direction/$datatype', 'enum'], ['homie/super-car/engine/temperature/$settable', 'false']]);
  decodeTable(p, car, [
    { name: 'float with unit, retained', topic: 'homie/super-car/engine/temperature', payload: '21.5', retained: true,
      expect: [{ kind: 'reading', device: 'super-car', reading: { values: { 'engine.temperature': 21.5 }, units: { 'engine.temperature': '°C' } }, retained: true }] },
    { name: 'boolean', topic: 'homie/super-car/lights/on', payload: 'true', expect: [{ kind: 'reading', device: 'super-car', reading: { values: { 'lights.on': true } } }] },
    { name: 'enum stays a string', topic: 'homie/super-car/engine/direction', payload: '1', expect: [{ kind: 'reading', device: 'super-car', reading: { values: { 'engine.direction': '1' } } }] },
    { name: 'float that is not a number', topic: 'homie/super-car/engine/temperature', payload: 'hot', expect: 'ignore' },
    { name: 'unknown datatype falls back to parsing', topic: 'homie/super-car/wheels/pressure', payload: '2.2',
      expect: [{ kind: 'reading', device: 'super-car', reading: { values: { 'wheels.pressure': 2.2 } } }] },
  ]);
  encodeTable(p, car, [
    { name: '!set lights/on on (boolean words)', command: '!set lights/on on', expect: [{ topic: 'homie/super-car/lights/on/set', payload: 'true', qos: 1 }] },
    { name: '!set engine.speed 40', command: '!set engine.speed 40', expect: [{ topic: 'homie/super-car/engine/speed/set', payload: '40', qos: 1 }] },
    { name: '$settable false refuses', command: '!set engine/temperature 30', expect: /not settable/ },
    { name: 'a described property without $settable is not settable', command: '!set engine/direction 2', expect: /not settable/ },
    { name: 'an undescribed property is let through', command: '!set wheels/pressure 2.4', expect: [{ topic: 'homie/super-car/wheels/pressure/set', payload: '2.4', qos: 1 }] },
    { name: 'missing value', command: '!set engine/speed', expect: /Usage/ },
    { name: 'unknown command', command: '!speed 40', expect: /Unknown command/ },
  ]);
  it('lists settable properties in help', () => assert.match(p.commands(car)[0]!.help, /lights\/on/));
});

describe('homie profile: v5 homie/5/<device>/$description and values', () => {
  decodeTable(p, v5, [
    { name: '$description is one discovery', topic: 'homie/5/super-car/$description', payload: JSON.stringify(description), retained: true,
      expect: [{ kind: 'discovered', device: 'super-car', key: '$description', info: { description }, displayName: 'Supercar' }] },
    { name: '$description that is not JSON', topic: 'homie/5/super-car/$description', payload: 'nope', expect: 'ignore' },
    { name: '$alert raised', topic: 'homie/5/super-car/$alert/battery', payload: 'Battery is low, at 8%',
      expect: [{ kind: 'event', device: 'super-car', type: 'org.hearth.device.alert', content: { id: 'battery', message: 'Battery is low, at 8%' } }] },
    { name: '$alert cleared', topic: 'homie/5/super-car/$alert/battery', payload: '',
      expect: [{ kind: 'event', device: 'super-car', type: 'org.hearth.device.alert', content: { id: 'battery', cleared: true } }] },
    { name: '$log/error', topic: 'homie/5/super-car/$log/error', payload: 'engine overheated',
      expect: [{ kind: 'event', device: 'super-car', type: 'org.hearth.device.log', content: { level: 'error', message: 'engine overheated' } }] },
    { name: '$log/debug is dropped', topic: 'homie/5/super-car/$log/debug', payload: 'tick', expect: 'ignore' },
  ]);
  const car = learn(v5, [['homie/5/super-car/$description', JSON.stringify(description)]]);
  decodeTable(p, car, [
    { name: 'float typed by $description', topic: 'homie/5/super-car/engine/temperature', payload: '88.25',
      expect: [{ kind: 'reading', device: 'super-car', reading: { values: { 'engine.temperature': 88.25 }, units: { 'engine.temperature': '°C' } } }] },
    { name: 'integer with a fraction is still a number', topic: 'homie/5/super-car/engine/speed', payload: '40',
      expect: [{ kind: 'reading', device: 'super-car', reading: { values: { 'engine.speed': 40 }, units: { 'engine.speed': 'km/h' } } }] },
  ]);
  encodeTable(p, car, [
    { name: '!set engine/speed 40', command: '!set engine/speed 40', expect: [{ topic: 'homie/5/super-car/engine/speed/set', payload: '40', qos: 1 }] },
    { name: '!set lights/on off (boolean words)', command: '!set lights/on off', expect: [{ topic: 'homie/5/super-car/lights/on/set', payload: 'false', qos: 1 }] },
    { name: 'settable absent from $description means false', command: '!set engine/temperature 1', expect: /not settable/ },
    { name: 'a property missing from $description is let through', command: '!set horn/on true',
      expect: [{ topic: 'homie/5/super-car/horn/on/set', payload: 'true', qos: 1 }] },
  ]);
  it('v5 broadcast and ACL', () => {
    assert.deepEqual(p.commandSubscriptions(v5), ['homie/5/super-car/+/+/set', 'homie/5/$broadcast/#']);
    assert.deepEqual(p.commandSubscriptions(v4), ['homie/super-car/+/+/set', 'homie/$broadcast/#']);
    assert.equal(p.ownsTopic(v5, 'homie/5/super-car/engine/speed'), true);
    assert.equal(p.ownsTopic(v5, 'homie/5/super-car/engine/speed/set'), false);
    assert.equal(p.ownsTopic(v5, 'homie/5/other/$state'), false);
  });
});
