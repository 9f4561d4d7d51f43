/** Test support: runs decode and encode fixture tables against a profile (used by profiles/*.test.ts). */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommandMessage } from '../../profiles/command-parse.js';
import type { Command, DecodedItem, DeviceRef, Profile, Publish } from '../../profiles/types.js';

/** One decode row: a message and the items expected (`'ignore'` = any ignore item). */
export interface DecodeRow {
  name: string;
  topic: string;
  /** Strings are sent as UTF-8, objects as JSON. */
  payload: string | Uint8Array | object;
  retained?: boolean;
  device?: DeviceRef;
  expect: DecodedItem[] | 'ignore';
}

/** One encode row: a room command line (or Command) and the publishes, or an error pattern. */
export interface EncodeRow {
  name: string;
  command: string | Command;
  device?: DeviceRef;
  expect: Publish[] | RegExp;
}

function toBytes(p: DecodeRow['payload']): Uint8Array {
  if (p instanceof Uint8Array) return p;
  return new TextEncoder().encode(typeof p === 'string' ? p : JSON.stringify(p));
}

/**
 * Declares one `it` per decode row.
 * @example decodeTable(tasmotaProfile, { name: 'plug', topic: 'plug' }, [{ name: 'LWT', topic: 'tele/plug/LWT', payload: 'Online', expect: [...] }])
 */
export function decodeTable(profile: Profile, device: DeviceRef, rows: DecodeRow[]): void {
  for (const row of rows) {
    it(row.name, () => {
      const items = profile.decode(row.device ?? device, row.topic, toBytes(row.payload), row.retained ?? false);
      if (row.expect === 'ignore') {
        assert.ok(items.length > 0 && items.every((i) => i.kind === 'ignore'), JSON.stringify(items));
      } else {
        assert.deepEqual(items, row.expect);
      }
    });
  }
}

/**
 * Declares one `it` per encode row; string commands are parsed as room messages with id `$cmd`.
 * @example encodeTable(tasmotaProfile, device, [{ name: 'power on', command: '!power on', expect: [...] }])
 */
export function encodeTable(profile: Profile, device: DeviceRef, rows: EncodeRow[]): void {
  for (const row of rows) {
    it(row.name, () => {
      let command = row.command;
      if (typeof command === 'string') {
        const parsed = parseCommandMessage(command, { id: '$cmd', sender: '@ann:hub.local' });
        assert.ok(parsed && !('error' in parsed), `not a command: ${command}`);
        command = parsed;
      }
      const out = profile.encode(row.device ?? device, command);
      if (row.expect instanceof RegExp) {
        assert.ok(!Array.isArray(out), `expected an error, got ${JSON.stringify(out)}`);
        assert.match(out.error, row.expect);
      } else {
        assert.deepEqual(out, row.expect);
      }
    });
  }
}
