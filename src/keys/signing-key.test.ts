/** server-server API §"Publishing Keys": a new key's id is `ed25519:` and a version of [a-zA-Z0-9_] characters. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newKeyVersion } from './signing-key.js';

describe('server-server API §"Publishing Keys": key versions', () => {
  it('are a_ and four characters of [a-zA-Z0-9], never base64url\'s - (2,000 drawn)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const v = newKeyVersion();
      assert.match(v, /^a_[a-zA-Z0-9]{4}$/);
      seen.add(v);
    }
    assert.ok(seen.size > 1900, 'random enough that two hubs rarely share one');
  });
});
