/** The hub's device side over its own services: registry, in-process port, device rooms, admin, and the admin-socket handlers. */
import type { Services } from '../src/services.js';
import { getProfile } from '../profiles/index.js';
import { createDeviceAdmin, type DeviceAdmin, type ProfileLookup } from './device-admin.js';
import { createDeviceRooms, type DeviceRooms } from './device-rooms.js';
import { createInProcessPort } from './port-in-process.js';
import type { MatrixPort } from './port.js';
import { openRegistry, type Registry } from './registry.js';
import type { EnvelopeCounterStore } from '../src/storage/envelope-counter-types.js';

export interface DeviceHost {
  registry: Registry;
  port: MatrixPort;
  rooms: DeviceRooms;
  admin: DeviceAdmin;
  profiles: ProfileLookup;
  /** Signed devices' envelope counters (the hub's store), handed on to the gateway. */
  envelopeCounters: EnvelopeCounterStore;
  close(): void;
}

export interface DeviceHostOptions {
  dataDir: string;
  /** Re-read the registry when another process changes it (the running hub: true; the CLI: false). */
  watch: boolean;
  profiles?: ProfileLookup;
}

export async function createDeviceHost(services: Services, opts: DeviceHostOptions): Promise<DeviceHost> {
  const profiles = opts.profiles ?? getProfile;
  const registry = await openRegistry({ dataDir: opts.dataDir, watch: opts.watch, now: services.now });
  const port = createInProcessPort(services);
  const rooms = createDeviceRooms({ port, registry, userPrefix: services.config.deviceUserPrefix });
  const admin = createDeviceAdmin({ rooms, registry, profiles, now: services.now });
  return { registry, port, rooms, admin, profiles, envelopeCounters: services.store.envelopeCounters, close: () => registry.close() };
}

const str = (args: Record<string, unknown>, key: string): string | undefined => (typeof args[key] === 'string' ? args[key] as string : undefined);

/** The `device.*` admin commands, as the admin socket and the CLI's own fallback both run them. */
export function deviceAdminHandlers(admin: DeviceAdmin): Record<string, (args: Record<string, unknown>) => Promise<unknown>> {
  return {
    'device.add': (a) => admin.add({ name: str(a, 'name') ?? '', profile: str(a, 'profile') ?? '', topic: str(a, 'topic'), key: str(a, 'key') }),
    'device.list': async () => admin.list(),
    'device.remove': (a) => admin.remove(str(a, 'name') ?? ''),
    'device.accept': (a) => admin.accept(str(a, 'name') ?? ''),
  };
}
