/** The storage contract of end-to-end encryption: device, one-time, fallback and cross-signing keys, the device-list stream, to-device inboxes and key backups. */

import type { JsonObject } from './user-data-types.js';

/** The three cross-signing keys of a user (spec §"Cross-signing"). */
export type CrossSigningKeyType = 'master' | 'self_signing' | 'user_signing';

/** A one-time or fallback key: `<algorithm>:<keyId>` and its value (a string, or a signed key object). */
export interface OneTimeKey {
  algorithm: string;
  keyId: string;
  key: unknown;
}

/** One cross-signing signature kept apart from the key it signs (spec: POST /keys/signatures/upload). */
export interface CrossSigningSignature {
  signerUserId: string;
  /** `ed25519:<device id or public key>` of the signing key. */
  signerKeyId: string;
  targetUserId: string;
  /** The signed device's id, or the public key of the signed master key. */
  targetKeyId: string;
  signature: string;
}

/**
 * Device keys, one-time keys, fallback keys and cross-signing keys with their signatures.
 * Keys are stored as canonical JSON; what is read back deep-equals what was written.
 */
export interface E2eKeyStore {
  /** Creates or replaces the device's identity keys; resolves to false when the stored keys were already identical. */
  setDeviceKeys(userId: string, deviceId: string, keys: JsonObject, ts: number): Promise<boolean>;
  /** The user's device keys by device id; only `deviceIds` when given (unknown ids are left out). */
  getDeviceKeys(userId: string, deviceIds?: readonly string[]): Promise<Map<string, JsonObject>>;
  /** Deletes the identity, one-time and fallback keys of the devices, and signatures of them. */
  deleteDeviceKeys(userId: string, deviceIds: readonly string[]): Promise<void>;

  /** The stored one-time keys among `keys` (by algorithm and key id), for comparing a re-upload. */
  findOneTimeKeys(userId: string, deviceId: string, keys: ReadonlyArray<{ algorithm: string; keyId: string }>): Promise<OneTimeKey[]>;
  /** Adds one-time keys; a key id already stored for the device and algorithm is left as it is. */
  addOneTimeKeys(userId: string, deviceId: string, keys: readonly OneTimeKey[]): Promise<void>;
  /** Unclaimed one-time keys per algorithm (algorithms with none are absent). */
  countOneTimeKeys(userId: string, deviceId: string): Promise<Record<string, number>>;
  /**
   * Takes the oldest unclaimed one-time key of the algorithm and deletes it, atomically: under any
   * concurrency each key is handed out at most once. Undefined when none is left.
   */
  claimOneTimeKey(userId: string, deviceId: string, algorithm: string): Promise<OneTimeKey | undefined>;

  /** Stores the device's fallback key for the algorithm, replacing any; re-uploading the same key keeps its used flag. */
  setFallbackKey(userId: string, deviceId: string, key: OneTimeKey): Promise<void>;
  /** The fallback key of the algorithm, marked used; it stays claimable until replaced. */
  claimFallbackKey(userId: string, deviceId: string, algorithm: string): Promise<OneTimeKey | undefined>;
  /** Algorithms whose fallback key has not been claimed since it was uploaded, sorted. */
  unusedFallbackKeyTypes(userId: string, deviceId: string): Promise<string[]>;

  /** The user's cross-signing keys as uploaded. */
  getCrossSigningKeys(userId: string): Promise<Partial<Record<CrossSigningKeyType, JsonObject>>>;
  setCrossSigningKey(userId: string, type: CrossSigningKeyType, key: JsonObject): Promise<void>;
  /** Stores signatures; a signature by the same signer key of the same target replaces the old one. */
  addSignatures(signatures: readonly CrossSigningSignature[]): Promise<void>;
  /** Signatures of the target user's keys that `viewer` may see: those made by the viewer or by the target user. */
  signaturesOf(targetUserId: string, viewer: string): Promise<CrossSigningSignature[]>;
}

/** One entry of the device-list stream. */
export interface DeviceListChange {
  streamId: number;
  /** Whose device list (device keys, cross-signing keys or room membership) changed. */
  userId: string;
  /** '' for a key change; the room for a membership change (join or leave) of `userId`. */
  roomId: string;
  /** '' when every user sharing a room may be told; otherwise the only user to tell (signature updates). */
  viewer: string;
}

