/** The services object every API module receives: config, store, clock, logger and the shared domain services. */
import type { HubConfig } from './config/options.js';
import type { Logger } from './log.js';
import type { Store } from './storage/types.js';
import type { ServerKeys } from './keys/signing-key.js';
import type { Accounts } from './accounts/accounts.js';
import type { Uia } from './accounts/uia.js';
import type { TokenIssuer } from './accounts/tokens.js';
import type { ProfileChange } from './accounts/hooks.js';
import type { RoomService } from './rooms/room-service.js';
import type { EventReader } from './rooms/event-reader.js';
import type { Membership } from './rooms/membership.js';
import type { Typing } from './rooms/typing.js';
import type { Receipts } from './rooms/receipts.js';
import type { Notifier } from './sync/notifier.js';
import type { SyncService } from './sync/sync-service.js';
import type { Presence } from './presence/presence.js';
import type { E2eService } from './e2e/e2e-service.js';

export interface Services {
  config: HubConfig;
  store: Store;
  log: Logger;
  now: () => number;
  keys: ServerKeys;
  version: string;
  accounts: Accounts;
  /** User-interactive auth sessions, shared by every endpoint that uses UIA. */
  uia: Uia;
  /** Issues devices and access/refresh tokens (login, registration, refresh). */
  tokens: TokenIssuer;
  /** Optional hook, after an account was deactivated (its devices and tokens are gone): leave its rooms. */
  onDeactivate?: (userId: string) => Promise<void>;
  /** Optional hook, after a local user's display name or avatar changed: update their m.room.member events. */
  onProfileChange?: (userId: string, profile: ProfileChange) => Promise<void>;
  /** Optional hook, after devices were deleted (logout, device deletion, deactivation): drop their end-to-end keys. */
  onDevicesDeleted?: (userId: string, deviceIds: readonly string[]) => Promise<void>;
  /** The one writer of room events. */
  rooms: RoomService;
  /** Cached event and state reads. */
  reader: EventReader;
  membership: Membership;
  typing: Typing;
  receipts: Receipts;
  notifier: Notifier;
  sync: SyncService;
  /** Presence states in memory (off with --presence off). */
  presence: Presence;
  /** End-to-end encryption: to-device and device-list streams, and the writes that wake syncs. */
  e2e: E2eService;
  /** Content for a user's m.room.member events (displayname, avatar_url). */
  memberContent(userId: string): Promise<Record<string, unknown>>;
}
