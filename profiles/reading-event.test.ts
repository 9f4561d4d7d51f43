/** Tests for reading event content: human bodies and the structured org.hearth.reading values. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commonUnit, formatNumber, humanLabel, readingEventContent } from './reading-event.js';

describe('reading event: body text', () => {
  const rows: Array<[string, Parameters<typeof readingEventContent>[1], string]> = [
    ['temperature bare, humidity labelled', { values: { temperature: 20.6, humidity: 45 } }, 'Kitchen: 20.6 °C, 45 % humidity'],
    ['numbers rounded to two decimals', { values: { temperature: 20.5999, pressure: 1012.345 } }, 'Kitchen: 20.6 °C, 1012.35 hPa pressure'],
    ['explicit units win', { values: { voltage: 3015 }, units: { voltage: 'mV' } }, 'Kitchen: 3015 mV voltage'],
    ['Tasmota-style keys', { values: { 'ENERGY.Power': 12, 'AM2301.Temperature': 21.6 } }, 'Kitchen: 12 W energy power, 21.6 °C AM2301 temperature'],
    ['booleans and strings', { values: { occupancy: true, state: 'ON', contact: false } }, 'Kitchen: occupancy: yes, state: ON, contact: no'],
    ['nulls are left out', { values: { temperature: null, battery: 80 } }, 'Kitchen: 80 % battery'],
    ['common units of air, light and radio', { values: { co2: 612, pm25: 3.5, illuminance: 310, linkquality: 102 } },
      'Kitchen: 612 ppm co2, 3.5 µg/m³ pm25, 310 lx illuminance, 102 lqi linkquality'],
    ['energy and current', { values: { energy: 1.234, current: 0.5 } }, 'Kitchen: 1.23 kWh energy, 0.5 A current'],
    ['unknown numeric keys have no unit', { values: { count: 3 } }, 'Kitchen: 3 count'],
    ['no values', { values: {} }, 'Kitchen: no values'],
  ];
  for (const [name, reading, body] of rows) it(name, () => assert.equal(readingEventContent('Kitchen', reading).body, body));
});

describe('reading event: org.hearth.reading structured content', () => {
  it('is an m.notice with values, resolved units and ts', () => {
    assert.deepEqual(readingEventContent('Hall', { values: { temperature: 20.6, state: 'ON', battery: 90 }, units: { battery: '%' } }, 1718000000000), {
      msgtype: 'm.notice', body: 'Hall: 20.6 °C, state: ON, 90 % battery',
      'org.hearth.reading': { values: { temperature: 20.6, state: 'ON', battery: 90 }, units: { battery: '%', temperature: '°C' }, ts: 1718000000000 },
    });
  });
  it('omits ts when unknown and does not infer units for strings', () => {
    const c = readingEventContent('Hall', { values: { temperature: 'n/a' } });
    assert.deepEqual(c['org.hearth.reading'], { values: { temperature: 'n/a' }, units: {} });
  });
});

describe('reading event: helpers', () => {
  it('commonUnit looks at the last segment or last _ word', () => {
    assert.equal(commonUnit('living_room_temperature'), '°C');
    assert.equal(commonUnit('SDS0X1.PM2.5'), 'µg/m³');
    assert.equal(commonUnit('switch:0.apower'), 'W');
    assert.equal(commonUnit('power_factor'), undefined);
  });
  it('formatNumber', () => {
    assert.equal(formatNumber(21), '21');
    assert.equal(formatNumber(-3.14159), '-3.14');
    assert.equal(formatNumber(0.00123), '0.0012');
    assert.equal(formatNumber(22.030000001), '22.03');
  });
  it('humanLabel', () => {
    assert.equal(humanLabel('ENERGY.ApparentPower'), 'energy apparent power');
    assert.equal(humanLabel('DS18B20-1.Temperature'), 'DS18B20-1 temperature');
    assert.equal(humanLabel('color_temp'), 'color temp');
  });
});
