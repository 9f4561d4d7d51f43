/** The end-to-end encryption areas of a Store, built over one SqlDriver for either backend. */
import type { SqlDriver } from '../sql-driver.js';
import type { Store } from '../types.js';
import { createE2eKeyStore } from './e2e-key-store.js';
import { createDeviceListStore } from './device-list-store.js';
import { createToDeviceStore } from './to-device-store.js';
import { createKeyBackupStore } from './key-backup-store.js';

export function createE2eStores(db: SqlDriver): Pick<Store, 'e2eKeys' | 'deviceLists' | 'toDevice' | 'keyBackup'> {
  return { e2eKeys: createE2eKeyStore(db), deviceLists: createDeviceListStore(db), toDevice: createToDeviceStore(db), keyBackup: createKeyBackupStore(db) };
}
