/** Room Tagging (spec: "Room Tagging"): tags kept, as Synapse does, in the room account data event `m.tag`. */
import { badJson, invalidParam } from '../http/errors.js';
import { jsonObject } from '../http/body.js';
import { clientRoute, type RequestContext, type Route } from '../http/route.js';
import type { Services } from '../services.js';
import { writeAccountData } from '../account-data/write.js';
import { Mutex } from '../rooms/mutex.js';
import type { JsonObject } from '../storage/user-data-types.js';
import { requireRoomId, requireSelf } from './user-data-checks.js';

/** The room account data type holding a room's tags: `{"tags": {name: {order?}}}`. */
export const TAG_TYPE = 'm.tag';
/** "The name of a tag MUST NOT exceed 255 bytes." */
const MAX_TAG_BYTES = 255;

/** The `tags` map of an `m.tag` content (a fresh object; {} when unset or malformed). */
export function tagsOf(content: unknown): Record<string, JsonObject> {
  const tags = typeof content === 'object' && content !== null ? (content as { tags?: unknown }).tags : undefined;
  return typeof tags === 'object' && tags !== null && !Array.isArray(tags) ? { ...(tags as Record<string, JsonObject>) } : {};
}

export function tagRoutes(s: Services): Route[] {
  // Tag edits read, change and write the whole m.tag event; one at a time so none is lost.
  const writes = new Mutex();

  /** GET /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags */
  const list = async (ctx: RequestContext) => {
    const userId = requireSelf(ctx, 'get tags');
    const roomId = requireRoomId(ctx);
    return { tags: tagsOf(await s.store.accountData.get(userId, roomId, TAG_TYPE)) };
  };

  /** PUT /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag} */
  const put = async (ctx: RequestContext) => {
    const userId = requireSelf(ctx, 'add tags');
    const roomId = requireRoomId(ctx);
    const tag = ctx.params.tag!;
    if (Buffer.byteLength(tag) > MAX_TAG_BYTES) throw invalidParam(`Tag names must not exceed ${MAX_TAG_BYTES} bytes`);
    const body = jsonObject(ctx.body);
    // Tag schema: `order` is a number (a position in [0, 1]).
    if ('order' in body && (typeof body.order !== 'number' || !Number.isFinite(body.order))) throw badJson("'order' must be a number");
    await writes.run(async () => {
      const tags = tagsOf(await s.store.accountData.get(userId, roomId, TAG_TYPE));
      // defineProperty, not `tags[tag] =`: a tag named __proto__ must stay an ordinary key.
      Object.defineProperty(tags, tag, { value: body, enumerable: true, writable: true, configurable: true });
      await writeAccountData(s, userId, roomId, TAG_TYPE, { tags });
    });
    return {};
  };

  /** DELETE /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag} */
  const remove = async (ctx: RequestContext) => {
    const userId = requireSelf(ctx, 'remove tags');
    const roomId = requireRoomId(ctx);
    const tag = ctx.params.tag!;
    await writes.run(async () => {
      const tags = tagsOf(await s.store.accountData.get(userId, roomId, TAG_TYPE));
      if (!Object.prototype.hasOwnProperty.call(tags, tag)) return; // nothing to remove: 200, and no change for /sync
      delete tags[tag];
      await writeAccountData(s, userId, roomId, TAG_TYPE, { tags });
    });
    return {};
  };

  return [
    ...clientRoute('GET', '/user/{userId}/rooms/{roomId}/tags', 'user', list),
    ...clientRoute('PUT', '/user/{userId}/rooms/{roomId}/tags/{tag}', 'user', put),
    ...clientRoute('DELETE', '/user/{userId}/rooms/{roomId}/tags/{tag}', 'user', remove),
  ];
}
