/** End-to-end encryption support: the key, cross-signing, send-to-device and key backup route modules as one list for the route table. */
import type { Route } from '../http/route.js';
import type { Services } from '../services.js';
import { keyRoutes } from './keys.js';
import { crossSigningRoutes } from './cross-signing.js';
import { toDeviceRoutes } from './to-device.js';
import { keyBackupRoutes } from './key-backup.js';

export function e2eRoutes(s: Services): Route[] {
  return [...keyRoutes(s), ...crossSigningRoutes(s), ...toDeviceRoutes(s), ...keyBackupRoutes(s)];
}
