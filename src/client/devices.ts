/** Device management (spec §"Device management"): list, get, rename and delete the caller's devices. */
import { clientRoute, type Route } from '../http/route.js';
import { MatrixError, badJson, invalidParam, notFound } from '../http/errors.js';
import { jsonObject } from '../http/body.js';
import type { Services } from '../services.js';
import type { DeviceRecord } from '../storage/types.js';
import { PASSWORD, passwordStage } from '../accounts/uia-stages.js';
import { deleteDevices } from '../accounts/device-removal.js';

/** Synapse's limit on device display names. */
export const MAX_DEVICE_DISPLAY_NAME_LENGTH = 100;

/** The spec's Device object: optional fields are absent, not null, when unknown. */
function deviceJson(d: DeviceRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { device_id: d.deviceId };
  if (d.displayName !== null) out.display_name = d.displayName;
  if (d.lastSeenIp !== undefined) out.last_seen_ip = d.lastSeenIp;
  if (d.lastSeenTs !== null) out.last_seen_ts = d.lastSeenTs;
  return out;
}

export function deviceRoutes(s: Services): Route[] {
  const stages = { [PASSWORD]: passwordStage(s.accounts) };
  const flows = [{ stages: [PASSWORD] }];

  return [
    /** GET /_matrix/client/v3/devices */
    ...clientRoute('GET', '/devices', 'user', async (ctx) => ({
      devices: (await s.store.devices.listDevices(ctx.principal!.userId)).map(deviceJson),
    })),
    /** GET /_matrix/client/v3/devices/{deviceId} */
    ...clientRoute('GET', '/devices/{deviceId}', 'user', async (ctx) => {
      const device = await s.store.devices.getDevice(ctx.principal!.userId, ctx.params.deviceId!);
      if (!device) throw notFound('Unknown device');
      return deviceJson(device);
    }),
    /** PUT /_matrix/client/v3/devices/{deviceId}: renames a known device (creating devices is for application services). */
    ...clientRoute('PUT', '/devices/{deviceId}', 'user', async (ctx) => {
      const body = jsonObject(ctx.body);
      const name = body.display_name;
      if (name !== undefined && name !== null && typeof name !== 'string') throw invalidParam('display_name must be a string');
      if (typeof name === 'string' && name.length > MAX_DEVICE_DISPLAY_NAME_LENGTH) {
        throw new MatrixError(400, 'M_TOO_LARGE', `Device display name is too long (max ${MAX_DEVICE_DISPLAY_NAME_LENGTH})`);
      }
      const userId = ctx.principal!.userId;
      const deviceId = ctx.params.deviceId!;
      if (!(await s.store.devices.getDevice(userId, deviceId))) throw notFound('Unknown device');
      // A missing or null display_name leaves the name unchanged.
      if (typeof name === 'string') await s.store.devices.upsertDevice(userId, deviceId, name);
      return {};
    }),
    /** DELETE /_matrix/client/v3/devices/{deviceId}: 200 also when the device was already gone. */
    ...clientRoute('DELETE', '/devices/{deviceId}', 'user', async (ctx) => {
      const p = ctx.principal!;
      const deviceId = ctx.params.deviceId!;
      const session = await s.uia.authenticate({
        operation: `DELETE /devices/${deviceId}`, userId: p.userId, body: jsonObject(ctx.body, true), flows, stages,
      });
      s.uia.finish(session);
      await deleteDevices(s, p.userId, [deviceId]);
      return {};
    }),
    /** POST /_matrix/client/v3/delete_devices */
    ...clientRoute('POST', '/delete_devices', 'user', async (ctx) => {
      const p = ctx.principal!;
      const body = jsonObject(ctx.body);
      const ids = body.devices;
      if (!Array.isArray(ids) || !ids.every((d) => typeof d === 'string')) throw badJson('devices must be a list of device ids');
      const session = await s.uia.authenticate({ operation: 'POST /delete_devices', userId: p.userId, body, flows, stages });
      s.uia.finish(session);
      await deleteDevices(s, p.userId, ids as string[]);
      return {};
    }),
  ];
}
