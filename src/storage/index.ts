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
export type { RoomStore, RoomRecord, StoredEvent, StateEntry, PersistEvent, MembershipRow, RoomEventsQuery, ReceiptRow } from './room-types.js';
export type { SqlDriver, SqlParam } from './sql-driver.js';
export type { AccountDataChanges, AccountDataEvent, AccountDataStore, FilterStore, JsonObject } from './user-data-types.js';
export type { ReportStore, ReportRecord, NewReport, ReportKind } from './report-types.js';
export type { DirectoryStore, JoinedMember, RoomStateContent } from './directory-types.js';
export type { MediaStore, MediaRecord, MediaContent } from './media-types.js';
export type { EnvelopeCounterStore, EnvelopeCounter } from './envelope-counter-types.js';
