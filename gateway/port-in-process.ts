/** The in-process MatrixPort adapter: direct calls into the room service, accounts and notifier of this hub. */
import type { Services } from '../src/services.js';
import { createAccounts } from '../src/accounts/accounts.js';
import { createRoom } from '../src/rooms/create-room.js';
import { roomPower } from '../src/rooms/room-power.js';
import { Mutex } from '../src/rooms/mutex.js';
import { stateMapKey } from '../src/events/state-map.js';
import { MatrixError } from '../src/http/errors.js';
import type { RoomEventNotice } from '../src/sync/notifier.js';
import { CanonicalJsonError } from '../src/events/canonical-json.js';
import { EventRejectedError, type EnsureRoomRequest, type MatrixPort, type PortEvent } from './port.js';

/** The device id under which the gateway's transactions are stored, so deduplication survives restarts. */
export const GATEWAY_DEVICE_ID = 'HEARTH_GATEWAY';

/** The required levels every room created by createRoom starts with; `EnsureRoomRequest.events` merges over them. */
const DEFAULT_EVENT_LEVELS: Record<string, number> = {
  'm.room.name': 50, 'm.room.power_levels': 100, 'm.room.history_visibility': 100, 'm.room.canonical_alias': 50,
  'm.room.avatar': 50, 'm.room.tombstone': 100, 'm.room.server_acl': 100, 'm.room.encryption': 100,
};

type ServicesView = Pick<Services, 'config' | 'store' | 'rooms' | 'reader' | 'membership' | 'notifier' | 'memberContent' | 'now'>;

/** Permanent refusals (4xx, unsignable content) become EventRejectedError; anything else (storage) passes through. */
function classify(err: unknown): never {
  if ((err instanceof MatrixError && err.status < 500) || err instanceof CanonicalJsonError) throw new EventRejectedError((err as Error).message);
  throw err;
}

function toPortEvent(n: RoomEventNotice): PortEvent {
  const e = n.event;
  return {
    roomId: n.roomId, eventId: e.event_id, sender: e.sender, type: e.type, content: e.content,
    originServerTs: e.origin_server_ts, ...(typeof e.state_key === 'string' ? { stateKey: e.state_key } : {}),
  };
}

/** Builds the port over this hub's services. */
export function createInProcessPort(s: ServicesView): MatrixPort {
  const serverName = s.config.serverName;
  const accounts = createAccounts({ store: s.store, serverName, now: s.now });
  const creating = new Mutex();
  const byRoom = new Map<string, Set<(e: PortEvent) => void>>();
  let unsubscribe: (() => void) | undefined;

  function dispatch(n: RoomEventNotice): void {
    const handlers = [...(byRoom.get(n.roomId) ?? []), ...(byRoom.get('*') ?? [])];
    if (handlers.length === 0) return;
    const e = toPortEvent(n);
    for (const h of handlers) h(e);
  }

  async function membershipOf(roomId: string, userId: string): Promise<string | undefined> {
    const m = await s.membership.currentMember(roomId, userId);
    return typeof m?.membership === 'string' ? m.membership : undefined;
  }

  async function getState(roomId: string, type: string, stateKey: string): Promise<Record<string, unknown> | undefined> {
    const room = await s.rooms.roomState(roomId);
    const id = room?.state.get(stateMapKey(type, stateKey));
    return id ? (await s.reader.getEvent(id))?.pdu.content : undefined;
  }

  async function setState(asUser: string, roomId: string, type: string, stateKey: string, content: Record<string, unknown>): Promise<string> {
    return (await s.rooms.send({ roomId, sender: asUser, type, stateKey, content }).catch(classify)).eventId;
  }

  return {
    serverName,
    async registerVirtualUser(localpart, displayname) {
      const userId = `@${localpart}:${serverName}`;
      if (await s.store.accounts.getUser(userId)) return userId;
      try {
        await accounts.createUser({ localpart, password: null, displayname });
      } catch (err) {
        if (!(err instanceof MatrixError && err.errcode === 'M_USER_IN_USE')) throw err;
      }
      return userId;
    },
    ensureRoom(req: EnsureRoomRequest) {
      return creating.run(async () => {
        const alias = `#${req.aliasLocalpart}:${serverName}`;
        const found = await s.store.rooms.getAlias(alias);
        if (found) return { roomId: found.roomId, created: false };
        const { roomId } = await createRoom(
          { rooms: s.rooms, store: s.store, serverName, memberContent: s.memberContent },
          req.creator,
          {
            preset: 'private_chat', room_alias_name: req.aliasLocalpart, name: req.name, topic: req.topic,
            creation_content: req.creationContent,
            power_level_content_override: { users: { [req.creator]: 100, ...req.users }, events: { ...DEFAULT_EVENT_LEVELS, ...req.events } },
            initial_state: req.initialState?.map((x) => ({ type: x.type, state_key: x.stateKey, content: x.content })),
          },
        );
        return { roomId, created: true };
      });
    },
    async joinRoom(userId, roomId) {
      await s.membership.join(roomId, userId);
    },
    async invite(sender, roomId, userId) {
      const now = await membershipOf(roomId, userId);
      if (now === 'join' || now === 'invite') return;
      await s.membership.change('invite', roomId, sender, userId);
    },
    sendEvent(asUser, roomId, type, content, opts = {}) {
      // One promise per event (no async frame): a burst of readings keeps thousands of these waiting for the writer.
      const txn = opts.txnId !== undefined ? { deviceId: GATEWAY_DEVICE_ID, txnId: opts.txnId } : undefined;
      return s.rooms.send({ roomId, sender: asUser, type, content, txn }).then((r) => r.eventId, classify);
    },
    findTxn: (asUser, txnId) => s.store.rooms.getTxn(asUser, GATEWAY_DEVICE_ID, 'send', txnId),
    setState,
    getState,
    async standing(roomId, userId) {
      const power = await roomPower(s.rooms, s.reader, roomId);
      if (!power) return { membership: undefined, level: 0, powerLevels: {} };
      return { membership: await power.membership(userId), level: power.level(userId), powerLevels: power.powerLevels ?? {} };
    },
    subscribe(roomId, handler) {
      let set = byRoom.get(roomId);
      if (!set) byRoom.set(roomId, (set = new Set()));
      set.add(handler);
      unsubscribe ??= s.notifier.subscribe(dispatch);
      return () => {
        set.delete(handler);
        if (set.size === 0) byRoom.delete(roomId);
        if (byRoom.size === 0 && unsubscribe) { unsubscribe(); unsubscribe = undefined; }
      };
    },
    async admins() {
      return (await s.store.accounts.listUsers()).filter((u) => u.admin && !u.deactivated && !u.isGuest).map((u) => u.userId);
    },
    async addToSpace(asUser, spaceId, roomId) {
      const via = [serverName];
      if (!(await getState(spaceId, 'm.space.child', roomId))?.via) await setState(asUser, spaceId, 'm.space.child', roomId, { via });
      if (!(await getState(roomId, 'm.space.parent', spaceId))?.via) await setState(asUser, roomId, 'm.space.parent', spaceId, { via, canonical: true });
    },
  };
}
