/** Typed errors the stores reject with, so callers map them to Matrix errors without parsing driver messages. */

/** Why a storage call was refused. */
export type StorageErrorCode =
  | 'user_exists'
  | 'token_exists'
  | 'registration_token_exists'
  | 'unknown_user'
  | 'unknown_device';

/** Base class of every refusal a store reports on purpose; anything else is a driver or I/O failure. */
export class StorageError extends Error {
  readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The user id or the localpart is already registered. */
export class UserExistsError extends StorageError {
  readonly userId: string;
  constructor(userId: string) {
    super('user_exists', `user ${userId} already exists`);
    this.userId = userId;
  }
}

/** An access or refresh token hash is already stored (a hash collision or a reused token). */
export class TokenExistsError extends StorageError {
  constructor() {
    super('token_exists', 'token hash already stored');
  }
}

/** A registration token with this value already exists. */
export class RegistrationTokenExistsError extends StorageError {
  readonly token: string;
  constructor(token: string) {
    super('registration_token_exists', 'registration token already exists');
    this.token = token;
  }
}

/** The call refers to a user that does not exist. */
export class UnknownUserError extends StorageError {
  readonly userId: string;
  constructor(userId: string) {
    super('unknown_user', `no such user ${userId}`);
    this.userId = userId;
  }
}

/** The call refers to a device that does not exist. */
export class UnknownDeviceError extends StorageError {
  readonly userId: string;
  readonly deviceId: string;
  constructor(userId: string, deviceId: string) {
    super('unknown_device', `no device ${deviceId} for ${userId}`);
    this.userId = userId;
    this.deviceId = deviceId;
  }
}
