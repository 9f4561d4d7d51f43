/** Tests of the redaction algorithm per room version (rooms/v1, v6, v8, v9, v11 §"Redactions"). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { redact } from './redaction.js';
import { ROOM_VERSIONS, type RoomVersionId } from './room-versions.js';

/** Top-level keys every fixture carries besides type/content; several are not protected. */
const ENVELOPE = {
  event_id: '$e:x', room_id: '!r:x', sender: '@a:x', state_key: '', hashes: { sha256: 'h' },
  signatures: { x: { 'ed25519:1': 's' } }, depth: 5, prev_events: ['$p'], prev_state: [], auth_events: ['$q'],
  origin: 'x', origin_server_ts: 1, membership: 'join', unsigned: { age_ts: 1 }, age_ts: 1, redacts: '$z', extra: true,
};
const TOP_V1 = ['auth_events', 'content', 'depth', 'event_id', 'hashes', 'membership', 'origin', 'origin_server_ts',
  'prev_events', 'prev_state', 'room_id', 'sender', 'signatures', 'state_key', 'type'];
const TOP_V11 = TOP_V1.filter((k) => !['origin', 'membership', 'prev_state'].includes(k));

const tpi = { display_name: 'Bob', signed: { mxid: '@b:y', token: 't', signatures: { id: { 'ed25519:0': 's' } } } };
const CONTENT: Record<string, Record<string, unknown>> = {
  'm.room.member': { membership: 'join', displayname: 'A', avatar_url: 'mxc://x/y', join_authorised_via_users_server: '@c:z', third_party_invite: tpi },
  'm.room.create': { creator: '@a:x', room_version: '9', 'm.federate': false, predecessor: { room_id: '!o:x' } },
  'm.room.join_rules': { join_rule: 'restricted', allow: [{ type: 'm.room_membership', room_id: '!s:x' }], extra: 1 },
  'm.room.power_levels': {
    ban: 50, events: { 'm.room.name': 50 }, events_default: 0, invite: 0, kick: 50, redact: 50, state_default: 50,
    users: { '@a:x': 100 }, users_default: 0, notifications: { room: 50 },
  },
  'm.room.aliases': { aliases: ['#a:x'], extra: 1 },
  'm.room.history_visibility': { history_visibility: 'shared', extra: 1 },
  'm.room.redaction': { redacts: '$z', reason: 'spam' },
  'm.room.message': { msgtype: 'm.text', body: 'secret' },
  'm.room.topic': { topic: 'gone' },
};

type Family = { versions: RoomVersionId[]; top: string[]; content: Record<string, string[]> };
const PL_V1 = ['ban', 'events', 'events_default', 'kick', 'redact', 'state_default', 'users', 'users_default'];
const base: Record<string, string[]> = {
  'm.room.member': ['membership'], 'm.room.create': ['creator'], 'm.room.join_rules': ['join_rule'],
  'm.room.power_levels': PL_V1, 'm.room.aliases': ['aliases'], 'm.room.history_visibility': ['history_visibility'],
  'm.room.redaction': [], 'm.room.message': [], 'm.room.topic': [],
};
const FAMILIES: Record<string, Family> = {
  'v1 §Redactions (v1–v5)': { versions: ['1', '2', '3', '4', '5'], top: TOP_V1, content: base },
  'v6 §Redactions: m.room.aliases no longer protected (v6–v7)': {
    versions: ['6', '7'], top: TOP_V1, content: { ...base, 'm.room.aliases': [] },
  },
  'v8 §Redactions: join_rules keeps `allow`': {
    versions: ['8'], top: TOP_V1, content: { ...base, 'm.room.aliases': [], 'm.room.join_rules': ['join_rule', 'allow'] },
  },
  'v9 §Redactions: member keeps `join_authorised_via_users_server` (v9–v10)': {
    versions: ['9', '10'], top: TOP_V1,
    content: { ...base, 'm.room.aliases': [], 'm.room.join_rules': ['join_rule', 'allow'], 'm.room.member': ['membership', 'join_authorised_via_users_server'] },
  },
  'v11 §Redactions (v11–v12)': {
    versions: ['11', '12'], top: TOP_V11,
    content: {
      ...base, 'm.room.aliases': [], 'm.room.join_rules': ['join_rule', 'allow'],
      'm.room.member': ['membership', 'join_authorised_via_users_server', 'third_party_invite'],
      'm.room.create': Object.keys(CONTENT['m.room.create']!), 'm.room.power_levels': [...PL_V1, 'invite'], 'm.room.redaction': ['redacts'],
    },
  },
};

