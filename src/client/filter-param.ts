/** The `filter` query parameter of /messages and /context: a RoomEventFilter as JSON. */
import { MatrixError } from '../http/errors.js';
import type { StoredEvent } from '../storage/room-types.js';

export interface RoomEventFilterParam {
  accept: (e: StoredEvent) => boolean;
  lazyLoadMembers: boolean;
}

const globToRegExp = (g: string) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/** Parses the filter; 400 M_BAD_JSON / M_INVALID_PARAM when it is not a JSON object. */
export function parseRoomEventFilter(raw: string | null): RoomEventFilterParam {
  if (raw === null || raw === '') return { accept: () => true, lazyLoadMembers: false };
  let f: Record<string, unknown>;
  try {
    f = JSON.parse(raw);
  } catch {
    throw new MatrixError(400, 'M_NOT_JSON', 'filter is not valid JSON');
  }
  if (typeof f !== 'object' || f === null || Array.isArray(f)) throw new MatrixError(400, 'M_BAD_JSON', 'filter must be a JSON object');
  const list = (k: string) => (Array.isArray(f[k]) ? (f[k] as unknown[]).filter((x): x is string => typeof x === 'string') : null);
  const types = list('types')?.map(globToRegExp) ?? null;
  const notTypes = list('not_types')?.map(globToRegExp) ?? [];
  const senders = list('senders');
  const notSenders = list('not_senders') ?? [];
  const containsUrl = typeof f.contains_url === 'boolean' ? f.contains_url : null;
  return {
    lazyLoadMembers: f.lazy_load_members === true,
    accept: (e) => {
      const { type, sender, content } = e.pdu;
      if (notTypes.some((r) => r.test(type))) return false;
      if (types && !types.some((r) => r.test(type))) return false;
      if (notSenders.includes(sender)) return false;
      if (senders && !senders.includes(sender)) return false;
      if (containsUrl !== null && (typeof content?.url === 'string') !== containsUrl) return false;
      return true;
    },
  };
}
