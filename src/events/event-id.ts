/** Event ids (rooms/v1, v3, v4 §"Event IDs") and v12 room ids derived from the create event (MSC4291). */
import { encodeBase64, encodeBase64Url } from './base64.js';
import { referenceHashBytes } from './hashes.js';
import { resolveRoomVersion, type RoomVersion } from './room-versions.js';
import type { Pdu } from './types.js';

/**
 * The id of an event in its room version:
 * - v1/v2: the event carries its own `$opaque_id:domain` in `event_id` (throws if it is missing);
 * - v3: `$` + the reference hash in standard unpadded base64;
 * - v4+: `$` + the reference hash in URL-safe unpadded base64.
 *
 * @example computeEventId(pdu, '10') // '$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg'-like
 */
export function computeEventId(event: Pdu | Record<string, unknown>, roomVersion: RoomVersion | string): string {
  const rv = resolveRoomVersion(roomVersion);
  switch (rv.eventIdFormat) {
    case 'v1': {
      const id = (event as { event_id?: unknown }).event_id;
      if (typeof id !== 'string' || id.length === 0) throw new TypeError(`room version ${rv.id} events must carry an event_id`);
      return id;
    }
    case 'v3':
      // v3: the reference hash encoded using unpadded base64, prefixed with `$`.
      return '$' + encodeBase64(referenceHashBytes(event, rv));
    case 'v4':
      // v4: the reference hash encoded using URL-safe unpadded base64, prefixed with `$`.
      return '$' + encodeBase64Url(referenceHashBytes(event, rv));
  }
}

/**
 * The v12 room id of a create event: its event id with the sigil `!` instead of `$`
 * (appendices §"Room IDs"; rooms/v12 auth rule 1.2). Does not check the event's type.
 * @example computeRoomIdV12(createEvent) // '!Nhcu5BS-UMnFX7hBVfVSoXiD7OgH6iRT-xyIuqDnpYQ'-like
 */
export function computeRoomIdV12(createEvent: Pdu | Record<string, unknown>): string {
  return '!' + encodeBase64Url(referenceHashBytes(createEvent, '12'));
}

/**
 * The room id a create event belongs to: derived from its reference hash where the room version says
 * so (v12+), otherwise the `room_id` the create event carries (throws if it is missing).
 * @example roomIdForCreateEvent(createEvent, '10') // createEvent.room_id
 */
export function roomIdForCreateEvent(createEvent: Pdu | Record<string, unknown>, roomVersion: RoomVersion | string): string {
  const rv = resolveRoomVersion(roomVersion);
  if (rv.roomIdFromCreateEvent) return '!' + encodeBase64Url(referenceHashBytes(createEvent, rv));
  const id = (createEvent as { room_id?: unknown }).room_id;
  if (typeof id !== 'string' || id.length === 0) throw new TypeError(`room version ${rv.id} create events must carry a room_id`);
  return id;
}