for (const [family, spec] of Object.entries(FAMILIES)) {
  describe(family, () => {
    for (const version of spec.versions) {
      for (const [type, content] of Object.entries(CONTENT)) {
        it(`room v${version}: ${type} keeps ${spec.content[type]!.join(', ') || 'no content keys'}`, () => {
          const event = { ...ENVELOPE, type, content };
          const out = redact(event, version) as unknown as Record<string, unknown>;
          assert.deepEqual(Object.keys(out).sort(), [...spec.top].sort());
          const keptContent = out['content'] as Record<string, unknown>;
          assert.deepEqual(Object.keys(keptContent).sort(), [...spec.content[type]!].sort());
          for (const k of Object.keys(keptContent)) {
            if (type === 'm.room.member' && k === 'third_party_invite') continue;
            assert.deepEqual(keptContent[k], content[k]);
          }
        });
      }
    }
  });
}

describe('v11 §Redactions: m.room.member keeps only `signed` of `third_party_invite`', () => {
  it('drops display_name and keeps signed', () => {
    const out = redact({ ...ENVELOPE, type: 'm.room.member', content: CONTENT['m.room.member']! }, '11');
    assert.deepEqual(out.content['third_party_invite'], { signed: tpi.signed });
  });
  it('keeps an empty object when there is no `signed` (spec silent; as Synapse)', () => {
    const out = redact({ ...ENVELOPE, type: 'm.room.member', content: { membership: 'invite', third_party_invite: { display_name: 'x' } } }, '11');
    assert.deepEqual(out.content, { membership: 'invite', third_party_invite: {} });
  });
  it('drops a `third_party_invite` that is not an object', () => {
    const out = redact({ ...ENVELOPE, type: 'm.room.member', content: { membership: 'invite', third_party_invite: 'x' } }, '12');
    assert.deepEqual(out.content, { membership: 'invite' });
  });
  it('before v11 the whole `third_party_invite` is stripped', () => {
    const out = redact({ ...ENVELOPE, type: 'm.room.member', content: CONTENT['m.room.member']! }, '10');
    assert.equal('third_party_invite' in out.content, false);
  });
});

describe('redaction is pure', () => {
  it('does not modify its input', () => {
    const event = structuredClone({ ...ENVELOPE, type: 'm.room.member', content: CONTENT['m.room.member']! });
    const before = structuredClone(event);
    redact(event, '11');
    assert.deepEqual(event, before);
  });
  it('gives an event without content an empty content object', () => {
    assert.deepEqual(redact({ type: 'm.room.message', sender: '@a:x' }, '10'), { type: 'm.room.message', sender: '@a:x', content: {} });
  });
  it('throws on an unknown room version', () => {
    assert.throws(() => redact({ type: 'x', content: {} }, '99'), RangeError);
  });
});

describe('redaction properties', () => {
  const types = fc.constantFrom(...Object.keys(CONTENT), 'm.custom');
  const value = fc.jsonValue({ maxDepth: 2 });
  const event = fc.record({
    type: types,
    content: fc.oneof(fc.dictionary(fc.constantFrom(...new Set(Object.values(CONTENT).flatMap((c) => Object.keys(c))), 'x'), value), fc.constant(undefined)),
    sender: fc.constant('@a:x'),
    origin: fc.constant('x'),
    membership: fc.constant('join'),
    unsigned: fc.constant({ age: 1 }),
    other: value,
  }, { requiredKeys: ['type', 'sender'] });

  for (const version of Object.keys(ROOM_VERSIONS)) {
    it(`is idempotent in room v${version}`, () => {
      fc.assert(fc.property(event, (e) => {
        const once = redact(e, version);
        assert.deepStrictEqual(redact(once, version), once);
        assert.equal('unsigned' in once, false);
      }));
    });
  }
});
