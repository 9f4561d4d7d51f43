/** Unit tests of the topic ACL helpers the broker hooks use (issue 5: own topics only, $SYS off limits). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { filterCovers, mayPublish, maySubscribe } from './pipeline.js';
import { getProfile } from '../profiles/index.js';
import { requiredCommandLevel } from './commands.js';

const tasmota = getProfile('tasmota')!;
const plug = { name: 'plug', topic: 'tasmota_ABC' };

describe('filterCovers: a requested subscription inside an allowed filter', () => {
  const table: Array<[string, string, boolean]> = [
    ['cmnd/plug/#', 'cmnd/plug/#', true], ['cmnd/plug/#', 'cmnd/plug/POWER', true], ['cmnd/plug/#', 'cmnd/plug/+', true],
    ['cmnd/plug/#', 'cmnd/plug', true], ['cmnd/plug/#', 'cmnd/#', false], ['cmnd/plug/#', '#', false], ['cmnd/plug/#', 'cmnd/+/POWER', false],
    ['cmnd/plug/+', 'cmnd/plug/#', false], ['cmnd/plug/+', 'cmnd/plug/POWER', true], ['a/b', 'a/b', true], ['a/b', 'a/b/c', false],
  ];
  for (const [outer, inner, want] of table) it(`${outer} ⊇ ${inner}: ${want}`, () => assert.equal(filterCovers(outer, inner), want));
});

describe('mayPublish / maySubscribe for a Tasmota plug', () => {
  it('publishes only on its own tele/stat topics, never $SYS', () => {
    assert.equal(mayPublish(tasmota, plug, 'tele/tasmota_ABC/SENSOR'), true);
    assert.equal(mayPublish(tasmota, plug, 'tele/other/SENSOR'), false);
    assert.equal(mayPublish(tasmota, plug, 'cmnd/tasmota_ABC/POWER'), false);
    assert.equal(mayPublish(tasmota, plug, '$SYS/broker/x'), false);
  });

  it('announced state topics (discovery) are its own too', () => {
    const ref = { ...plug, known: [{ device: 'plug', key: 'self', info: {}, stateTopics: ['custom/plug/+'] }] };
    assert.equal(mayPublish(tasmota, ref, 'custom/plug/temp'), true);
  });

  it('subscribes only within its command topics', () => {
    assert.equal(maySubscribe(tasmota, plug, 'cmnd/tasmota_ABC/#'), true);
    assert.equal(maySubscribe(tasmota, plug, 'cmnd/tasmota_ABC/POWER'), true);
    assert.equal(maySubscribe(tasmota, plug, 'cmnd/other/#'), false);
    assert.equal(maySubscribe(tasmota, plug, '$SYS/#'), false);
    assert.equal(maySubscribe(tasmota, plug, '#'), false);
  });
});

describe('requiredCommandLevel (power_levels events map, state_default, else 50)', () => {
  it('reads events["org.hearth.command"], then state_default, then 50', () => {
    assert.equal(requiredCommandLevel({ events: { 'org.hearth.command': 20 }, state_default: 50 }), 20);
    assert.equal(requiredCommandLevel({ state_default: 75 }), 75);
    assert.equal(requiredCommandLevel({}), 50);
  });
});
