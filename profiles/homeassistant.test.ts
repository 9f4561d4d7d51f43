/** Fixture tables for the Home Assistant discovery profile, from the examples in the HA MQTT discovery documentation. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { homeassistantProfile as p } from './homeassistant.js';
import { decodeTable, encodeTable } from '../test/support/profile-fixtures.js';
import type { DecodedItem, DeviceRef, Discovery, Publish } from './types.js';

const ha: DeviceRef = { name: 'ha-devices', topic: 'homeassistant' };
const enc = (x: unknown) => new TextEncoder().encode(typeof x === 'string' ? x : JSON.stringify(x));
/** Decodes config messages and keeps their discoveries, as the gateway would. */
function learn(configs: Array<[string, object]>): DeviceRef {
  const known: Discovery[] = [];
  for (const [topic, payload] of configs) {
    for (const item of p.decode(ha, topic, enc(payload), true)) {
      assert.equal(item.kind, 'discovered', JSON.stringify(item));
      if (item.kind === 'discovered') { const { kind: _, ...d } = item; known.push(d); }
    }
  }
  return { ...ha, known };
}

const motion = { name: null, device_class: 'motion', state_topic: 'homeassistant/binary_sensor/garden/state', unique_id: 'motion01ad',
  device: { identifiers: ['01ad'], name: 'Garden' } };
const irrigation = { name: 'garden', command_topic: 'homeassistant/switch/irrigation/set', state_topic: 'homeassistant/switch/irrigation/state',
  unique_id: 'irr01ad', device: { identifiers: ['01ad'], name: 'Garden' }, avty_t: 'tele/irrigation/LWT', pl_avail: 'Online', pl_not_avail: 'Offline' };
const kitchenLight = { '~': 'homeassistant/light/kitchen', name: 'Kitchen', uniq_id: 'kitchen_light', cmd_t: '~/set', stat_t: '~/state', schema: 'json', brightness: true };
const bedroom = {
  dev: { ids: 'ea334450945afc', name: 'Kitchen', mf: 'Bla electronics', mdl: 'xya', sw: '1.0', sn: 'ea334450945afc', hw: '1.0rev2' },
  o: { name: 'bla2mqtt', sw: '2.1', url: 'https://bla2mqtt.example.com/support' },
  cmps: {
    some_unique_component_id1: { p: 'sensor', device_class: 'temperature', unit_of_measurement: '°C', value_template: '{{ value_json.temperature}}', unique_id: 'temp01ae_t' },
    some_unique_id2: { p: 'sensor', device_class: 'humidity', unit_of_measurement: '%', value_template: '{{ value_json.humidity}}', unique_id: 'temp01ae_h' },
  },
  state_topic: 'sensorBedroom/state', qos: 2 };
const tasmotaTemp = { name: 'Temperature', stat_t: 'tele/th1/SENSOR', unit_of_meas: '°C', dev_cla: 'temperature',
  val_tpl: "{{ value_json['AM2301'].Temperature | round(1) }}", uniq_id: 'th1_temp', dev: { cns: [['mac', '60:01:94:aa:bb:cc']], mf: 'Tasmota' } };
const weird = { name: 'Mode', stat_t: 'weird/state', val_tpl: "{% if value == '1' %}on{% endif %}", dev: { ids: 'w1' } };

