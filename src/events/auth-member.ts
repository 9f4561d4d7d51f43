/** The auth rule for m.room.member events (rule 5 in v1–v5 and v12, 4 in v6–v11): joins, invites, leaves, bans and knocks. */
import { type AuthContext, createEventOf, domainOf, hasKey, isObject, joinRuleOf, membershipOf, referenceIds } from './auth-common.js';
import { getNamedLevel, getPowerLevel } from './auth-power-levels.js';
import { allowBy, rejectBy, type AuthResult } from './auth-rule-numbers.js';
import { checkThirdPartyInvite } from './auth-third-party.js';
import type { Pdu } from './types.js';

/** Rule x.2 (v8+) default: a signature block of the server is present (receipt check 2 verifies it). */
function hasSignatureOf(event: Pdu, serverName: string): boolean {
  const block = isObject(event.signatures) ? event.signatures[serverName] : undefined;
  return isObject(block) && Object.keys(block).length > 0;
}

/** Rule numbers below are v1–v5 / v6–v7 / v8–v11 / v12 where they differ, e.g. join is 5.2 / 4.2 / 4.3 / 5.3. */
function checkJoin(event: Pdu, ctx: AuthContext, sender: string, target: string): AuthResult {
  const { rv, authEvents } = ctx;
  const create = createEventOf(authEvents);
  const prev = referenceIds(event.prev_events);
  // 5.2.1 / 4.2.1 / 4.3.1 / 5.3.1 If the only previous event is an m.room.create and the state_key is
  // the creator (v11+: the sender of the m.room.create), allow.
  if (create !== undefined && prev.length === 1 && prev[0] === create.event_id) {
    const creator = rv.implicitRoomCreator ? create.sender : create.content?.creator;
    if (target === creator) return allowBy(rv, 'join.creator');
  }
  // 5.2.2 / 4.2.2 / 4.3.2 / 5.3.2 If the sender does not match state_key, reject.
  if (sender !== target) return rejectBy(rv, 'join.notSelf', 'sender does not match state_key');
  const membership = membershipOf(authEvents, sender);
  // 5.2.3 / 4.2.3 / 4.3.3 / 5.3.3 If the sender is banned, reject.
  if (membership === 'ban') return rejectBy(rv, 'join.banned', 'sender is banned');
  const joinRule = joinRuleOf(authEvents);
  // 5.2.4 / 4.2.4 / 4.3.4 / 5.3.4 If the join_rule is invite (or knock, v7+) then allow if membership
  // state is invite or join.
  if (joinRule === 'invite' || (rv.knock && joinRule === 'knock')) {
    if (membership === 'invite' || membership === 'join') return allowBy(rv, 'join.invited');
  }
  // 4.3.5 / 5.3.5 (v8+) If the join_rule is restricted (or knock_restricted, v10+):
  if ((rv.restrictedJoins && joinRule === 'restricted') || (rv.knockRestricted && joinRule === 'knock_restricted')) {
    // 4.3.5.1 If membership state is join or invite, allow.
    if (membership === 'join' || membership === 'invite') return allowBy(rv, 'join.restrictedMember');
    // 4.3.5.2 If the join_authorised_via_users_server key in content is not a user with sufficient
    // permission to invite other users or is not a joined member of the room, reject.
    const authoriser = (event.content as Record<string, unknown>).join_authorised_via_users_server;
    if (typeof authoriser !== 'string') {
      return rejectBy(rv, 'join.restrictedAuthoriser', 'no join_authorised_via_users_server');
    }
    if (membershipOf(authEvents, authoriser) !== 'join') {
      return rejectBy(rv, 'join.restrictedAuthoriser', `authorising user ${authoriser} is not joined`);
    }
    if (getPowerLevel(authoriser, authEvents, rv) < getNamedLevel('invite', authEvents, rv)) {
      return rejectBy(rv, 'join.restrictedAuthoriser', `authorising user ${authoriser} cannot invite`);
    }
    // 4.3.5.3 Otherwise, allow.
    return allowBy(rv, 'join.restrictedAllow');
  }
  // 5.2.5 / 4.2.5 / 4.3.6 / 5.3.6 If the join_rule is public, allow.
  if (joinRule === 'public') return allowBy(rv, 'join.public');
  // 5.2.6 / 4.2.6 / 4.3.7 / 5.3.7 Otherwise, reject.
  return rejectBy(rv, 'join.reject', `join_rule ${JSON.stringify(joinRule)} does not let the sender join`);
}

