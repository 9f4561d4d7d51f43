/** ignoredUsers reads m.ignored_user_list (spec: "Ignoring Users", the m.ignored_user_list schema). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ignoredUsers } from './ignored-users.js';

describe('ignore_users §"Events" m.ignored_user_list', () => {
  it('the keys of ignored_users are the ignored user ids', () => {
    assert.deepEqual([...ignoredUsers({ ignored_users: { '@spam:example.org': {}, '@troll:example.com': {} } })].sort(), ['@spam:example.org', '@troll:example.com']);
  });

  it('unset or malformed content ignores nobody; keys that are not user ids are skipped', () => {
    for (const content of [undefined, null, {}, { ignored_users: null }, { ignored_users: ['@a:b'] }, { ignored_users: 'x' }, 'junk']) {
      assert.equal(ignoredUsers(content).size, 0, JSON.stringify(content));
    }
    assert.deepEqual([...ignoredUsers({ ignored_users: { '@a:b': {}, 'not-a-user': {} } })], ['@a:b']);
  });
});