describe('homeassistant profile: homeassistant/<component>/[<node_id>/]<object_id>/config', () => {
  decodeTable(p, ha, [
    { name: 'binary_sensor with name null and a device', topic: 'homeassistant/binary_sensor/garden/config', payload: motion, retained: true,
      expect: [{ kind: 'discovered', device: '01ad', key: 'binary_sensor/garden/config', displayName: 'Garden',
        info: { entities: [{ component: 'binary_sensor', key: 'motion', stateTopic: 'homeassistant/binary_sensor/garden/state', deviceClass: 'motion' }],
          device: { identifiers: ['01ad'], name: 'Garden' } },
        stateTopics: ['homeassistant/binary_sensor/garden/state'], commandTopics: [] }] },
    { name: 'abbreviations and ~ expand (json light without a device)', topic: 'homeassistant/light/kitchen/config', payload: kitchenLight,
      expect: [{ kind: 'discovered', device: 'kitchen_light', key: 'light/kitchen/config', displayName: 'Kitchen',
        info: { entities: [{ component: 'light', key: 'kitchen', stateTopic: 'homeassistant/light/kitchen/state',
          commandTopic: 'homeassistant/light/kitchen/set', schema: 'json' }] },
        stateTopics: ['homeassistant/light/kitchen/state'], commandTopics: ['homeassistant/light/kitchen/set'] }] },
    { name: 'node_id level and availability topic', topic: 'homeassistant/switch/node1/irrigation/config', payload: irrigation,
      expect: [{ kind: 'discovered', device: '01ad', key: 'switch/node1/irrigation/config', displayName: 'Garden',
        info: { entities: [{ component: 'switch', key: 'garden', stateTopic: 'homeassistant/switch/irrigation/state',
          commandTopic: 'homeassistant/switch/irrigation/set', availability: [{ topic: 'tele/irrigation/LWT', payloadAvailable: 'Online', payloadNotAvailable: 'Offline' }] }],
          device: { identifiers: ['01ad'], name: 'Garden' } },
        stateTopics: ['homeassistant/switch/irrigation/state', 'tele/irrigation/LWT'], commandTopics: ['homeassistant/switch/irrigation/set'] }] },
    { name: 'not JSON', topic: 'homeassistant/sensor/x/config', payload: '{oops', expect: 'ignore' },
    { name: 'empty payload for an unknown config', topic: 'homeassistant/sensor/x/config', payload: '', expect: 'ignore' },
    { name: 'HA birth message is not a config', topic: 'homeassistant/status', payload: 'online', expect: 'ignore' },
  ]);
});

describe('homeassistant profile: homeassistant/device/<object_id>/config (device discovery)', () => {
  it('expands dev/o/cmps and shares state_topic and qos with every component', () => {
    const [item] = p.decode(ha, 'homeassistant/device/0AFFD2/config', enc(bedroom), true);
    assert.deepEqual(item, { kind: 'discovered', device: 'ea334450945afc', key: 'device/0AFFD2/config', displayName: 'Kitchen',
      info: { entities: [
        { component: 'sensor', key: 'temperature', stateTopic: 'sensorBedroom/state', valueTemplate: '{{ value_json.temperature}}', unit: '°C', deviceClass: 'temperature', qos: 2 },
        { component: 'sensor', key: 'humidity', stateTopic: 'sensorBedroom/state', valueTemplate: '{{ value_json.humidity}}', unit: '%', deviceClass: 'humidity', qos: 2 },
      ], device: { identifiers: 'ea334450945afc', name: 'Kitchen', manufacturer: 'Bla electronics', model: 'xya', sw_version: '1.0', serial_number: 'ea334450945afc', hw_version: '1.0rev2' } },
      stateTopics: ['sensorBedroom/state'], commandTopics: [] } satisfies DecodedItem);
  });
});

