/** Registry tests and properties every profile must keep (decode never throws; item shapes). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getProfile, PROFILES } from './index.js';
import { topicMatches } from './topic.js';

describe('profile registry: getProfile and PROFILES', () => {
  it('has every profile under its own id', () => {
    assert.deepEqual(Object.keys(PROFILES).sort(), ['esphome', 'hearth', 'homeassistant', 'homie', 'shelly', 'tasmota', 'zigbee2mqtt']);
    for (const [id, p] of Object.entries(PROFILES)) assert.equal(p.id, id);
  });
  it('returns undefined for unknown ids, including prototype names', () => {
    assert.equal(getProfile('zwave'), undefined);
    assert.equal(getProfile('toString'), undefined);
    assert.equal(getProfile('shelly'), PROFILES.shelly);
  });
});

describe('profile contract: decode never throws and owns what it subscribes to', () => {
  for (const p of Object.values(PROFILES)) {
    const device = { name: 'dev1', topic: p.defaultTopic('dev1') };
    const topics = fc.oneof(
      fc.constantFrom(...p.subscriptions(device).map((f) => f.replace(/#$/, 'x/y').replace(/\+/g, 'dev1'))),
      fc.array(fc.constantFrom('dev1', 'x', '$state', 'status', 'SENSOR', 'bridge', 'devices', 'config', 'events', 'rpc'), { minLength: 1, maxLength: 4 })
        .map((parts) => `${device.topic}/${parts.join('/')}`),
    );
    const payloads = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.json().map((j) => new TextEncoder().encode(j)));
    it(`${p.id}: arbitrary topics and payloads decode to items`, () => {
      fc.assert(fc.property(topics, payloads, fc.boolean(), (topic, payload, retained) => {
        const items = p.decode(device, topic, payload, retained);
        assert.ok(Array.isArray(items) && items.length > 0);
        for (const item of items) assert.ok(item.kind === 'ignore' ? typeof item.reason === 'string' : typeof item.device === 'string');
      }), { numRuns: 300 });
    });
    it(`${p.id}: command topics are not owned (a device cannot command itself)`, () => {
      for (const f of p.commandSubscriptions(device)) {
        const topic = f.replace(/#$/, 'x').replace(/\+/g, 'y');
        if (p.id !== 'zigbee2mqtt') assert.equal(p.ownsTopic(device, topic), false, topic);
      }
    });
  }
  it('topicMatches follows MQTT wildcard rules', () => {
    assert.equal(topicMatches('a/#', 'a'), true);
    assert.equal(topicMatches('a/#', 'a/b/c'), true);
    assert.equal(topicMatches('a/+/c', 'a/b/c'), true);
    assert.equal(topicMatches('a/+', 'a/b/c'), false);
    assert.equal(topicMatches('a/b', 'a/b/c'), false);
  });

  it('topicMatches agrees with the level-by-level definition (MQTT 3.1.1 §4.7), empty levels included', () => {
    const byLevels = (filter: string, topic: string) => {
      const f = filter.split('/'), t = topic.split('/');
      for (let i = 0; i < f.length; i++) {
        if (f[i] === '#') return i === f.length - 1;
        if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
      }
      return f.length === t.length;
    };
    const level = fc.constantFrom('', 'a', 'b', 'ab', 'tele', '+', '#');
    const path = (levels: fc.Arbitrary<string>) => fc.array(levels, { minLength: 1, maxLength: 5 }).map((l) => l.join('/'));
    fc.assert(fc.property(path(level), path(level.filter((l) => l !== '+' && l !== '#')), (filter, topic) => topicMatches(filter, topic) === byLevels(filter, topic)), { numRuns: 5000 });
    for (const [f, t, want] of [['#', '', true], ['+', '', true], ['', '', true], ['+/+', '/', true], ['a/#/b', 'a/x/b', false], ['a//b', 'a//b', true], ['a/+', 'a', false]] as const) {
      assert.equal(topicMatches(f, t), want, `${f} ~ ${t}`);
    }
  });
});