function checkInvite(event: Pdu, ctx: AuthContext, sender: string, target: string): AuthResult {
  const { rv, authEvents } = ctx;
  // 5.3.1 / 4.3.1 / 4.4.1 / 5.4.1 If content has a third_party_invite property: (auth-third-party.ts)
  if (hasKey(event.content, 'third_party_invite')) return checkThirdPartyInvite(event, ctx);
  // 5.3.2 / 4.3.2 / 4.4.2 / 5.4.2 If the sender's current membership state is not join, reject.
  if (membershipOf(authEvents, sender) !== 'join') return rejectBy(rv, 'invite.senderJoined', 'sender is not joined');
  const targetMembership = membershipOf(authEvents, target);
  // 5.3.3 / 4.3.3 / 4.4.3 / 5.4.3 If target user's current membership state is join or ban, reject.
  if (targetMembership === 'join' || targetMembership === 'ban') {
    return rejectBy(rv, 'invite.target', `target user is ${targetMembership === 'join' ? 'joined' : 'banned'}`);
  }
  // 5.3.4 / 4.3.4 / 4.4.4 / 5.4.4 If the sender's power level is greater than or equal to the invite level, allow.
  if (getPowerLevel(sender, authEvents, rv) >= getNamedLevel('invite', authEvents, rv)) return allowBy(rv, 'invite.level');
  // 5.3.5 / 4.3.5 / 4.4.5 / 5.4.5 Otherwise, reject.
  return rejectBy(rv, 'invite.reject', 'sender is below the invite level');
}

function checkLeave(ctx: AuthContext, sender: string, target: string): AuthResult {
  const { rv, authEvents } = ctx;
  const senderMembership = membershipOf(authEvents, sender);
  // 5.4.1 / 4.4.1 / 4.5.1 / 5.5.1 If the sender matches state_key, allow if and only if that user's
  // current membership state is invite or join (or knock, v7+).
  if (sender === target) {
    const ok = senderMembership === 'invite' || senderMembership === 'join' || (rv.knock && senderMembership === 'knock');
    return ok ? allowBy(rv, 'leave.self') : rejectBy(rv, 'leave.self', `sender cannot leave from membership ${senderMembership ?? 'none'}`);
  }
  // 5.4.2 / 4.4.2 / 4.5.2 / 5.5.2 If the sender's current membership state is not join, reject.
  if (senderMembership !== 'join') return rejectBy(rv, 'leave.senderJoined', 'sender is not joined');
  const senderLevel = getPowerLevel(sender, authEvents, rv);
  // 5.4.3 / 4.4.3 / 4.5.3 / 5.5.3 If the target user's current membership state is ban, and the
  // sender's power level is less than the ban level, reject.
  if (membershipOf(authEvents, target) === 'ban' && senderLevel < getNamedLevel('ban', authEvents, rv)) {
    return rejectBy(rv, 'leave.unban', 'sender is below the ban level and the target is banned');
  }
  // 5.4.4 / 4.4.4 / 4.5.4 / 5.5.4 If the sender's power level is greater than or equal to the kick
  // level, and the target user's power level is less than the sender's power level, allow.
  if (senderLevel >= getNamedLevel('kick', authEvents, rv) && getPowerLevel(target, authEvents, rv) < senderLevel) {
    return allowBy(rv, 'leave.kick');
  }
  // 5.4.5 / 4.4.5 / 4.5.5 / 5.5.5 Otherwise, reject.
  return rejectBy(rv, 'leave.reject', 'sender is below the kick level or not above the target');
}

