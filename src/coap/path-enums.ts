/** MSC3079 CoAP path enums (Appendix B, v1): `/7` ⇄ `/_matrix/client/v3/sync`, path parameters overlaid left to right. */

/** Appendix B, version 1: enum → path template (the MSC writes r0; Hearth expands to v3, which it serves alike). */
export const PATH_ENUMS_V1: Readonly<Record<string, string>> = Object.freeze({
  0: '/_matrix/client/versions',
  1: '/_matrix/client/r0/login',
  2: '/_matrix/client/r0/capabilities',
  3: '/_matrix/client/r0/logout',
  4: '/_matrix/client/r0/register',
  5: '/_matrix/client/r0/user/{userId}/filter',
  6: '/_matrix/client/r0/user/{userId}/filter/{filterId}',
  7: '/_matrix/client/r0/sync',
  8: '/_matrix/client/r0/rooms/{roomId}/state/{eventType}/{stateKey}',
  9: '/_matrix/client/r0/rooms/{roomId}/send/{eventType}/{txnId}',
  A: '/_matrix/client/r0/rooms/{roomId}/event/{eventId}',
  B: '/_matrix/client/r0/rooms/{roomId}/state',
  C: '/_matrix/client/r0/rooms/{roomId}/members',
  D: '/_matrix/client/r0/rooms/{roomId}/joined_members',
  E: '/_matrix/client/r0/rooms/{roomId}/messages',
  F: '/_matrix/client/r0/rooms/{roomId}/redact/{eventId}/{txnId}',
  G: '/_matrix/client/r0/createRoom',
  H: '/_matrix/client/r0/directory/room/{roomAlias}',
  I: '/_matrix/client/r0/joined_rooms',
  J: '/_matrix/client/r0/rooms/{roomId}/invite',
  K: '/_matrix/client/r0/rooms/{roomId}/join',
  L: '/_matrix/client/r0/join/{roomIdOrAlias}',
  M: '/_matrix/client/r0/rooms/{roomId}/leave',
  N: '/_matrix/client/r0/rooms/{roomId}/forget',
  O: '/_matrix/client/r0/rooms/{roomId}/kick',
  P: '/_matrix/client/r0/rooms/{roomId}/ban',
  Q: '/_matrix/client/r0/rooms/{roomId}/unban',
  R: '/_matrix/client/r0/directory/list/room/{roomId}',
  S: '/_matrix/client/r0/publicRooms',
  T: '/_matrix/client/r0/user_directory/search',
  U: '/_matrix/client/r0/profile/{userId}/displayname',
  V: '/_matrix/client/r0/profile/{userId}/avatar_url',
  W: '/_matrix/client/r0/profile/{userId}',
  X: '/_matrix/client/r0/voip/turnServer',
  Y: '/_matrix/client/r0/rooms/{roomId}/typing/{userId}',
  Z: '/_matrix/client/r0/rooms/{roomId}/receipt/{receiptType}/{eventId}',
  a: '/_matrix/client/r0/rooms/{roomId}/read_markers',
  b: '/_matrix/client/r0/presence/{userId}/status',
  c: '/_matrix/client/r0/sendToDevice/{eventType}/{txnId}',
  d: '/_matrix/client/r0/devices',
  e: '/_matrix/client/r0/devices/{deviceId}',
  f: '/_matrix/client/r0/delete_devices',
  g: '/_matrix/client/r0/keys/upload',
  h: '/_matrix/client/r0/keys/query',
  i: '/_matrix/client/r0/keys/claim',
  j: '/_matrix/client/r0/keys/changes',
  k: '/_matrix/client/r0/pushers',
  l: '/_matrix/client/r0/pushers/set',
  m: '/_matrix/client/r0/notifications',
  n: '/_matrix/client/r0/pushrules/',
  o: '/_matrix/client/r0/search',
  p: '/_matrix/client/r0/user/{userId}/rooms/{roomId}/tags',
  q: '/_matrix/client/r0/user/{userId}/rooms/{roomId}/tags/{tag}',
  r: '/_matrix/client/r0/user/{userId}/account_data/{type}',
  s: '/_matrix/client/r0/user/{userId}/rooms/{roomId}/account_data/{type}',
  t: '/_matrix/client/r0/rooms/{roomId}/context/{eventId}',
  u: '/_matrix/client/r0/rooms/{roomId}/report/{eventId}',
});

const PARAM = /^\{\w+\}$/;
/** `r0` and `v3` name the same endpoints; both compress to one enum, and enums expand to v3. */
const VERSION = /^(r0|v3)$/;

interface Template { segments: string[]; params: number }
const TEMPLATES: ReadonlyMap<string, Template> = new Map(Object.entries(PATH_ENUMS_V1).map(([e, p]) => {
  const segments = p.split('/').slice(1).map((s) => (VERSION.test(s) ? 'v3' : s));
  return [e, { segments, params: segments.filter((s) => PARAM.test(s)).length }];
}));

/**
 * Expands decoded CoAP Uri-Path segments to an HTTP path (parameters percent-encoded), or undefined when the
 * first segment is not an enum or parameters are missing. Extra segments are dropped, as the reference proxy does.
 * @example expandPathEnum(['9', '!r:hub', 'm.room.message', 't1']) // '/_matrix/client/v3/rooms/!r%3Ahub/send/m.room.message/t1'
 */
export function expandPathEnum(segments: readonly string[]): string | undefined {
  const t = segments.length > 0 ? TEMPLATES.get(segments[0]!) : undefined;
  if (!t || segments.length - 1 < t.params) return undefined;
  let next = 1;
  return '/' + t.segments.map((s) => (PARAM.test(s) ? encodeURIComponent(segments[next++]!) : s)).join('/');
}

/**
 * Compresses a decoded HTTP path (`/_matrix/client/r0/...` or `/v3/...`) to its enum path segments, or returns
 * undefined when no enum covers it (the client then sends the full path).
 * @example compressPath('/_matrix/client/v3/join/#hall:hub') // ['L', '#hall:hub']
 */
export function compressPath(path: string): string[] | undefined {
  const segs = path.split('/').slice(1).map((s) => (VERSION.test(s) ? 'v3' : s));
  for (const [e, t] of TEMPLATES) {
    if (t.segments.length !== segs.length) continue;
    const params: string[] = [];
    if (t.segments.every((s, i) => (PARAM.test(s) ? (params.push(segs[i]!), segs[i] !== '') : s === segs[i]))) return [e, ...params];
  }
  return undefined;
}
