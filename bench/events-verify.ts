/** Benchmark: sign and verify (content hash + ed25519 signature) throughput of realistic PDUs on one core. */
import { createPrivateKey, createPublicKey, randomBytes, sign as edSign, verify as edVerify } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  canonicalJson, createEventSigner, createEventVerifier, type EventSigner, type Pdu, type ServerKeyLookup,
} from '../src/events/index.js';

export interface EventsVerifyResult {
  events: number;
  rounds: number;
  meanEventBytes: number;
  /** Median events/s of `createEventSigner().sign` (content hash, redaction, signature). */
  signPerSec: number;
  /** Median events/s of `createEventVerifier().verify` (redaction, signature check, content hash, event id). */
  verifyPerSec: number;
  /** Median raw node:crypto ed25519 verifies/s of a message of the same size: the ceiling for verifyPerSec. */
  rawVerifyPerSec: number;
}

const ROOM_VERSION = '10';
const CHUNK = 500;
const SERVERS = ['hub.home', 'matrix.org', 'example.net', 'friends.example', 'kde.org'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function fakeEventId(i: number): string {
  return '$' + randomBytes(32).toString('base64url').slice(0, 43 - String(i).length) + String(i);
}

/** A message of a few hundred bytes, as sent by a device or a client, with plausible DAG links. */
function buildEvent(i: number): Pdu {
  const server = SERVERS[i % SERVERS.length]!;
  return {
    room_id: '!kitchenSensors:hub.home',
    sender: `@sensor_${i % 37}:${server}`,
    origin_server_ts: 1_700_000_000_000 + i * 1000,
    type: 'm.room.message',
    content: {
      msgtype: 'm.notice',
      body: `Kitchen: ${(18 + (i % 70) / 10).toFixed(1)} °C, humidity ${40 + (i % 20)} %`,
      'home.hearth.reading': { temperature: 180 + (i % 70), humidity: 40 + (i % 20), battery: 97, seq: i },
    },
    prev_events: [fakeEventId(i)],
    auth_events: [fakeEventId(i + 1), fakeEventId(i + 2), fakeEventId(i + 3)],
    depth: 10 + i,
    hashes: { sha256: '' },
    signatures: {},
    unsigned: { age: 12 },
  };
}

function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/**
 * Runs the benchmark: builds `events` signed PDUs from five servers, then measures sign and verify
 * throughput over `rounds` rounds and reports medians.
 * @example const r = main({ events: 2000, rounds: 3 }); console.log(r.verifyPerSec);
 */
export function main(opts: { events?: number; rounds?: number; log?: (line: string) => void } = {}): EventsVerifyResult {
  const n = opts.events ?? 20_000;
  const rounds = opts.rounds ?? 5;
  const log = opts.log ?? ((line: string) => console.log(line));

  const signers = new Map<string, EventSigner>(SERVERS.map((s) => [s, createEventSigner(s, 'ed25519:a_1', randomBytes(32))]));
  const lookup: ServerKeyLookup = (server, keyId) =>
    keyId === 'ed25519:a_1' ? { key: signers.get(server)!.publicKey, validUntilTs: Number.MAX_SAFE_INTEGER } : undefined;
  const unsigned = Array.from({ length: n }, (_, i) => buildEvent(i));
  const serverOf = (e: Pdu): string => e.sender.slice(e.sender.indexOf(':') + 1);

  // The ceiling: raw ed25519 verification of a message of the same size, KeyObject reused.
  const seed = randomBytes(32);
  const priv = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const pub = createPublicKey(priv);

  // Each round measures sign, then verify and the raw ceiling.
  let signed: Pdu[] = [];
  let meanEventBytes = 0;
  const signTimes: number[] = [];
  const verifyTimes: number[] = [];
  const rawTimes: number[] = [];
  for (let r = 0; r < rounds; r++) {
    signTimes.push(time(() => { signed = unsigned.map((e) => signers.get(serverOf(e))!.sign(e, ROOM_VERSION)); }));
    if (r === 0) meanEventBytes = Math.round(signed.reduce((acc, e) => acc + Buffer.byteLength(canonicalJson(e)), 0) / n);

    // Verify and the raw ceiling alternate in chunks, so machine noise hits both alike.
    const verifier = createEventVerifier(lookup);
    const msg = randomBytes(meanEventBytes);
    const sig = edSign(null, msg, priv);
    let bad = 0;
    let verifyTime = 0;
    let rawTime = 0;
    for (let start = 0; start < n; start += CHUNK) {
      const end = Math.min(n, start + CHUNK);
      verifyTime += time(() => { for (let i = start; i < end; i++) if (!verifier.verify(signed[i]!, ROOM_VERSION).ok) bad++; });
      rawTime += time(() => { for (let i = start; i < end; i++) edVerify(null, msg, pub, sig); });
    }
    if (bad !== 0) throw new Error(`${bad} events failed verification`);
    verifyTimes.push(verifyTime);
    rawTimes.push(rawTime);
  }

  const result: EventsVerifyResult = {
    events: n, rounds, meanEventBytes,
    signPerSec: Math.round(n / median(signTimes)),
    verifyPerSec: Math.round(n / median(verifyTimes)),
    rawVerifyPerSec: Math.round(n / median(rawTimes)),
  };
  log(`events-verify: ${n} events of ~${meanEventBytes} B (room v${ROOM_VERSION}), median of ${rounds} rounds, one core`);
  log(`  sign:            ${result.signPerSec} events/s`);
  log(`  verify:          ${result.verifyPerSec} events/s (target >= 8000)`);
  log(`  raw ed25519:     ${result.rawVerifyPerSec} verifies/s (ceiling; verify is ${Math.round((100 * result.verifyPerSec) / result.rawVerifyPerSec)}% of it)`);
  log(`  overhead:        ${(1e6 / result.verifyPerSec - 1e6 / result.rawVerifyPerSec).toFixed(1)} µs/event besides the ed25519 verify`);
  return result;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = process.argv[2];
  main(arg !== undefined ? { events: Number(arg) } : {});
}
