/** The storage contract: narrow per-area interfaces that the SQLite and PostgreSQL backends both implement. */
import type { RoomStore } from './room-types.js';
import type { AccountDataStore, FilterStore } from './user-data-types.js';
import type { ProfileStore } from './profile-types.js';
import type { ReportStore } from './report-types.js';
import type { DirectoryStore } from './directory-types.js';
import type { DeviceListStore, E2eKeyStore, KeyBackupStore, ToDeviceStore } from './e2e-types.js';
import type { MediaStore } from './media-types.js';
import type { EnvelopeCounterStore } from './envelope-counter-types.js';

/** Which backend a {@link Store} runs on. */
export type StoreBackend = 'sqlite' | 'postgres';

/** A local account (Synapse's `users` table). Timestamps are ms since the Unix epoch. */
export interface UserRecord {
  userId: string;
  localpart: string;
  /** scrypt hash as the caller encodes it; null for accounts that cannot log in with a password. */
  passwordHash: string | null;
  admin: boolean;
  isGuest: boolean;
  deactivated: boolean;
  createdTs: number;
}

/** What {@link AccountStore.createUser} needs; a new user is never deactivated. */
export interface NewUser {
  localpart: string;
  userId: string;
  passwordHash: string | null;
  admin: boolean;
  /** Defaults to false. */
  isGuest?: boolean;
  createdTs: number;
}

/** Local accounts. Users are never deleted, only deactivated. */
export interface AccountStore {
  /** Rejects with `UserExistsError` when the user id or the localpart is taken. */
  createUser(user: NewUser): Promise<UserRecord>;
  getUser(userId: string): Promise<UserRecord | undefined>;
  /** Every user, guests and deactivated included, ordered by user id. */
  listUsers(): Promise<UserRecord[]>;
  /** The setters resolve to false when no such user exists. */
  setPasswordHash(userId: string, passwordHash: string | null): Promise<boolean>;
  setAdmin(userId: string, admin: boolean): Promise<boolean>;
  setDeactivated(userId: string, deactivated: boolean): Promise<boolean>;
  /** Every user, guests and deactivated included. */
  countUsers(): Promise<number>;
}

/** A client device (spec: "Relationship between access tokens and devices"). */
export interface DeviceRecord {
  userId: string;
  deviceId: string;
  displayName: string | null;
  lastSeenTs: number | null;
  /** The address the device was last seen from; present only once one has been recorded. */
  lastSeenIp?: string;
}

/**
 * An access token to store. Only sha256 hashes reach the store (the caller hashes and picks
 * the encoding, e.g. base64url); a plaintext token is never written.
 */
export interface NewAccessToken {
  tokenHash: string;
  userId: string;
  deviceId: string;
  /** ms since epoch; absent or null for a token that never expires. */
  expiresTs?: number | null;
  /** Hash of the refresh token issued with this access token, if any. */
  refreshTokenHash?: string | null;
}

/** The owner of an access token. `expiresTs` is present only for expiring tokens; the caller compares it with its clock. */
export interface AccessTokenInfo {
  userId: string;
  deviceId: string;
  expiresTs?: number;
  /**
   * Present when this token came from a refresh whose older token is still valid: the older
   * token's hash, to retire on first use ({@link DeviceStore.retirePreviousToken}).
   */
  previousTokenHash?: string;
}

/** The new pair minted by {@link DeviceStore.rotateRefreshToken}. */
export interface RotatedTokens {
  tokenHash: string;
  refreshTokenHash: string;
  /** ms since epoch; null for a token that never expires. */
  expiresTs: number | null;
}

/** The access token a refresh token was issued with, and its owner. */
export interface RefreshTokenInfo {
  accessTokenHash: string;
  userId: string;
  deviceId: string;
}

/** Devices and the access/refresh tokens bound to them. */
export interface DeviceStore {
  /**
   * Creates the device, or updates it: `displayName` undefined keeps the stored name
   * (null clears it), `lastSeenTs` undefined keeps the stored time.
   * Resolves to true when the device was created. Rejects with `UnknownUserError` for an unknown user.
   */
  upsertDevice(userId: string, deviceId: string, displayName?: string | null, lastSeenTs?: number): Promise<boolean>;
  getDevice(userId: string, deviceId: string): Promise<DeviceRecord | undefined>;
  /** The user's devices ordered by device id. */
  listDevices(userId: string): Promise<DeviceRecord[]>;
  /** Deletes the device and every token bound to it, atomically; false when there was no such device. */
  deleteDevice(userId: string, deviceId: string): Promise<boolean>;
  /**
   * Rejects with `UnknownDeviceError` when the device does not exist (upsert it first) and
   * with `TokenExistsError` when either hash is already stored.
   */
  createAccessToken(token: NewAccessToken): Promise<void>;
  findAccessToken(tokenHash: string): Promise<AccessTokenInfo | undefined>;
  findRefreshToken(refreshTokenHash: string): Promise<RefreshTokenInfo | undefined>;
  /** Deletes the access token and the refresh token stored with it; false when unknown. */
  deleteAccessToken(tokenHash: string): Promise<boolean>;
  /** Invalidates a device's tokens but keeps the device (login reusing a `device_id`). Resolves to the number deleted. */
  deleteTokensForDevice(userId: string, deviceId: string): Promise<number>;
  /** Deletes the user's tokens, except those of `exceptDeviceId` when given. Resolves to the number deleted. */
  deleteTokensForUser(userId: string, exceptDeviceId?: string): Promise<number>;
  /** Records when and from where a device was last seen; a no-op for an unknown device. */
  recordLastSeen(userId: string, deviceId: string, lastSeenTs: number, lastSeenIp: string): Promise<void>;
  /**
   * Uses a refresh token (spec §"Refreshing access tokens"), atomically: stores `next` on the same
   * device, marked as refreshed from the old access token; deletes the old token's unused successors
   * (earlier refreshes whose result was never used) and its own predecessor. The old access and
   * refresh tokens stay valid until `next` is used (see retirePreviousToken). Resolves to the
   * owner, or undefined when the refresh token is unknown. Rejects with `TokenExistsError` on a hash clash.
   */
  rotateRefreshToken(refreshTokenHash: string, next: RotatedTokens): Promise<{ userId: string; deviceId: string } | undefined>;
  /** On first use of a refreshed token: deletes the token it was refreshed from and clears the link. False when there was none. */
  retirePreviousToken(tokenHash: string): Promise<boolean>;
}

