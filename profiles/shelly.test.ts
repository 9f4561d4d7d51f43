/** Fixture tables for the Shelly Gen2+ profile, from the notification and component examples in the Shelly API docs. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { shellyProfile as p } from './shelly.js';
import { decodeTable, encodeTable } from '../test/support/profile-fixtures.js';
import type { Publish } from './types.js';

const P = 'shellyplus1pm-441793a3c8b8';
const dev = { name: 'boiler', topic: P };
const switchStatus = { id: 0, source: 'timer', output: true, apower: 8.9, voltage: 237.5, current: 0.068,
  aenergy: { total: 6.532, by_minute: [45.199, 47.141, 88.397], minute_ts: 1654511380 }, temperature: { tC: 23.5, tF: 74.4 } };
const switchValues = { 'switch:0.output': true, 'switch:0.apower': 8.9, 'switch:0.voltage': 237.5, 'switch:0.current': 0.068,
  'switch:0.aenergy.total': 6.532, 'switch:0.temperature.tC': 23.5 };
const switchUnits = { 'switch:0.apower': 'W', 'switch:0.voltage': 'V', 'switch:0.current': 'A', 'switch:0.aenergy.total': 'Wh', 'switch:0.temperature.tC': '°C' };

describe('shelly profile: <prefix>/online', () => {
  decodeTable(p, dev, [
    { name: 'true is online', topic: `${P}/online`, payload: 'true', retained: true, expect: [{ kind: 'status', device: 'boiler', online: true }] },
    { name: 'false (last will) is offline', topic: `${P}/online`, payload: 'false', expect: [{ kind: 'status', device: 'boiler', online: false }] },
    { name: 'anything else', topic: `${P}/online`, payload: '1', expect: 'ignore' },
  ]);
});

describe('shelly profile: <prefix>/events/rpc NotifyStatus, NotifyFullStatus, NotifyEvent', () => {
  decodeTable(p, dev, [
    { name: 'NotifyStatus partial switch update with ts', topic: `${P}/events/rpc`,
      payload: { src: P, dst: `${P}/events`, method: 'NotifyStatus', params: { ts: 1631266595.43, 'switch:0': { id: 0, output: true, source: 'button' } } },
      expect: [{ kind: 'reading', device: 'boiler', reading: { values: { 'switch:0.output': true } }, ts: 1631266595430 }] },
    { name: 'NotifyFullStatus keeps switch and input, drops sys/wifi/cloud', topic: `${P}/events/rpc`,
      payload: { src: P, dst: `${P}/events`, method: 'NotifyFullStatus', params: { ts: 1654511400.01, ble: {}, cloud: { connected: false },
        'input:0': { id: 0, state: false }, mqtt: { connected: true }, 'switch:0': switchStatus,
        sys: { mac: '441793A3C8B8', restart_required: false, uptime: 1140 }, wifi: { sta_ip: '192.168.1.50', status: 'got ip', rssi: -58 } } },
      expect: [{ kind: 'reading', device: 'boiler', ts: 1654511400010,
        reading: { values: { 'input:0.state': false, ...switchValues }, units: switchUnits } }] },
    { name: 'H&T temperature, humidity and battery', topic: `${P}/events/rpc`,
      payload: { src: P, dst: `${P}/events`, method: 'NotifyFullStatus', params: { ts: 1700000000,
        'temperature:0': { id: 0, tC: 22.5, tF: 72.5 }, 'humidity:0': { id: 0, rh: 54.2 },
        'devicepower:0': { id: 0, battery: { V: 5.98, percent: 91 }, external: { present: false } } } },
      expect: [{ kind: 'reading', device: 'boiler', ts: 1700000000000, reading: {
        values: { 'temperature:0.tC': 22.5, 'humidity:0.rh': 54.2, 'devicepower:0.battery.V': 5.98, 'devicepower:0.battery.percent': 91, 'devicepower:0.external.present': false },
        units: { 'temperature:0.tC': '°C', 'humidity:0.rh': '%', 'devicepower:0.battery.V': 'V', 'devicepower:0.battery.percent': '%' } } }] },
    { name: 'NotifyStatus with only sys changes', topic: `${P}/events/rpc`,
      payload: { src: P, dst: `${P}/events`, method: 'NotifyStatus', params: { ts: 1, sys: { available_updates: {} } } }, expect: 'ignore' },
    { name: 'NotifyEvent single_push', topic: `${P}/events/rpc`,
      payload: { src: P, dst: `${P}/events`, method: 'NotifyEvent', params: { ts: 1631266595.44, events: [{ component: 'input:0', id: 0, event: 'single_push', ts: 1631266595.44 }] } },
      expect: [{ kind: 'event', device: 'boiler', type: 'org.hearth.device.event', content: { component: 'input:0', id: 0, event: 'single_push', ts: 1631266595.44 } }] },
    { name: 'not JSON', topic: `${P}/events/rpc`, payload: 'NotifyStatus', expect: 'ignore' },
  ]);
});

describe('shelly profile: <prefix>/status/<component> and RPC replies', () => {
  decodeTable(p, dev, [
    { name: 'status/switch:0, retained', topic: `${P}/status/switch:0`, payload: switchStatus, retained: true,
      expect: [{ kind: 'reading', device: 'boiler', reading: { values: switchValues, units: switchUnits }, retained: true }] },
    { name: 'status/sys is not a reading', topic: `${P}/status/sys`, payload: { uptime: 5 }, expect: 'ignore' },
    { name: 'reply with result', topic: `${P}/hearth/rpc`, payload: { id: '$cmd', src: P, dst: `${P}/hearth`, result: { was_on: false } },
      expect: [{ kind: 'command-result', device: 'boiler', ok: true, result: { was_on: false }, commandId: '$cmd' }] },
    { name: 'reply with error', topic: `${P}/hearth/rpc`,
      payload: { id: 7, src: P, dst: `${P}/hearth`, error: { code: -103, message: "Invalid argument 'id': no such component" } },
      expect: [{ kind: 'command-result', device: 'boiler', ok: false, error: "Invalid argument 'id': no such component (-103)", commandId: '7' }] },
    { name: 'our request echoed', topic: `${P}/rpc`, payload: { id: 1, method: 'Switch.Set' }, expect: 'ignore' },
  ]);
});

describe('shelly profile: <prefix>/rpc JSON-RPC requests (encode)', () => {
  const req = (method: string, params?: object): Publish[] =>
    [{ topic: `${P}/rpc`, payload: JSON.stringify({ id: '$cmd', src: `${P}/hearth`, method, ...(params ? { params } : {}) }), qos: 1 }];
  encodeTable(p, dev, [
    { name: '!switch on', command: '!switch on', expect: req('Switch.Set', { id: 0, on: true }) },
    { name: '!switch off 1', command: '!switch off 1', expect: req('Switch.Set', { id: 1, on: false }) },
    { name: '!toggle', command: '!toggle', expect: req('Switch.Toggle', { id: 0 }) },
    { name: '!cover position 40', command: '!cover position 40', expect: req('Cover.GoToPosition', { id: 0, pos: 40 }) },
    { name: '!cover stop 1', command: '!cover stop 1', expect: req('Cover.Stop', { id: 1 }) },
    { name: '!light brightness 30', command: '!light brightness 30', expect: req('Light.Set', { id: 0, on: true, brightness: 30 }) },
    { name: '!status', command: '!status', expect: req('Shelly.GetStatus') },
    { name: '!rpc with JSON params', command: `!rpc Switch.SetConfig '{"id":0,"config":{"auto_off":true}}'`,
      expect: req('Switch.SetConfig', { id: 0, config: { auto_off: true } }) },
    { name: '!switch sideways', command: '!switch sideways', expect: /Usage/ },
    { name: '!switch on x', command: '!switch on x', expect: /component id/ },
    { name: '!rpc without a method', command: '!rpc', expect: /Usage/ },
    { name: '!cover position 140', command: '!cover position 140', expect: /Usage/ },
  ]);
});

describe('shelly profile: topics and ACL', () => {
  it('the device owns its tree but not its request topics', () => {
    assert.equal(p.ownsTopic(dev, `${P}/events/rpc`), true);
    assert.equal(p.ownsTopic(dev, `${P}/hearth/rpc`), true);
    assert.equal(p.ownsTopic(dev, `${P}/rpc`), false);
    assert.equal(p.ownsTopic(dev, `${P}/command/switch:0`), false);
    assert.deepEqual(p.commandSubscriptions(dev), [`${P}/rpc`, `${P}/command`, `${P}/command/#`]);
  });
});
