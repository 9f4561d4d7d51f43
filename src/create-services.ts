/** Builds the Services object: the domain services every API module shares, wired from config, store, keys and clock. */
import type { HubConfig } from './config/options.js';
import type { Logger } from './log.js';
import type { Store } from './storage/types.js';
import type { ServerKeys } from './keys/signing-key.js';
import type { Services } from './services.js';
import { createAccounts } from './accounts/accounts.js';
import { createUia } from './accounts/uia.js';
import { createTokenIssuer } from './accounts/tokens.js';
import { createEventSigner } from './events/event-signing.js';
import { createEventReader } from './rooms/event-reader.js';
import { createRoomService } from './rooms/room-service.js';
import { createMembership } from './rooms/membership.js';
import { createTyping } from './rooms/typing.js';
import { createReceipts } from './rooms/receipts.js';
import { createNotifier } from './sync/notifier.js';
import { createSyncService } from './sync/sync-service.js';
import { createUserDataSyncExtras } from './sync/sync-user-data.js';
import { createUnreadCounter } from './sync/unread.js';
import { createRoomHooks } from './rooms/account-hooks.js';
import { createPresence } from './presence/presence.js';
import { HEARTH_VERSION } from './version.js';
import { createE2eService } from './e2e/e2e-service.js';
import { createE2eSync } from './e2e/e2e-sync.js';
import type { BackgroundThread } from './background/background-thread.js';

export interface ServiceDeps {
  config: HubConfig;
  store: Store;
  keys: ServerKeys;
  log: Logger;
  now: () => number;
  background?: BackgroundThread;
}

export async function createServices(deps: ServiceDeps): Promise<Services> {
  const { config, store, keys, log, now } = deps;
  const serverName = config.serverName;
  const notifier = createNotifier();
  const reader = createEventReader(store.rooms);
  const signer = createEventSigner(serverName, keys.current.keyId, keys.current.seed);
  const rooms = await createRoomService({ store, reader, signer, serverName, notifier, now, log, seed: keys.current.seed, background: deps.background });
  const accounts = createAccounts({ store, serverName, now });
  const memberContent = async (userId: string): Promise<Record<string, unknown>> => {
    if (!userId.endsWith(`:${serverName}`)) return {};
    const profile = await store.profiles.get(userId);
    if (!profile) return { displayname: userId.slice(1, userId.indexOf(':')) };
    return {
      ...(profile.displayname !== null ? { displayname: profile.displayname } : {}),
      ...(profile.avatarUrl !== null ? { avatar_url: profile.avatarUrl } : {}),
    };
  };
  const membership = createMembership({ rooms, store, reader, serverName, memberContent });
  const typing = createTyping({ notifier, now });
  const receipts = await createReceipts({ store, notifier, now });
  const presence = createPresence({ enabled: config.presence, now, onChange: (userId) => notifier.user(userId) });
  const unread = createUnreadCounter({ store, reader, rooms, receiptsPosition: () => receipts.position() });
  const e2e = await createE2eService({ store, notifier, log, now });
  const sync = createSyncService({ store, reader, rooms, typing, receipts, notifier, now, extras: createUserDataSyncExtras({ store, unread, e2e: createE2eSync({ store, e2e }) }), presence });
  const hooks = createRoomHooks({ store, rooms, membership, memberContent });
  return {
    ...hooks,
    config, store, keys, log, now, version: HEARTH_VERSION,
    accounts, rooms, reader, membership, typing, receipts, notifier, sync, memberContent, presence, e2e,
    onDevicesDeleted: e2e.onDevicesDeleted,
    uia: createUia({ now }),
    tokens: createTokenIssuer({ store, now, accessTokenLifetimeMs: config.accessTokenLifetime }),
  };
}