function checkBan(ctx: AuthContext, sender: string, target: string): AuthResult {
  const { rv, authEvents } = ctx;
  // 5.5.1 / 4.5.1 / 4.6.1 / 5.6.1 If the sender's current membership state is not join, reject.
  if (membershipOf(authEvents, sender) !== 'join') return rejectBy(rv, 'ban.senderJoined', 'sender is not joined');
  const senderLevel = getPowerLevel(sender, authEvents, rv);
  // 5.5.2 / 4.5.2 / 4.6.2 / 5.6.2 If the sender's power level is greater than or equal to the ban
  // level, and the target user's power level is less than the sender's power level, allow.
  if (senderLevel >= getNamedLevel('ban', authEvents, rv) && getPowerLevel(target, authEvents, rv) < senderLevel) {
    return allowBy(rv, 'ban.level');
  }
  // 5.5.3 / 4.5.3 / 4.6.3 / 5.6.3 Otherwise, reject.
  return rejectBy(rv, 'ban.reject', 'sender is below the ban level or not above the target');
}

function checkKnock(ctx: AuthContext, sender: string, target: string): AuthResult {
  const { rv, authEvents } = ctx;
  const joinRule = joinRuleOf(authEvents);
  // 4.6.1 (v7) / 4.7.1 (v8–v11) / 5.7.1 (v12) If the join_rule is anything other than knock
  // (or knock_restricted, v10+), reject.
  if (joinRule !== 'knock' && !(rv.knockRestricted && joinRule === 'knock_restricted')) {
    return rejectBy(rv, 'knock.joinRule', `join_rule ${JSON.stringify(joinRule)} does not allow knocking`);
  }
  // 4.6.2 / 4.7.2 / 5.7.2 If sender does not match state_key, reject.
  if (sender !== target) return rejectBy(rv, 'knock.notSelf', 'sender does not match state_key');
  const membership = membershipOf(authEvents, sender);
  // 4.6.3 / 4.7.3 / 5.7.3 If the sender's current membership is not ban, invite, or join, allow.
  if (membership !== 'ban' && membership !== 'invite' && membership !== 'join') return allowBy(rv, 'knock.allow');
  // 4.6.4 / 4.7.4 / 5.7.4 Otherwise, reject.
  return rejectBy(rv, 'knock.reject', `sender's membership is ${membership}`);
}

/**
 * The m.room.member rule. The returned result is final: member events never reach the later rules.
 * @example checkMemberEvent(joinEvent, { rv, authEvents, options: {} }).allowed
 */
export function checkMemberEvent(event: Pdu, ctx: AuthContext): AuthResult {
  const { rv } = ctx;
  const content: Record<string, unknown> = isObject(event.content) ? event.content : {};
  // 5.1 / 4.1 / 4.1 / 5.1 If there is no state_key property, or no membership property in content, reject.
  if (typeof event.state_key !== 'string' || !hasKey(content, 'membership')) {
    return rejectBy(rv, 'member.fields', 'no state_key or no membership');
  }
  // 4.2 (v8–v11) / 5.2 (v12) If content has a join_authorised_via_users_server property:
  if (rv.restrictedJoins && hasKey(content, 'join_authorised_via_users_server')) {
    const authoriser = content.join_authorised_via_users_server;
    const server = typeof authoriser === 'string' ? domainOf(authoriser) : '';
    const signedBy = ctx.options.isSignedBy ?? hasSignatureOf;
    // 4.2.1 / 5.2.1 If the event is not validly signed by the homeserver of the user ID denoted by the key, reject.
    if (server === '' || !signedBy(event, server)) {
      return rejectBy(rv, 'member.authorisedSignature', `not signed by the server of ${String(authoriser)}`);
    }
  }
  const sender = event.sender;
  const target = event.state_key;
  switch (content.membership) {
    case 'join': return checkJoin(event, ctx, sender, target);
    case 'invite': return checkInvite(event, ctx, sender, target);
    case 'leave': return checkLeave(ctx, sender, target);
    case 'ban': return checkBan(ctx, sender, target);
    case 'knock': if (rv.knock) return checkKnock(ctx, sender, target); break;
  }
  // 5.6 / 4.6 (v6) / 4.7 (v7) / 4.8 / 5.8 Otherwise, the membership is unknown. Reject.
  return rejectBy(rv, 'member.unknown', `unknown membership ${JSON.stringify(content.membership)}`);
}

