/** The server's ed25519 signing key: generated on first start, kept in the data dir, rotated with old keys remembered. */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBase64, encodeBase64 } from '../events/base64.js';
import { createSigner, type Signer } from '../events/signing.js';

export interface SigningKey {
  /** `ed25519:<version>` */
  keyId: string;
  seed: Uint8Array;
  /** Unpadded base64 of the 32-byte public key. */
  publicKey: string;
  /** A node:crypto signer for the seed, built once. */
  signer: Signer;
}

export interface OldVerifyKey {
  key: string;
  expired_ts: number;
}

export interface ServerKeys {
  current: SigningKey;
  old: Record<string, OldVerifyKey>;
}

const KEY_FILE = 'signing.key';
const OLD_FILE = 'old-verify-keys.json';

function keyFromSeed(version: string, seed: Uint8Array): SigningKey {
  const signer = createSigner(seed);
  return { keyId: `ed25519:${version}`, seed, publicKey: encodeBase64(signer.publicKey), signer };
}

const VERSION_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * A new key version like Synapse's (`a_` and four random characters). The key id's version must match
 * [a-zA-Z0-9_] (server-server API, "Publishing Keys"), so base64url's `-` cannot be used.
 * @example /^a_[a-zA-Z0-9]{4}$/.test(newKeyVersion()) // true
 */
export function newKeyVersion(): string {
  let out = 'a_';
  for (const b of randomBytes(4)) out += VERSION_CHARS[b % VERSION_CHARS.length];
  return out;
}

function newKey(): SigningKey {
  return keyFromSeed(newKeyVersion(), randomBytes(32));
}

/** Parses Synapse's key file format: `ed25519 <version> <unpadded base64 seed>`. */
function parseKeyFile(text: string, file: string): SigningKey {
  const m = /^ed25519 (\S+) (\S+)\s*$/m.exec(text);
  if (!m) throw new Error(`${file} is not a signing key file (expected "ed25519 VERSION SEED")`);
  const seed = decodeBase64(m[2]!);
  if (seed.length !== 32) throw new Error(`${file}: the seed must be 32 bytes`);
  return keyFromSeed(m[1]!, seed);
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}

const keyLine = (k: SigningKey) => `ed25519 ${k.keyId.slice('ed25519:'.length)} ${encodeBase64(k.seed)}\n`;

/** Loads the server keys from `dataDir`, generating the signing key on first start. */
export function loadOrCreateServerKeys(dataDir: string): ServerKeys {
  const keyPath = join(dataDir, KEY_FILE);
  const oldPath = join(dataDir, OLD_FILE);
  let current: SigningKey;
  if (existsSync(keyPath)) current = parseKeyFile(readFileSync(keyPath, 'utf8'), keyPath);
  else {
    current = newKey();
    writeAtomic(keyPath, keyLine(current));
  }
  const old = existsSync(oldPath) ? (JSON.parse(readFileSync(oldPath, 'utf8')) as Record<string, OldVerifyKey>) : {};
  return { current, old };
}

/** Replaces the signing key with a new one; the old public key is kept under `old_verify_keys`. */
export function rotateServerKey(dataDir: string, now: number): ServerKeys {
  const { current, old } = loadOrCreateServerKeys(dataDir);
  const next = newKey();
  const olds = { ...old, [current.keyId]: { key: current.publicKey, expired_ts: now } };
  writeAtomic(join(dataDir, OLD_FILE), JSON.stringify(olds, null, 2) + '\n');
  writeAtomic(join(dataDir, KEY_FILE), keyLine(next));
  return { current: next, old: olds };
}
