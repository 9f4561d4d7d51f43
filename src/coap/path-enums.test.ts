/** MSC3079 "HTTP -> CoAP": the v1 path enums of Appendix B, expanded and compressed, with r0 and v3 alike. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PATH_ENUMS_V1, compressPath, expandPathEnum } from './path-enums.js';

/** A sample value for each path parameter, with characters that need percent-encoding in HTTP. */
const SAMPLES: Record<string, string> = {
  userId: '@ann:hub.local', filterId: '7', roomId: '!r1:hub.local', eventType: 'm.room.message', stateKey: '@ann:hub.local',
  txnId: 'm1.1', eventId: '$ev1+x=y', roomAlias: '#hall:hub.local', roomIdOrAlias: '#hall:hub.local', deviceId: 'DEV1',
  receiptType: 'm.read', tag: 'u.work', type: 'im.vector.setting',
};

describe('MSC3079 Appendix B (v1 path enums)', () => {
  it('has the 57 enums 0-9, A-Z, a-u, every one under /_matrix/client', () => {
    assert.equal(Object.keys(PATH_ENUMS_V1).length, 57);
    assert.equal(PATH_ENUMS_V1['7'], '/_matrix/client/r0/sync');
    assert.equal(PATH_ENUMS_V1.u, '/_matrix/client/r0/rooms/{roomId}/report/{eventId}');
    for (const p of Object.values(PATH_ENUMS_V1)) assert.match(p, /^\/_matrix\/client\//);
  });

  it('expands a parameterless enum to its path, with v3 for r0 (/7 is /_matrix/client/v3/sync)', () => {
    assert.equal(expandPathEnum(['7']), '/_matrix/client/v3/sync');
    assert.equal(expandPathEnum(['0']), '/_matrix/client/versions');
    assert.equal(expandPathEnum(['n']), '/_matrix/client/v3/pushrules/');
  });

  it('overlays path parameters left to right, percent-encoded for the HTTP path (/9/{roomId}/{type}/{txnId})', () => {
    assert.equal(expandPathEnum(['9', '!7mqP7DYBUOmwAweF:localhost', 'm.room.message', '$.AAABeH6obLU']),
      '/_matrix/client/v3/rooms/!7mqP7DYBUOmwAweF%3Alocalhost/send/m.room.message/%24.AAABeH6obLU');
    assert.equal(expandPathEnum(['L', '#roomIdOrAlias:localhost']), '/_matrix/client/v3/join/%23roomIdOrAlias%3Alocalhost');
    assert.equal(expandPathEnum(['r', '@frank:localhost', 'im.vector.setting.breadcrumbs']),
      '/_matrix/client/v3/user/%40frank%3Alocalhost/account_data/im.vector.setting.breadcrumbs');
  });

  it('drops extra segments, as the reference proxy does, and refuses missing parameters and unknown enums', () => {
    assert.equal(expandPathEnum(['7', 'extra', 'information']), '/_matrix/client/v3/sync');
    assert.equal(expandPathEnum(['e', 'deviceid', 'andmore']), '/_matrix/client/v3/devices/deviceid');
    assert.equal(expandPathEnum(['9', '!r:h', 'm.room.message']), undefined);
    assert.equal(expandPathEnum(['AAA']), undefined);
    assert.equal(expandPathEnum(['v']), undefined);
    assert.equal(expandPathEnum([]), undefined);
  });

  it('compresses r0 and v3 paths alike, and leaves paths no enum covers alone', () => {
    assert.deepEqual(compressPath('/_matrix/client/r0/sync'), ['7']);
    assert.deepEqual(compressPath('/_matrix/client/v3/sync'), ['7']);
    assert.deepEqual(compressPath('/_matrix/client/v3/join/#hall:hub'), ['L', '#hall:hub']);
    assert.equal(compressPath('/_matrix/client/v3/account/whoami'), undefined);
    assert.equal(compressPath('/_matrix/client/v1/rooms/!r:h/hierarchy'), undefined);
  });

  it('every enum round-trips: compress(decode(expand(e, params))) is (e, params)', () => {
    for (const [e, template] of Object.entries(PATH_ENUMS_V1)) {
      const params = [...template.matchAll(/\{(\w+)\}/g)].map((m) => SAMPLES[m[1]!]!);
      const http = expandPathEnum([e, ...params])!;
      assert.ok(http, e);
      const decoded = http.split('/').map(decodeURIComponent).join('/');
      assert.deepEqual(compressPath(decoded), [e, ...params], `${e} ${decoded}`);
    }
  });
});