describe('homeassistant profile: state and availability topics', () => {
  const dev = learn([['homeassistant/binary_sensor/garden/config', motion], ['homeassistant/switch/irrigation/config', irrigation],
    ['homeassistant/light/kitchen/config', kitchenLight], ['homeassistant/device/0AFFD2/config', bedroom],
    ['homeassistant/sensor/th1/temp/config', tasmotaTemp], ['homeassistant/select/w1/mode/config', weird]]);
  decodeTable(p, dev, [
    { name: 'binary_sensor ON is true', topic: 'homeassistant/binary_sensor/garden/state', payload: 'ON',
      expect: [{ kind: 'reading', device: '01ad', reading: { values: { motion: true } } }] },
    { name: 'switch state, retained', topic: 'homeassistant/switch/irrigation/state', payload: 'OFF', retained: true,
      expect: [{ kind: 'reading', device: '01ad', reading: { values: { garden: false } }, retained: true }] },
    { name: 'availability with custom payloads', topic: 'tele/irrigation/LWT', payload: 'Offline', expect: [{ kind: 'status', device: '01ad', online: false }] },
    { name: 'json schema light', topic: 'homeassistant/light/kitchen/state', payload: '{"state":"ON","brightness":255}',
      expect: [{ kind: 'reading', device: 'kitchen_light', reading: { values: { 'kitchen.state': true, 'kitchen.brightness': 255 } } }] },
    { name: 'one JSON state topic, two value templates', topic: 'sensorBedroom/state', payload: '{"temperature":23.20,"humidity":43.70}',
      expect: [{ kind: 'reading', device: 'ea334450945afc', reading: { values: { temperature: 23.2, humidity: 43.7 }, units: { temperature: '°C', humidity: '%' } } }] },
    { name: "bracket path and round filter (Tasmota's SENSOR), device by connection", topic: 'tele/th1/SENSOR',
      payload: '{"Time":"2024-01-01T00:00:00","AM2301":{"Temperature":21.56,"Humidity":40.1},"TempUnit":"C"}',
      expect: [{ kind: 'reading', device: 'mac:60:01:94:aa:bb:cc', reading: { values: { temperature: 21.6 }, units: { temperature: '°C' } } }] },
    { name: 'unknown state becomes null', topic: 'sensorBedroom/state', payload: '{"temperature":"unknown","humidity":40}',
      expect: [{ kind: 'reading', device: 'ea334450945afc', reading: { values: { temperature: null, humidity: 40 }, units: { temperature: '°C', humidity: '%' } } }] },
    { name: 'unsupported template is ignored', topic: 'weird/state', payload: '1', expect: 'ignore' },
    { name: 'a topic no entity uses', topic: 'somewhere/else', payload: '1', expect: 'ignore' },
  ]);
  it('removing a config names the device it belonged to', () => {
    assert.deepEqual(p.decode(dev, 'homeassistant/binary_sensor/garden/config', new Uint8Array(0), true),
      [{ kind: 'discovered', device: '01ad', key: 'binary_sensor/garden/config', info: {}, removed: true }]);
  });
  it('subscribes to and owns the state topics it learned', () => {
    assert.ok(p.subscriptions(dev).includes('sensorBedroom/state'));
    assert.equal(p.ownsTopic(dev, 'tele/irrigation/LWT'), true);
    assert.equal(p.ownsTopic(dev, 'homeassistant/switch/irrigation/set'), false);
    assert.equal(p.ownsTopic(ha, 'sensorBedroom/state'), false);
    assert.deepEqual(p.commandSubscriptions(dev), ['homeassistant/status', 'homeassistant/switch/irrigation/set', 'homeassistant/light/kitchen/set']);
  });
});

describe('homeassistant profile: command topics (encode)', () => {
  const garden = { ...learn([['homeassistant/binary_sensor/garden/config', motion], ['homeassistant/switch/irrigation/config', irrigation],
    ['homeassistant/cover/garage/config', { name: 'Garage door', cmd_t: 'garage/cmd', pl_open: 'UP', dev: { ids: ['01ad'] } }],
    ['homeassistant/number/valve/config', { name: 'Flow', cmd_t: 'valve/set', cmd_tpl: '{"flow": {{ value }}}', ret: true, qos: 1, dev: { ids: ['01ad'] } }]]), child: '01ad' };
  const kitchen = { ...learn([['homeassistant/light/kitchen/config', kitchenLight]]), child: 'kitchen_light' };
  const pub = (topic: string, payload: string, extra: Partial<Publish> = {}): Publish[] => [{ topic, payload, qos: 0, ...extra }];
  encodeTable(p, garden, [
    { name: '!on picks the only switch', command: '!on', expect: pub('homeassistant/switch/irrigation/set', 'ON') },
    { name: '!turn garden off', command: '!turn garden off', expect: pub('homeassistant/switch/irrigation/set', 'OFF') },
    { name: '!open uses payload_open', command: '!open', expect: pub('garage/cmd', 'UP') },
    { name: '!stop uses the default payload', command: '!stop garage_door', expect: pub('garage/cmd', 'STOP') },
    { name: '!set flow 3 applies the command template, retain and qos', command: '!set flow 3', expect: pub('valve/set', '{"flow": 3}', { qos: 1, retain: true }) },
    { name: '!set without an entity is ambiguous', command: '!set 3', expect: /Which one/ },
    { name: '!on with an unknown entity', command: '!on sprinkler', expect: /No entity "sprinkler"/ },
    { name: '!press with no button', command: '!press', expect: /nothing to press/ },
  ]);
  encodeTable(p, kitchen, [
    { name: 'json schema light !on', command: '!on', expect: pub('homeassistant/light/kitchen/set', '{"state":"ON"}') },
  ]);
  encodeTable(p, ha, [{ name: 'no device room', command: '!on', expect: /device room/ }]);
});
