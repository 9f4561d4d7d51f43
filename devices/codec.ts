/** Payload encoding for devices: CBOR (cbor-x, plain maps, no records or tags) by default, JSON on request. */
import { Decoder, Encoder } from 'cbor-x';

/**
 * Payload encoding on the wire.
 * @example
 * connectDevice({ url, device, token, encoding: 'json' as Encoding });
 */
export type Encoding = 'cbor' | 'json';

/** Plain CBOR: maps as maps (no tag 259), no record extension, byte strings untagged (cbor-x types omit tag 259's flag). */
const CBOR_OPTIONS = { useRecords: false, useTag259ForMaps: false, tagUint8Array: false };

/**
 * Encodes a value as CBOR (`useRecords: false, useTag259ForMaps: false`, so any CBOR decoder reads it) or JSON.
 * @example
 * encodePayload({ temperature: 21.5 }, 'cbor') // a1 6b 74 65 6d 70 … f9/fb …
 */
export function encodePayload(value: unknown, encoding: Encoding): Uint8Array {
  if (encoding === 'json') return new TextEncoder().encode(JSON.stringify(value));
  return new Uint8Array(new Encoder(CBOR_OPTIONS).encode(value));
}

/**
 * Decodes a command payload: JSON when it starts with `{`, else CBOR; maps become plain objects.
 * @example
 * decodePayload(new TextEncoder().encode('{"id":"$1","command":"blink"}')) // { id: '$1', command: 'blink' }
 */
export function decodePayload(bytes: Uint8Array): unknown {
  if (bytes[0] === 0x7b) return JSON.parse(new TextDecoder().decode(bytes));
  return new Decoder({ useRecords: false, mapsAsObjects: true }).decode(bytes);
}
