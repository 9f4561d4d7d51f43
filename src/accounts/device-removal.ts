/** Deleting devices: the device, its access and refresh tokens, then the onDevicesDeleted hook (their end-to-end keys). */
import type { Services } from '../services.js';
import { runHook } from './hooks.js';

/** Deletes the user's devices (unknown ids are skipped) and tells the hook which ones went. */
export async function deleteDevices(s: Pick<Services, 'store' | 'log' | 'onDevicesDeleted'>, userId: string, deviceIds: readonly string[]): Promise<void> {
  const deleted: string[] = [];
  for (const id of deviceIds) if (await s.store.devices.deleteDevice(userId, id)) deleted.push(id);
  await announceDeletedDevices(s, userId, deleted);
}

/** Runs the onDevicesDeleted hook for devices already deleted (nothing when the list is empty). */
export async function announceDeletedDevices(s: Pick<Services, 'log' | 'onDevicesDeleted'>, userId: string, deviceIds: readonly string[]): Promise<void> {
  if (deviceIds.length === 0) return;
  await runHook(s.log, 'onDevicesDeleted', s.onDevicesDeleted && (() => s.onDevicesDeleted!(userId, deviceIds)));
}
