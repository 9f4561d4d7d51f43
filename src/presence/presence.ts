/** Presence: each user's online/unavailable/offline state and status message, in memory, with a stream id for /sync. */

export type PresenceState = 'online' | 'unavailable' | 'offline';

export const PRESENCE_STATES: readonly PresenceState[] = ['online', 'unavailable', 'offline'];

/** A user's presence as the client-server API shows it (the `content` of an m.presence event, without user_id). */
export interface PresenceView {
  presence: PresenceState;
  last_active_ago?: number;
  status_msg?: string | null;
  currently_active?: boolean;
}

export interface PresenceDeps {
  /** Off: set() is ignored and every user reads offline (Synapse's `presence.enabled: false`). */
  enabled: boolean;
  now: () => number;
  /** Called after a user's presence changed (e.g. to wake /sync); never throws into the caller. */
  onChange?: (userId: string) => void;
}

interface Entry {
  state: PresenceState;
  statusMsg: string | null;
  lastActiveTs: number;
  streamId: number;
}

/** Without activity for this long, an online user reads as unavailable (Synapse's IDLE_TIMER). */
export const IDLE_AFTER_MS = 5 * 60_000;
/** Activity this recent counts as `currently_active` (Synapse's LAST_ACTIVE_GRANULARITY). */
export const CURRENTLY_ACTIVE_MS = 60_000;

export function createPresence(deps: PresenceDeps) {
  const { enabled, now } = deps;
  const users = new Map<string, Entry>();
  // Kept in memory only: starting from the clock keeps positions rising across restarts, so an old sync token
  // never hides changes made after the restart.
  let streamId = deps.now();

  function changed(userId: string): void {
    try { deps.onChange?.(userId); } catch { /* a subscriber's failure never reaches the writer */ }
  }

  /** The state as seen now: online goes unavailable after IDLE_AFTER_MS without activity, computed lazily (no timers). */
  function effective(e: Entry, at: number): PresenceState {
    return e.state === 'online' && at - e.lastActiveTs > IDLE_AFTER_MS ? 'unavailable' : e.state;
  }

  function view(userId: string): PresenceView {
    const e = enabled ? users.get(userId) : undefined;
    if (!e) return { presence: 'offline' };
    const at = now();
    const state = effective(e, at);
    const ago = Math.max(0, at - e.lastActiveTs);
    return {
      presence: state,
      last_active_ago: ago,
      ...(e.statusMsg !== null ? { status_msg: e.statusMsg } : {}),
      ...(state === 'online' ? { currently_active: ago < CURRENTLY_ACTIVE_MS } : {}),
    };
  }

  return {
    enabled,
    /** PUT /presence/{userId}/status: sets the state (and the status message when given; null clears it). */
    set(userId: string, state: PresenceState, statusMsg?: string | null): void {
      if (!enabled) return;
      const prev = users.get(userId);
      const at = now();
      // Setting any state is activity (spec: "the activity time is updated to reflect that activity").
      users.set(userId, {
        state, statusMsg: statusMsg === undefined ? prev?.statusMsg ?? null : statusMsg, lastActiveTs: at, streamId: ++streamId,
      });
      changed(userId);
    },
    /** Records activity (a request, a sync): refreshes last_active and brings an unavailable-by-idleness user back online. */
    bumpActive(userId: string): void {
      if (!enabled) return;
      const e = users.get(userId);
      if (!e || e.state === 'offline') return;
      const wasIdle = effective(e, now()) !== e.state;
      e.lastActiveTs = now();
      if (wasIdle) { e.streamId = ++streamId; changed(userId); }
    },
    /** GET /presence/{userId}/status: offline for users never seen (and for everyone when presence is off). */
    get: view,
    /** The stream position of the latest change, for sync tokens. */
    currentStreamId(): number { return streamId; },
    /** Users among `userIds` whose presence changed after `sinceStreamId`, with their current view, oldest change first. */
    changesSince(userIds: Iterable<string>, sinceStreamId: number): Array<{ userId: string; content: PresenceView }> {
      if (!enabled) return [];
      const out: Array<{ userId: string; streamId: number }> = [];
      for (const u of new Set(userIds)) {
        const e = users.get(u);
        if (e && e.streamId > sinceStreamId) out.push({ userId: u, streamId: e.streamId });
      }
      return out.sort((a, b) => a.streamId - b.streamId).map((c) => ({ userId: c.userId, content: view(c.userId) }));
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
