/** Provisioning through the port: the gateway's service user, the "Home" space and each device's user and room. */
import { DeviceEventType } from './codes.js';
import type { MatrixPort } from './port.js';
import type { Registry } from './registry.js';

/** Alias localpart of the Home space. */
export const HOME_SPACE_ALIAS = 'hearth-home';
/** Power level of a device's own user in its room: enough for readings and its status/info state. */
export const DEVICE_POWER = 50;
/** Default level needed to command a device (power_levels `events['org.hearth.command']`). */
export const COMMAND_POWER = 50;

export interface DeviceRoomsDeps {
  port: MatrixPort;
  registry: Registry;
  /** Localpart prefix of device users (`device_` gives `@device_kitchen:server`). */
  userPrefix: string;
}

export interface DeviceRoomInput {
  name: string;
  displayName: string;
  profile: string;
  topic: string;
  /** Set as `org.hearth.device` state. */
  info: Record<string, unknown>;
}

export function createDeviceRooms(deps: DeviceRoomsDeps) {
  const { port, registry } = deps;
  const gatewayLocalpart = `${deps.userPrefix}gateway`;

  async function gatewayUser(): Promise<string> {
    return port.registerVirtualUser(gatewayLocalpart, 'Hearth gateway');
  }

  /** The Home space (created on first use, its id kept in the registry); every admin is invited at level 100. */
  async function homeSpace(): Promise<string> {
    const gw = await gatewayUser();
    const admins = await port.admins();
    let spaceId = registry.homeSpaceId();
    if (!spaceId) {
      ({ roomId: spaceId } = await port.ensureRoom({
        creator: gw, aliasLocalpart: HOME_SPACE_ALIAS, name: 'Home', topic: 'Devices of this hub',
        creationContent: { type: 'm.space' }, users: Object.fromEntries(admins.map((a) => [a, 100])),
      }));
      const id = spaceId;
      await registry.update((d) => { d.homeSpaceId = id; });
    }
    for (const a of admins) await port.invite(gw, spaceId, a);
    return spaceId;
  }

  return {
    port,
    gatewayUser,
    homeSpace,
    /** The device's user id (created without a password when missing). */
    deviceUser(name: string, displayName: string): Promise<string> {
      return port.registerVirtualUser(`${deps.userPrefix}${name}`, displayName);
    },
    /** The device's room `#device-NAME`: created once, device joined at level 50, admins invited at 100, linked into Home. */
    async deviceRoom(userId: string, d: DeviceRoomInput): Promise<string> {
      const gw = await gatewayUser();
      const spaceId = await homeSpace();
      const admins = await port.admins();
      const { roomId, created } = await port.ensureRoom({
        creator: gw, aliasLocalpart: `device-${d.name}`, name: d.displayName, topic: `${d.profile} device on ${d.topic}`,
        users: { [userId]: DEVICE_POWER, ...Object.fromEntries(admins.map((a) => [a, 100])) },
        events: { [DeviceEventType.COMMAND]: COMMAND_POWER, [DeviceEventType.STATUS]: DEVICE_POWER, [DeviceEventType.INFO]: DEVICE_POWER },
      });
      await port.invite(gw, roomId, userId);
      await port.joinRoom(userId, roomId);
      for (const a of admins) await port.invite(gw, roomId, a);
      await port.addToSpace(gw, spaceId, roomId);
      await port.setState(userId, roomId, DeviceEventType.INFO, '', { name: d.name, profile: d.profile, topic: d.topic, ...d.info });
      if (created) await port.setState(userId, roomId, DeviceEventType.STATUS, '', { online: false, last_seen_ts: null });
      return roomId;
    },
  };
}

export type DeviceRooms = ReturnType<typeof createDeviceRooms>;
