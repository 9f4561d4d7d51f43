/** Send-to-device messaging (spec §"Send-to-Device messaging"): PUT /sendToDevice/{eventType}/{txnId}, idempotent per device and txnId. */
import { clientRoute, type Route } from '../http/route.js';
import { badJson, missingParam } from '../http/errors.js';
import { jsonObject } from '../http/body.js';
import type { Services } from '../services.js';
import type { ToDeviceDelivery } from '../storage/e2e-types.js';
import type { JsonObject } from '../storage/user-data-types.js';
import { isObject } from '../e2e/key-shapes.js';

export function toDeviceRoutes(s: Services): Route[] {
  const local = (userId: string) => userId.slice(userId.indexOf(':') + 1) === s.config.serverName;

  /** PUT /_matrix/client/v3/sendToDevice/{eventType}/{txnId} */
  return clientRoute('PUT', '/sendToDevice/{eventType}/{txnId}', 'user', async (ctx) => {
    const p = ctx.principal!;
    const body = jsonObject(ctx.body);
    if (body.messages === undefined) throw missingParam('Missing params: messages');
    if (!isObject(body.messages)) throw badJson('messages must be an object');
    const deliveries: ToDeviceDelivery[] = [];
    for (const [userId, byDevice] of Object.entries(body.messages)) {
      if (!isObject(byDevice) || !Object.values(byDevice).every(isObject)) throw badJson('messages must map user ids to device ids to objects');
      // Remote users would be reached over federation, which Hearth does not speak yet; they are skipped.
      if (!local(userId)) { ctx.log.warn({ userId }, 'to-device message for a remote user dropped'); continue; }
      const known = (await s.store.devices.listDevices(userId)).map((d) => d.deviceId);
      // One message per device: `*` means every device of the user; a device named after it wins. Unknown devices are skipped.
      const perDevice = new Map<string, JsonObject>();
      if (byDevice['*'] !== undefined) for (const d of known) perDevice.set(d, byDevice['*'] as JsonObject);
      for (const [deviceId, content] of Object.entries(byDevice)) if (deviceId !== '*' && known.includes(deviceId)) perDevice.set(deviceId, content as JsonObject);
      for (const [deviceId, content] of perDevice) deliveries.push({ userId, deviceId, content });
    }
    await s.e2e.sendToDevice({ userId: p.userId, deviceId: p.deviceId }, ctx.params.txnId!, ctx.params.eventType!, deliveries);
    return {};
  });
}
