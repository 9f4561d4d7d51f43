/** Checks shared by the per-user data endpoints (account data, tags, filters): only your own user, well-formed room ids. */
import { forbidden, invalidParam } from '../http/errors.js';
import type { RequestContext } from '../http/route.js';

/** 403 M_FORBIDDEN unless the path's `{userId}` is the caller ("The access token must be authorised to make requests for this user ID"). */
export function requireSelf(ctx: RequestContext, what: string): string {
  const userId = ctx.params.userId!;
  if (userId !== ctx.principal!.userId) throw forbidden(`Cannot ${what} for other users.`);
  return userId;
}

/**
 * 400 M_INVALID_PARAM unless `{roomId}` is a room id: `!` and an opaque part (room versions 1–11 add
 * `:server`; from v12 the id is the create event's hash), at most 255 bytes.
 */
export function requireRoomId(ctx: RequestContext): string {
  const roomId = ctx.params.roomId!;
  if (!/^![^\s]+$/u.test(roomId) || Buffer.byteLength(roomId) > 255) throw invalidParam(`${roomId} is not a valid room ID.`);
  return roomId;
}
