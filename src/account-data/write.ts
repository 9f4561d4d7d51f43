/** The one write path of account data: store the entry on its stream, then wake the user's long-polling /sync. */
import type { Store } from '../storage/types.js';
import type { JsonObject } from '../storage/user-data-types.js';

/** What writing needs: the store, and the notifier once the homeserver has one (structurally; no import cycle). */
export interface AccountDataDeps {
  store: Pick<Store, 'accountData'>;
  notifier?: { user(userId: string): void };
}

/** Sets `(userId, roomId | null, type)` to `content`; resolves to the new stream id. */
export async function writeAccountData(s: AccountDataDeps, userId: string, roomId: string | null, type: string, content: JsonObject): Promise<number> {
  const streamId = await s.store.accountData.set(userId, roomId, type, content);
  s.notifier?.user(userId);
  return streamId;
}
