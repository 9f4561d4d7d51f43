/** The presence service (spec §"Presence"): states, idle time, status messages, the change stream, and presence switched off. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPresence, IDLE_AFTER_MS } from './presence.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

describe('presence §"Presence" states and last_active_ago', () => {
  it('a user never seen is offline with nothing else', () => {
    const p = createPresence({ enabled: true, now: clock().now });
    assert.deepEqual(p.get('@a:hs'), { presence: 'offline' });
  });

  it('online with a status message, then last_active_ago grows and currently_active ends after a minute', () => {
    const c = clock();
    const p = createPresence({ enabled: true, now: c.now });
    p.set('@a:hs', 'online', 'cooking');
    assert.deepEqual(p.get('@a:hs'), { presence: 'online', last_active_ago: 0, status_msg: 'cooking', currently_active: true });
    c.advance(90_000);
    assert.deepEqual(p.get('@a:hs'), { presence: 'online', last_active_ago: 90_000, status_msg: 'cooking', currently_active: false });
  });

  it('online turns unavailable after the idle time; activity brings it back and counts as a change', () => {
    const c = clock();
    const p = createPresence({ enabled: true, now: c.now });
    p.set('@a:hs', 'online');
    const pos = p.currentStreamId();
    c.advance(IDLE_AFTER_MS + 1);
    assert.equal(p.get('@a:hs').presence, 'unavailable');
    p.bumpActive('@a:hs');
    assert.equal(p.get('@a:hs').presence, 'online');
    assert.ok(p.currentStreamId() > pos);
  });

  it('the status message is kept when a later set omits it, and cleared by null', () => {
    const p = createPresence({ enabled: true, now: clock().now });
    p.set('@a:hs', 'online', 'busy');
    p.set('@a:hs', 'unavailable');
    assert.equal(p.get('@a:hs').status_msg, 'busy');
    p.set('@a:hs', 'unavailable', null);
    assert.equal(p.get('@a:hs').status_msg, undefined);
  });

  it('changesSince lists the given users changed after a position, oldest change first, and onChange hears each change', () => {
    const heard: string[] = [];
    const p = createPresence({ enabled: true, now: clock().now, onChange: (u) => heard.push(u) });
    p.set('@a:hs', 'online');
    const pos = p.currentStreamId();
    p.set('@b:hs', 'unavailable');
    p.set('@c:hs', 'online');
    p.set('@b:hs', 'offline');
    assert.deepEqual(p.changesSince(['@a:hs', '@b:hs', '@c:hs'], pos).map((x) => [x.userId, x.content.presence]), [['@c:hs', 'online'], ['@b:hs', 'offline']]);
    assert.deepEqual(p.changesSince(['@a:hs'], pos), []);
    assert.deepEqual(heard, ['@a:hs', '@b:hs', '@c:hs', '@b:hs']);
  });
});

describe('presence switched off (Synapse presence.enabled: false)', () => {
  it('set is ignored, everyone reads offline and nothing changes', () => {
    const heard: string[] = [];
    const p = createPresence({ enabled: false, now: clock().now, onChange: (u) => heard.push(u) });
    const start = p.currentStreamId();
    p.set('@a:hs', 'online', 'here');
    assert.deepEqual(p.get('@a:hs'), { presence: 'offline' });
    assert.equal(p.currentStreamId(), start);
    assert.deepEqual(p.changesSince(['@a:hs'], 0), []);
    assert.deepEqual(heard, []);
  });
});
