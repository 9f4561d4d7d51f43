/** The public face of storage: the factory, the per-area interfaces and the typed errors. */
export { openStore, resolveDatabase, DEFAULT_SQLITE_FILE } from './open-store.js';
export type { OpenStoreOptions, DatabaseTarget } from './open-store.js';
export type {
  AccessTokenInfo,
  AccountStore,
  DeviceRecord,
  DeviceStore,
  MigrationReport,
  NewAccessToken,
  NewRegistrationToken,
  NewUser,
  RefreshTokenInfo,
  RegistrationTokenChanges,
  RegistrationTokenRecord,
  RegistrationTokenStore,
  ServerMetaStore,
  Store,
  StoreBackend,
  StoreLog,
  UserRecord,
} from './types.js';
export {
  RegistrationTokenExistsError,
  StorageError,
  TokenExistsError,
  UnknownDeviceError,
  UnknownUserError,
  UserExistsError,
} from './errors.js';
export type { StorageErrorCode } from './errors.js';
export { isRegistrationTokenValid } from './registration-token-rules.js';