/** A registration token as Synapse's admin API shows it (without `pending`, which Hearth does not track). */
export interface RegistrationTokenRecord {
  token: string;
  /** null: unlimited uses. */
  usesAllowed: number | null;
  completed: number;
  /** ms since epoch; the token is valid up to and including this instant. null: never expires. */
  expiryTime: number | null;
}

export interface NewRegistrationToken {
  token: string;
  usesAllowed: number | null;
  expiryTime: number | null;
}

/** Changes for {@link RegistrationTokenStore.update}; an absent field is left as stored. */
export interface RegistrationTokenChanges {
  usesAllowed?: number | null;
  expiryTime?: number | null;
}

/** Tokens for `m.login.registration_token` (spec: "Token-authenticated registration"). */
export interface RegistrationTokenStore {
  /** Rejects with `RegistrationTokenExistsError` on a duplicate token. */
  add(token: NewRegistrationToken): Promise<RegistrationTokenRecord>;
  /** Every token ordered by token. */
  list(): Promise<RegistrationTokenRecord[]>;
  get(token: string): Promise<RegistrationTokenRecord | undefined>;
  /** Resolves to the updated record, or undefined when the token does not exist. */
  update(token: string, changes: RegistrationTokenChanges): Promise<RegistrationTokenRecord | undefined>;
  /**
   * Atomically counts one completed registration if the token exists, has not expired at
   * `nowTs` and has uses left; resolves to whether it did. Safe under concurrency.
   */
  consume(token: string, nowTs: number): Promise<boolean>;
  /** False when there was no such token. */
  delete(token: string): Promise<boolean>;
}

/** Small server-wide settings as string key/value pairs. */
export interface ServerMetaStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** False when the key was not set. */
  delete(key: string): Promise<boolean>;
}

/** What opening did to the schema. */
export interface MigrationReport {
  /** Every migration id recorded in the database after opening, in order. */
  applied: readonly string[];
  /** The ids this open applied; empty when the schema was already current. */
  newlyApplied: readonly string[];
}

/** An open database: every area, one backend. */
export interface Store {
  readonly backend: StoreBackend;
  readonly accounts: AccountStore;
  readonly devices: DeviceStore;
  readonly registrationTokens: RegistrationTokenStore;
  readonly serverMeta: ServerMetaStore;
  /** Rooms and the event graph (room-types.ts). */
  readonly rooms: RoomStore;
  /** Account data, global and per room, on one stream (user-data-types.ts). */
  readonly accountData: AccountDataStore;
  /** Filters uploaded for /sync and /messages (user-data-types.ts). */
  readonly filters: FilterStore;
  /** Display names and avatars (profile-types.ts). */
  readonly profiles: ProfileStore;
  /** Content reports (report-types.ts). */
  readonly reports: ReportStore;
  /** Server-wide room-state reads for the room and user directories (directory-types.ts). */
  readonly directory: DirectoryStore;
  /** End-to-end encryption keys and cross-signing signatures (e2e-types.ts). */
  readonly e2eKeys: E2eKeyStore;
  /** The device-list change stream (e2e-types.ts). */
  readonly deviceLists: DeviceListStore;
  /** Send-to-device inboxes (e2e-types.ts). */
  readonly toDevice: ToDeviceStore;
  /** Server-side key backups (e2e-types.ts). */
  readonly keyBackup: KeyBackupStore;
  /** Content repository metadata (media-types.ts). */
  readonly media: MediaStore;
  /** The gateway's signed-envelope counters (envelope-counter-types.ts). */
  readonly envelopeCounters: EnvelopeCounterStore;
  readonly migrations: MigrationReport;
  /** Closes the database (idempotent). Calls made after close reject. */
  close(): Promise<void>;
}

/** Where the store reports what it does. pino's logger fits. */
export interface StoreLog {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}
