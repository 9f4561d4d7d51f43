/** Fixture tables for the ESPHome profile, from the topics of ESPHome's MQTT client component documentation. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { esphomeProfile as p } from './esphome.js';
import { decodeTable, encodeTable } from '../test/support/profile-fixtures.js';

const dev = { name: 'livingroom', topic: 'livingroom' };

describe('esphome profile: <node>/status', () => {
  decodeTable(p, dev, [
    { name: 'birth message', topic: 'livingroom/status', payload: 'online', retained: true, expect: [{ kind: 'status', device: 'livingroom', online: true }] },
    { name: 'last will', topic: 'livingroom/status', payload: 'offline', expect: [{ kind: 'status', device: 'livingroom', online: false }] },
    { name: 'other payload', topic: 'livingroom/status', payload: 'Online', expect: 'ignore' },
  ]);
});

describe('esphome profile: <node>/<component>/<object_id>/state', () => {
  decodeTable(p, dev, [
    { name: 'sensor number', topic: 'livingroom/sensor/livingroom_temperature/state', payload: '21.8',
      expect: [{ kind: 'reading', device: 'livingroom', reading: { values: { livingroom_temperature: 21.8 } } }] },
    { name: 'sensor nan is null', topic: 'livingroom/sensor/wifi_signal/state', payload: 'nan',
      expect: [{ kind: 'reading', device: 'livingroom', reading: { values: { wifi_signal: null } } }] },
    { name: 'sensor text is refused', topic: 'livingroom/sensor/wifi_signal/state', payload: 'strong', expect: 'ignore' },
    { name: 'binary_sensor ON, retained', topic: 'livingroom/binary_sensor/window/state', payload: 'ON', retained: true,
      expect: [{ kind: 'reading', device: 'livingroom', reading: { values: { window: true } }, retained: true }] },
    { name: 'switch OFF', topic: 'livingroom/switch/relay/state', payload: 'OFF', expect: [{ kind: 'reading', device: 'livingroom', reading: { values: { relay: false } } }] },
    { name: 'light JSON schema', topic: 'livingroom/light/ceiling/state',
      payload: '{"state":"ON","color_mode":"rgb","brightness":255,"color":{"r":255,"g":128,"b":0}}',
      expect: [{ kind: 'reading', device: 'livingroom', reading: { values: { 'ceiling.state': true, 'ceiling.color_mode': 'rgb', 'ceiling.brightness': 255,
        'ceiling.color.r': 255, 'ceiling.color.g': 128, 'ceiling.color.b': 0 } } }] },
    { name: 'text_sensor string', topic: 'livingroom/text_sensor/uptime_human/state', payload: '2d 3h',
      expect: [{ kind: 'reading', device: 'livingroom', reading: { values: { uptime_human: '2d 3h' } } }] },
    { name: 'cover state and position sub-state', topic: 'livingroom/cover/blinds/position/state', payload: '40',
      expect: [{ kind: 'reading', device: 'livingroom', reading: { values: { 'blinds.position': 40 } } }] },
    { name: 'climate mode sub-state', topic: 'livingroom/climate/thermostat/mode/state', payload: 'heat',
      expect: [{ kind: 'reading', device: 'livingroom', reading: { values: { 'thermostat.mode': 'heat' } } }] },
    { name: 'event component', topic: 'livingroom/event/doorbell/state', payload: '{"event_type":"pressed"}',
      expect: [{ kind: 'event', device: 'livingroom', type: 'org.hearth.device.event', content: { name: 'doorbell', event_type: 'pressed' } }] },
    { name: 'a command topic', topic: 'livingroom/switch/relay/command', payload: 'ON', expect: 'ignore' },
    { name: 'debug log', topic: 'livingroom/debug', payload: '[D][sensor:094]: ...', expect: 'ignore' },
    { name: 'another node', topic: 'kitchen/status', payload: 'online', expect: 'ignore' },
  ]);
});

describe('esphome profile: <node>/<component>/<object_id>/command (encode)', () => {
  const cmd = (topic: string, payload: string) => [{ topic, payload, qos: 1 as const }];
  encodeTable(p, dev, [
    { name: '!switch relay on', command: '!switch relay on', expect: cmd('livingroom/switch/relay/command', 'ON') },
    { name: '!switch relay toggle', command: '!switch relay toggle', expect: cmd('livingroom/switch/relay/command', 'TOGGLE') },
    { name: '!light ceiling on 128', command: '!light ceiling on 128', expect: cmd('livingroom/light/ceiling/command', '{"state":"ON","brightness":128}') },
    { name: '!button restart', command: '!button restart', expect: cmd('livingroom/button/restart/command', 'PRESS') },
    { name: '!cover blinds position 30', command: '!cover blinds position 30', expect: cmd('livingroom/cover/blinds/position/command', '30') },
    { name: '!cover blinds close', command: '!cover blinds close', expect: cmd('livingroom/cover/blinds/command', 'CLOSE') },
    { name: '!select mode "Eco plus"', command: '!select mode "Eco plus"', expect: cmd('livingroom/select/mode/command', 'Eco plus') },
    { name: '!number target 21.5', command: '!number target 21.5', expect: cmd('livingroom/number/target/command', '21.5') },
    { name: '!number target warm', command: '!number target warm', expect: /not a number/ },
    { name: '!switch relay dim', command: '!switch relay dim', expect: /Usage/ },
    { name: '!switch without a name', command: '!switch', expect: /Usage/ },
    { name: 'a name with a wildcard', command: '!switch # on', expect: /Usage/ },
    { name: '!light ceiling on 999', command: '!light ceiling on 999', expect: /0-255/ },
    { name: 'unknown component', command: '!climate x heat', expect: /Unknown command/ },
  ]);
});

describe('esphome profile: topics and ACL', () => {
  it('owns its states, not its commands', () => {
    assert.equal(p.ownsTopic(dev, 'livingroom/sensor/t/state'), true);
    assert.equal(p.ownsTopic(dev, 'livingroom/switch/relay/command'), false);
    assert.equal(p.ownsTopic(dev, 'kitchen/status'), false);
  });
});
