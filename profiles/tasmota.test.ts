/** Fixture tables for the Tasmota profile, from payloads shown in the Tasmota documentation. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tasmotaProfile as p } from './tasmota.js';
import { decodeTable, encodeTable } from '../test/support/profile-fixtures.js';

const dev = { name: 'sonoffpow', topic: 'sonoffpow' };

describe('tasmota profile: tele/<topic>/SENSOR', () => {
  decodeTable(p, dev, [
    { name: 'energy monitor (Sonoff POW)', topic: 'tele/sonoffpow/SENSOR',
      payload: '{"Time":"2019-01-14T21:32:18","ENERGY":{"TotalStartTime":"2018-11-26T19:01:36","Total":0.170,"Yesterday":0.079,"Today":0.012,"Period":0,"Power":12,"ApparentPower":20,"ReactivePower":16,"Factor":0.60,"Voltage":225,"Current":0.089}}',
      expect: [{ kind: 'reading', device: 'sonoffpow', reading: {
        values: { 'ENERGY.TotalStartTime': '2018-11-26T19:01:36', 'ENERGY.Total': 0.17, 'ENERGY.Yesterday': 0.079, 'ENERGY.Today': 0.012,
          'ENERGY.Period': 0, 'ENERGY.Power': 12, 'ENERGY.ApparentPower': 20, 'ENERGY.ReactivePower': 16, 'ENERGY.Factor': 0.6,
          'ENERGY.Voltage': 225, 'ENERGY.Current': 0.089 },
        units: { 'ENERGY.Total': 'kWh', 'ENERGY.Yesterday': 'kWh', 'ENERGY.Today': 'kWh', 'ENERGY.Power': 'W', 'ENERGY.ApparentPower': 'VA',
          'ENERGY.ReactivePower': 'var', 'ENERGY.Voltage': 'V', 'ENERGY.Current': 'A' } } }] },
    { name: 'AM2301 with TempUnit', topic: 'tele/sonoffpow/SENSOR',
      payload: '{"Time":"2020-03-03T00:00:00","AM2301":{"Temperature":21.6,"Humidity":39.7,"DewPoint":7.0},"TempUnit":"C"}',
      expect: [{ kind: 'reading', device: 'sonoffpow', reading: {
        values: { 'AM2301.Temperature': 21.6, 'AM2301.Humidity': 39.7, 'AM2301.DewPoint': 7 },
        units: { 'AM2301.Temperature': '°C', 'AM2301.Humidity': '%', 'AM2301.DewPoint': '°C' } } }] },
    { name: 'BME280 in Fahrenheit with PressureUnit, retained', topic: 'tele/sonoffpow/SENSOR', retained: true,
      payload: '{"Time":"2021-01-01T00:00:00","BME280":{"Temperature":72.5,"Humidity":45.1,"Pressure":29.9},"PressureUnit":"inHg","TempUnit":"F"}',
      expect: [{ kind: 'reading', device: 'sonoffpow', retained: true, reading: {
        values: { 'BME280.Temperature': 72.5, 'BME280.Humidity': 45.1, 'BME280.Pressure': 29.9 },
        units: { 'BME280.Temperature': '°F', 'BME280.Humidity': '%', 'BME280.Pressure': 'inHg' } } }] },
    { name: 'SDS011 particulates', topic: 'tele/sonoffpow/SENSOR', payload: '{"Time":"2021-01-01T00:00:00","SDS0X1":{"PM2.5":3.1,"PM10":5.2}}',
      expect: [{ kind: 'reading', device: 'sonoffpow', reading: { values: { 'SDS0X1.PM2.5': 3.1, 'SDS0X1.PM10': 5.2 },
        units: { 'SDS0X1.PM2.5': 'µg/m³', 'SDS0X1.PM10': 'µg/m³' } } }] },
    { name: 'truncated JSON', topic: 'tele/sonoffpow/SENSOR', payload: '{"Time":"2021-', expect: 'ignore' },
  ]);
});

describe('tasmota profile: tele/<topic>/STATE, INFO1, LWT, RESULT', () => {
  const state = { Time: '2021-01-01T13:41:55', Uptime: '0T00:05:12', UptimeSec: 312, Heap: 25, SleepMode: 'Dynamic', Sleep: 50,
    LoadAvg: 19, MqttCount: 1, POWER: 'ON', Wifi: { AP: 1, SSId: 'home', BSSId: 'AA:BB:CC:DD:EE:FF', Channel: 6, RSSI: 76, Signal: -62 } };
  decodeTable(p, dev, [
    { name: 'STATE becomes an org.hearth.device.state state event', topic: 'tele/sonoffpow/STATE', payload: state,
      expect: [{ kind: 'state', device: 'sonoffpow', type: 'org.hearth.device.state', stateKey: '', content: state }] },
    { name: 'INFO1 becomes device info', topic: 'tele/sonoffpow/INFO1', retained: true,
      payload: '{"Info1":{"Module":"Sonoff Pow","Version":"12.4.0(tasmota)","FallbackTopic":"cmnd/DVES_1A2B3C_fb/","GroupTopic":"cmnd/tasmotas/"}}',
      expect: [{ kind: 'state', device: 'sonoffpow', type: 'org.hearth.device.info', stateKey: 'Info1',
        content: { Module: 'Sonoff Pow', Version: '12.4.0(tasmota)', FallbackTopic: 'cmnd/DVES_1A2B3C_fb/', GroupTopic: 'cmnd/tasmotas/' } }] },
    { name: 'LWT Online', topic: 'tele/sonoffpow/LWT', payload: 'Online', retained: true, expect: [{ kind: 'status', device: 'sonoffpow', online: true }] },
    { name: 'LWT Offline', topic: 'tele/sonoffpow/LWT', payload: 'Offline', expect: [{ kind: 'status', device: 'sonoffpow', online: false }] },
    { name: 'LWT junk', topic: 'tele/sonoffpow/LWT', payload: 'Maybe', expect: 'ignore' },
    { name: 'tele RESULT (button action) becomes an event', topic: 'tele/sonoffpow/RESULT', payload: '{"Button1":{"Action":"SINGLE"}}',
      expect: [{ kind: 'event', device: 'sonoffpow', type: 'org.hearth.device.event', content: { Button1: { Action: 'SINGLE' } } }] },
    { name: 'UPTIME is not mapped', topic: 'tele/sonoffpow/UPTIME', payload: '{"Time":"x","Uptime":"1T00:00:00"}', expect: 'ignore' },
    { name: 'another device', topic: 'tele/other/SENSOR', payload: '{}', expect: 'ignore' },
    { name: 'a command echo', topic: 'cmnd/sonoffpow/POWER', payload: 'on', expect: 'ignore' },
  ]);
});

describe('tasmota profile: stat/<topic>/RESULT and POWER', () => {
  decodeTable(p, dev, [
    { name: 'RESULT {"POWER":"ON"}', topic: 'stat/sonoffpow/RESULT', payload: '{"POWER":"ON"}',
      expect: [{ kind: 'command-result', device: 'sonoffpow', ok: true, result: { POWER: 'ON' } }] },
    { name: 'RESULT unknown command', topic: 'stat/sonoffpow/RESULT', payload: '{"Command":"Unknown","Input":"FOO"}',
      expect: [{ kind: 'command-result', device: 'sonoffpow', ok: false, error: 'Unknown command: FOO', result: { Command: 'Unknown', Input: 'FOO' } }] },
    { name: 'POWER1 OFF', topic: 'stat/sonoffpow/POWER1', payload: 'OFF',
      expect: [{ kind: 'command-result', device: 'sonoffpow', ok: true, result: { POWER1: 'OFF' } }] },
    { name: 'STATUS report', topic: 'stat/sonoffpow/STATUS', payload: '{"Status":{"Module":6,"DeviceName":"Pow","Topic":"sonoffpow","Power":1}}',
      expect: [{ kind: 'command-result', device: 'sonoffpow', ok: true, result: { Status: { Module: 6, DeviceName: 'Pow', Topic: 'sonoffpow', Power: 1 } } }] },
  ]);
});

describe('tasmota profile: cmnd/<topic>/<Command> (encode)', () => {
  encodeTable(p, dev, [
    { name: '!power on', command: '!power on', expect: [{ topic: 'cmnd/sonoffpow/POWER', payload: 'on', qos: 1 }] },
    { name: '!power (query)', command: '!power', expect: [{ topic: 'cmnd/sonoffpow/POWER', payload: '', qos: 1 }] },
    { name: '!off shorthand', command: '!off', expect: [{ topic: 'cmnd/sonoffpow/POWER', payload: 'OFF', qos: 1 }] },
    { name: '!backlog joins args with spaces', command: '!Backlog power on; delay 10; power off',
      expect: [{ topic: 'cmnd/sonoffpow/BACKLOG', payload: 'power on; delay 10; power off', qos: 1 }] },
    { name: '!dimmer 50', command: '!dimmer 50', expect: [{ topic: 'cmnd/sonoffpow/DIMMER', payload: '50', qos: 1 }] },
    { name: 'a name with a dot is refused', command: '!a.b', expect: /not a Tasmota command/ },
  ]);
});

describe('tasmota profile: topics and ACL', () => {
  it('owns tele/stat of its own topic only', () => {
    assert.equal(p.ownsTopic(dev, 'tele/sonoffpow/SENSOR'), true);
    assert.equal(p.ownsTopic(dev, 'stat/sonoffpow/RESULT'), true);
    assert.equal(p.ownsTopic(dev, 'cmnd/sonoffpow/POWER'), false);
    assert.equal(p.ownsTopic(dev, 'tele/other/SENSOR'), false);
    assert.deepEqual(p.commandSubscriptions(dev), ['cmnd/sonoffpow/#']);
  });
});
