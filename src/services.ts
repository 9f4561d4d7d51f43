/** The services object every API module receives: config, store, clock, logger and the shared domain services. */
import type { HubConfig } from './config/options.js';
import type { Logger } from './log.js';
import type { Store } from './storage/types.js';
import type { ServerKeys } from './keys/signing-key.js';
import type { Accounts } from './accounts/accounts.js';
import type { RoomService } from './rooms/room-service.js';
import type { EventReader } from './rooms/event-reader.js';
import type { Membership } from './rooms/membership.js';
import type { Typing } from './rooms/typing.js';
import type { Receipts } from './rooms/receipts.js';
import type { Notifier } from './sync/notifier.js';
import type { SyncService } from './sync/sync-service.js';

export interface Services {
  config: HubConfig;
  store: Store;
  log: Logger;
  now: () => number;
  keys: ServerKeys;
  version: string;
  accounts: Accounts;
  /** The one writer of room events. */
  rooms: RoomService;
  /** Cached event and state reads. */
  reader: EventReader;
  membership: Membership;
  typing: Typing;
  receipts: Receipts;
  notifier: Notifier;
  sync: SyncService;
  /** Content for a user's m.room.member events (displayname, avatar_url). */
  memberContent(userId: string): Promise<Record<string, unknown>>;
}
