/** The auth rule for invites made from a third party invite (rule 5.3.1 in v1–v5, 4.3.1 in v6–v7, 4.4.1 in v8–v11, 5.4.1 in v12). */
import { type AuthContext, hasKey, isObject, membershipOf } from './auth-common.js';
import { allowBy, rejectBy, type AuthResult } from './auth-rule-numbers.js';
import { decodeBase64, decodeBase64Url } from './base64.js';
import type { RoomVersion } from './room-versions.js';
import { verifySignedJson } from './signing.js';
import { stateMapKey } from './state-map.js';
import type { Pdu } from './types.js';

/** Decodes a public key published in m.room.third_party_invite (identity servers use either alphabet). */
function decodeKey(publicKey: string): Uint8Array | undefined {
  try {
    return decodeBase64(publicKey);
  } catch {
    try {
      return decodeBase64Url(publicKey);
    } catch {
      return undefined;
    }
  }
}

/**
 * Default check of one signature on `signed`: ed25519 over its canonical JSON (without `signatures`
 * and `unsigned`) with the base64 public key of the third party invite.
 * @example verifyThirdPartySignatureDefault(signed, 'id.example', 'ed25519:0', publicKeyBase64, rv) // true
 */
export function verifyThirdPartySignatureDefault(
  signed: Record<string, unknown>, serverName: string, keyId: string, publicKey: string, rv: RoomVersion,
): boolean {
  const key = decodeKey(publicKey);
  if (key === undefined || key.length !== 32) return false;
  return verifySignedJson(signed, serverName, keyId, key, { lenientNumbers: !rv.strictCanonicalJson });
}

/**
 * The public keys of an m.room.third_party_invite: `public_key` and each `public_keys[].public_key`.
 * @example thirdPartyInvitePublicKeys({ content: { public_key: 'abc', public_keys: [{ public_key: 'def' }] } } as Pdu) // ['abc', 'def']
 */
export function thirdPartyInvitePublicKeys(invite: Pdu): string[] {
  const keys: string[] = [];
  const content = isObject(invite.content) ? invite.content : {};
  // 7.1 A single public key in the public_key property.
  if (typeof content.public_key === 'string') keys.push(content.public_key);
  // 7.2 A list of public keys in the public_keys property.
  if (Array.isArray(content.public_keys)) {
    for (const entry of content.public_keys) {
      if (isObject(entry) && typeof entry.public_key === 'string') keys.push(entry.public_key);
    }
  }
  return keys;
}

/**
 * Checks an m.room.member invite whose content has `third_party_invite`. The returned result is final.
 * @example checkThirdPartyInvite(inviteEvent, { rv, authEvents, options: {} }).allowed
 */
export function checkThirdPartyInvite(event: Pdu, ctx: AuthContext): AuthResult {
  const { rv, authEvents } = ctx;
  const target = event.state_key as string;
  const tpi = (event.content as Record<string, unknown>).third_party_invite;
  // x.1.1 If target user is banned, reject.
  if (membershipOf(authEvents, target) === 'ban') return rejectBy(rv, 'tpi.banned', 'target user is banned');
  // x.1.2 If content.third_party_invite does not have a signed property, reject.
  if (!isObject(tpi) || !hasKey(tpi, 'signed') || !isObject(tpi.signed)) {
    return rejectBy(rv, 'tpi.signed', 'third_party_invite has no signed object');
  }
  const signed = tpi.signed;
  // x.1.3 If signed does not have mxid and token properties, reject.
  if (typeof signed.mxid !== 'string' || typeof signed.token !== 'string') {
    return rejectBy(rv, 'tpi.fields', 'signed lacks mxid or token');
  }
  // x.1.4 If mxid does not match state_key, reject.
  if (signed.mxid !== target) return rejectBy(rv, 'tpi.mxid', 'signed.mxid does not match state_key');
  // x.1.5 If there is no m.room.third_party_invite event in the current room state with state_key matching token, reject.
  const invite = authEvents.get(stateMapKey('m.room.third_party_invite', signed.token));
  if (invite === undefined) return rejectBy(rv, 'tpi.token', 'no m.room.third_party_invite for the token');
  // x.1.6 If sender does not match sender of the m.room.third_party_invite, reject.
  if (invite.sender !== event.sender) return rejectBy(rv, 'tpi.sender', 'sender did not send the m.room.third_party_invite');
  // x.1.7 If any signature in signed matches any public key in the m.room.third_party_invite event, allow.
  const verify = ctx.options.verifyThirdPartySignature
    ?? ((s, server, keyId, key) => verifyThirdPartySignatureDefault(s, server, keyId, key, rv));
  const signatures = isObject(signed.signatures) ? signed.signatures : {};
  for (const publicKey of thirdPartyInvitePublicKeys(invite)) {
    for (const [server, block] of Object.entries(signatures)) {
      if (!isObject(block)) continue;
      for (const keyId of Object.keys(block)) {
        if (verify(signed, server, keyId, publicKey)) return allowBy(rv, 'tpi.signature');
      }
    }
  }
  // x.1.8 Otherwise, reject.
  return rejectBy(rv, 'tpi.reject', 'no signature in signed matches a public key of the invite');
}
