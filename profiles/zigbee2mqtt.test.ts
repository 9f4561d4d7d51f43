/** Fixture tables for the Zigbee2MQTT profile, from payloads in the Zigbee2MQTT MQTT topics documentation. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { zigbee2mqttProfile as p } from './zigbee2mqtt.js';
import { decodeTable, encodeTable } from '../test/support/profile-fixtures.js';
import type { Discovery } from './types.js';

const bridge = { name: 'zigbee', topic: 'zigbee2mqtt' };
const coordinator = { ieee_address: '0x00124b0012345678', type: 'Coordinator', network_address: 0, supported: false,
  friendly_name: 'Coordinator', disabled: false, definition: null, endpoints: {}, interview_completed: true, interviewing: false };
const plug = { ieee_address: '0x00158d00018255df', type: 'Router', network_address: 29159, supported: true, friendly_name: 'kitchen/plug',
  disabled: false, description: 'this plug is in the kitchen', power_source: 'Mains (single phase)', model_id: 'lumi.plug',
  interviewing: false, interview_completed: true,
  definition: { model: 'ZNCZ02LM', vendor: 'Xiaomi', description: 'Mi power plug ZigBee', options: [],
    exposes: [
      { type: 'switch', features: [{ type: 'binary', name: 'state', property: 'state', access: 7, value_on: 'ON', value_off: 'OFF', value_toggle: 'TOGGLE' }] },
      { type: 'numeric', name: 'power', property: 'power', unit: 'W', access: 5 },
      { type: 'numeric', name: 'linkquality', property: 'linkquality', unit: 'lqi', access: 1 },
    ] } };
const sensor = { ieee_address: '0x00158d0001e2c3a4', type: 'EndDevice', network_address: 4321, supported: true, friendly_name: '0x00158d0001e2c3a4',
  power_source: 'Battery', interview_completed: true,
  definition: { model: 'WSDCGQ11LM', vendor: 'Aqara', description: 'Temperature, humidity and pressure sensor',
    exposes: [
      { type: 'numeric', name: 'battery', property: 'battery', unit: '%', access: 1 },
      { type: 'numeric', name: 'temperature', property: 'temperature', unit: '°C', access: 1 },
      { type: 'numeric', name: 'humidity', property: 'humidity', unit: '%', access: 1 },
      { type: 'numeric', name: 'voltage', property: 'voltage', unit: 'mV', access: 1 },
    ] } };
const plugDiscovery: Discovery = { device: 'kitchen/plug', key: 'ieee:0x00158d00018255df', displayName: 'kitchen/plug',
  info: { ieee_address: '0x00158d00018255df', type: 'Router', units: { power: 'W', linkquality: 'lqi' }, settable: ['state'],
    model: 'ZNCZ02LM', vendor: 'Xiaomi', description: 'Mi power plug ZigBee', power_source: 'Mains (single phase)' },
  commandTopics: ['zigbee2mqtt/kitchen/plug/set', 'zigbee2mqtt/kitchen/plug/get'] };
const sensorDiscovery: Discovery = { device: '0x00158d0001e2c3a4', key: 'ieee:0x00158d0001e2c3a4', displayName: 'Aqara WSDCGQ11LM',
  info: { ieee_address: '0x00158d0001e2c3a4', type: 'EndDevice', units: { battery: '%', temperature: '°C', humidity: '%', voltage: 'mV' },
    settable: [], model: 'WSDCGQ11LM', vendor: 'Aqara', description: 'Temperature, humidity and pressure sensor', power_source: 'Battery' },
  commandTopics: ['zigbee2mqtt/0x00158d0001e2c3a4/set', 'zigbee2mqtt/0x00158d0001e2c3a4/get'] };
const known = { ...bridge, known: [plugDiscovery, sensorDiscovery] };

describe('zigbee2mqtt profile: zigbee2mqtt/bridge/devices', () => {
  decodeTable(p, bridge, [
    { name: 'one discovered item per non-coordinator device', topic: 'zigbee2mqtt/bridge/devices', retained: true,
      payload: [coordinator, plug, sensor],
      expect: [{ kind: 'discovered', ...plugDiscovery }, { kind: 'discovered', ...sensorDiscovery }] },
    { name: 'a device gone from the list is removed', topic: 'zigbee2mqtt/bridge/devices', device: known, payload: [coordinator, plug],
      expect: [{ kind: 'discovered', ...plugDiscovery },
        { kind: 'discovered', device: '0x00158d0001e2c3a4', key: 'ieee:0x00158d0001e2c3a4', info: {}, removed: true }] },
    { name: 'only the coordinator', topic: 'zigbee2mqtt/bridge/devices', payload: [coordinator], expect: 'ignore' },
    { name: 'not an array', topic: 'zigbee2mqtt/bridge/devices', payload: '{"a":1}', expect: 'ignore' },
  ]);
});

describe('zigbee2mqtt profile: zigbee2mqtt/<friendly_name> state', () => {
  decodeTable(p, known, [
    { name: 'Aqara sensor state with units from exposes', topic: 'zigbee2mqtt/0x00158d0001e2c3a4',
      payload: '{"battery":100,"humidity":58.28,"linkquality":102,"pressure":1012.4,"temperature":22.03,"voltage":3015}',
      expect: [{ kind: 'reading', device: '0x00158d0001e2c3a4', reading: {
        values: { battery: 100, humidity: 58.28, linkquality: 102, pressure: 1012.4, temperature: 22.03, voltage: 3015 },
        units: { battery: '%', humidity: '%', temperature: '°C', voltage: 'mV' } } }] },
    { name: 'friendly name with a slash, retained, last_seen and update dropped', topic: 'zigbee2mqtt/kitchen/plug', retained: true,
      payload: '{"state":"ON","power":12.5,"linkquality":90,"last_seen":"2024-06-01T10:00:00.000Z","update":{"state":"idle"},"update_available":false}',
      expect: [{ kind: 'reading', device: 'kitchen/plug', retained: true, ts: Date.UTC(2024, 5, 1, 10),
        reading: { values: { state: 'ON', power: 12.5, linkquality: 90 }, units: { power: 'W', linkquality: 'lqi' } } }] },
    { name: 'light color is flattened', topic: 'zigbee2mqtt/hall_light', payload: '{"state":"ON","brightness":200,"color":{"x":0.3,"y":0.4}}',
      expect: [{ kind: 'reading', device: 'hall_light', reading: { values: { state: 'ON', brightness: 200, 'color.x': 0.3, 'color.y': 0.4 } } }] },
    { name: 'attribute output (plain value) is ignored', topic: 'zigbee2mqtt/hall_light', payload: 'ON', expect: 'ignore' },
    { name: 'our own /set is ignored', topic: 'zigbee2mqtt/hall_light/set', payload: '{"state":"ON"}', expect: 'ignore' },
  ]);
});

describe('zigbee2mqtt profile: availability, bridge/state, bridge/event, bridge/response', () => {
  decodeTable(p, bridge, [
    { name: 'device availability JSON', topic: 'zigbee2mqtt/kitchen/plug/availability', payload: '{"state":"offline"}',
      expect: [{ kind: 'status', device: 'kitchen/plug', online: false }] },
    { name: 'device availability legacy text', topic: 'zigbee2mqtt/hall_light/availability', payload: 'online',
      expect: [{ kind: 'status', device: 'hall_light', online: true }] },
    { name: 'bridge/state JSON', topic: 'zigbee2mqtt/bridge/state', payload: '{"state":"online"}', retained: true,
      expect: [{ kind: 'status', device: 'zigbee', online: true }] },
    { name: 'bridge/state legacy text', topic: 'zigbee2mqtt/bridge/state', payload: 'offline', expect: [{ kind: 'status', device: 'zigbee', online: false }] },
    { name: 'bridge/event device_joined', topic: 'zigbee2mqtt/bridge/event',
      payload: '{"type":"device_joined","data":{"friendly_name":"0x90fd9ffffe6494fc","ieee_address":"0x90fd9ffffe6494fc"}}',
      expect: [{ kind: 'event', device: 'zigbee', type: 'org.hearth.device.event',
        content: { type: 'device_joined', data: { friendly_name: '0x90fd9ffffe6494fc', ieee_address: '0x90fd9ffffe6494fc' } } }] },
    { name: 'bridge/response ok with transaction', topic: 'zigbee2mqtt/bridge/response/permit_join',
      payload: '{"data":{"time":254},"status":"ok","transaction":"$cmd"}',
      expect: [{ kind: 'command-result', device: 'zigbee', ok: true, result: { time: 254 }, commandId: '$cmd' }] },
    { name: 'bridge/response error', topic: 'zigbee2mqtt/bridge/response/device/rename',
      payload: '{"data":{},"status":"error","error":"Device \'x\' does not exist"}',
      expect: [{ kind: 'command-result', device: 'zigbee', ok: false, result: {}, error: "Device 'x' does not exist" }] },
    { name: 'bridge/info is not mapped', topic: 'zigbee2mqtt/bridge/info', payload: '{"version":"1.40.0"}', expect: 'ignore' },
    { name: 'foreign base topic', topic: 'other/plug', payload: '{}', expect: 'ignore' },
  ]);
});

describe('zigbee2mqtt profile: <friendly_name>/set and bridge/request (encode)', () => {
  const lamp = { ...bridge, child: 'hall_light' };
  const knownPlug = { ...known, child: 'kitchen/plug' };
  const set = (topic: string, body: object) => [{ topic, payload: JSON.stringify(body), qos: 1 as const }];
  encodeTable(p, lamp, [
    { name: '!set state on', command: '!set state on', expect: set('zigbee2mqtt/hall_light/set', { state: 'ON' }) },
    { name: '!state on', command: '!state on', expect: set('zigbee2mqtt/hall_light/set', { state: 'ON' }) },
    { name: '!on', command: '!on', expect: set('zigbee2mqtt/hall_light/set', { state: 'ON' }) },
    { name: '!set brightness 128 color_temp 300', command: '!set brightness 128 color_temp 300',
      expect: set('zigbee2mqtt/hall_light/set', { brightness: 128, color_temp: 300 }) },
    { name: '!brightness 128', command: '!brightness 128', expect: set('zigbee2mqtt/hall_light/set', { brightness: 128 }) },
    { name: '!set with JSON', command: `!set '{"color":{"hex":"#ff0000"}}'`, expect: set('zigbee2mqtt/hall_light/set', { color: { hex: '#ff0000' } }) },
    { name: 'structured params', command: { id: '$e', command: 'set', args: [], sender: '@a:h', structured: { effect: 'blink' } },
      expect: set('zigbee2mqtt/hall_light/set', { effect: 'blink' }) },
    { name: '!get brightness', command: '!get brightness', expect: set('zigbee2mqtt/hall_light/get', { brightness: '' }) },
    { name: '!set with an odd number of args', command: '!set brightness', expect: /Usage/ },
    { name: 'a known device refuses unsettable properties', command: '!power 3', device: knownPlug, expect: /Settable: state/ },
    { name: 'a known device: slash in friendly name', command: '!toggle', device: knownPlug, expect: set('zigbee2mqtt/kitchen/plug/set', { state: 'TOGGLE' }) },
  ]);
  encodeTable(p, bridge, [
    { name: 'bridge !permit_join 60', command: '!permit_join 60',
      expect: set('zigbee2mqtt/bridge/request/permit_join', { time: 60, value: true, transaction: '$cmd' }) },
    { name: 'bridge !permit_join off', command: '!permit_join off',
      expect: set('zigbee2mqtt/bridge/request/permit_join', { time: 0, value: false, transaction: '$cmd' }) },
    { name: 'bridge !rename', command: '!rename 0x00158d0001e2c3a4 bedroom_sensor',
      expect: set('zigbee2mqtt/bridge/request/device/rename', { from: '0x00158d0001e2c3a4', to: 'bedroom_sensor', transaction: '$cmd' }) },
    { name: 'bridge !permit_join nonsense', command: '!permit_join forever', expect: /Usage/ },
    { name: 'unknown bridge command', command: '!dance', expect: /Unknown bridge command/ },
  ]);
});

describe('zigbee2mqtt profile: topics and ACL', () => {
  it('owns its base topic except requests and set/get', () => {
    assert.equal(p.ownsTopic(bridge, 'zigbee2mqtt/kitchen/plug'), true);
    assert.equal(p.ownsTopic(bridge, 'zigbee2mqtt/bridge/devices'), true);
    assert.equal(p.ownsTopic(bridge, 'zigbee2mqtt/kitchen/plug/set'), false);
    assert.equal(p.ownsTopic(bridge, 'zigbee2mqtt/bridge/request/permit_join'), false);
    assert.equal(p.ownsTopic(bridge, 'tele/x/SENSOR'), false);
  });
});