/** The device-list change stream for /sync `device_lists` and /keys/changes: strictly increasing stream ids. */
export interface DeviceListStore {
  /** Appends the changes in one transaction; resolves to the stream position after it (at least their ids). */
  record(changes: ReadonlyArray<Omit<DeviceListChange, 'streamId'>>): Promise<number>;
  /** Changes with `since < streamId <= upto`, oldest first. */
  changesBetween(since: number, upto: number): Promise<DeviceListChange[]>;
  /** The highest stream id handed out (0 when none). */
  position(): Promise<number>;
}

/** A message waiting in a device's inbox. */
export interface ToDeviceMessage {
  streamId: number;
  sender: string;
  type: string;
  content: JsonObject;
}

/** One recipient of a send-to-device transaction. */
export interface ToDeviceDelivery {
  userId: string;
  deviceId: string;
  content: JsonObject;
}

/** Per-device inboxes of send-to-device messages (spec §"Send-to-Device messaging"). */
export interface ToDeviceStore {
  /**
   * Queues one message per delivery under fresh, strictly increasing stream ids, once per
   * (sender, senderDevice, txnId): a repeated transaction queues nothing and resolves `sent: false`.
   * `position` is the stream position after the write.
   */
  send(sender: { userId: string; deviceId: string }, txnId: string, type: string, deliveries: readonly ToDeviceDelivery[], ts: number): Promise<{ sent: boolean; position: number }>;
  /** Messages for the device with `after < streamId <= upto`, oldest first, at most `limit`. */
  pending(userId: string, deviceId: string, after: number, upto: number, limit: number): Promise<ToDeviceMessage[]>;
  /** Deletes the device's messages with `streamId <= upTo` (delivered); resolves to how many went. */
  deleteUpTo(userId: string, deviceId: string, upTo: number): Promise<number>;
  /** Drops the inboxes of deleted devices. */
  deleteForDevices(userId: string, deviceIds: readonly string[]): Promise<void>;
  /** The highest stream id handed out (0 when none). */
  position(): Promise<number>;
}

/** A backup version (spec §"Server-side key backups"). */
export interface BackupVersion {
  version: string;
  algorithm: string;
  authData: JsonObject;
  /** Changes whenever the stored keys change. */
  etag: number;
}

/** One backed-up session key; `sessionData` is opaque to the server. */
export interface RoomKeyBackup {
  firstMessageIndex: number;
  forwardedCount: number;
  isVerified: boolean;
  sessionData: JsonObject;
}

/** A session key and where it belongs. */
export interface RoomKeyEntry {
  roomId: string;
  sessionId: string;
  key: RoomKeyBackup;
}

/** Server-side key backups: versions per user and the session keys stored in them. */
export interface KeyBackupStore {
  /** Creates a version numbered one above the user's highest (deleted ones count); resolves to its id. */
  createVersion(userId: string, algorithm: string, authData: JsonObject): Promise<string>;
  /** The given version, or the current (newest) one when `version` is undefined; deleted versions are not found. */
  getVersion(userId: string, version?: string): Promise<BackupVersion | undefined>;
  /** Replaces `auth_data`; false for an unknown or deleted version. */
  updateVersion(userId: string, version: string, authData: JsonObject): Promise<boolean>;
  /** Marks the version deleted and drops its keys; true also when it was already deleted, false when it never existed. */
  deleteVersion(userId: string, version: string): Promise<boolean>;
  /**
   * Stores keys, each replacing a stored key of the same session only when better (spec: verified
   * first, then lower first_message_index, then lower forwarded_count); bumps the etag when anything
   * changed. Resolves to the number of keys written.
   */
  putKeys(userId: string, version: string, keys: readonly RoomKeyEntry[]): Promise<number>;
  /** Keys of the version, of one room, or one session. */
  getKeys(userId: string, version: string, roomId?: string, sessionId?: string): Promise<RoomKeyEntry[]>;
  /** Deletes keys of the version, of one room, or one session, and bumps the etag. */
  deleteKeys(userId: string, version: string, roomId?: string, sessionId?: string): Promise<void>;
  countKeys(userId: string, version: string): Promise<number>;
}
