/** The contract between device profiles and the gateway: device refs, decoded items, commands and publishes. */

/** Ids of the built-in profiles. */
export type ProfileId = 'hearth' | 'tasmota' | 'zigbee2mqtt' | 'homeassistant' | 'homie' | 'shelly' | 'esphome';

/**
 * What a profile learned about a (sub-)device from a discovery message (`discovered` item without its kind).
 * The gateway keeps the latest one per `key` (persisting them with the device registry) and drops it when a
 * later item with that key has `removed: true`; it passes them all back in {@link DeviceRef.known} so decode
 * and encode stay pure. A sub-device's room exists while at least one kept item names it.
 * @example { device: 'kitchen/plug', key: 'ieee:0x00158d00018255df', displayName: 'kitchen/plug', info: { model: 'ZNCZ02LM' } }
 */
export interface Discovery {
  /** Sub-device id (z2m friendly_name, HA device identifier, ...) or the connection's own `DeviceRef.name`. */
  device: string;
  /**
   * Unique within the connection (e.g. `ieee:<address>`, an HA config topic): a later item with the same key
   * replaces the earlier one, even when `device` changed (a rename).
   */
  key: string;
  displayName?: string;
  /** Profile-specific facts (model, vendor, units, entities, ...); JSON-serialisable, opaque to the gateway. */
  info: Record<string, unknown>;
  /** Topics the device subscribes to for commands (broker ACL). */
  commandTopics?: string[];
  /** Topics outside the profile's usual tree that carry this device's data; the gateway subscribes to them. */
  stateTopics?: string[];
  /** The discovery was withdrawn (e.g. an empty retained HA config): forget the entry with this `key`. */
  removed?: boolean;
}

/**
 * One enrolled MQTT connection as a profile sees it.
 * `topic` is the base topic; what it means is per profile (see `Profile.defaultTopic`):
 * hearth `hearth/<name>`, tasmota `%topic%`, zigbee2mqtt the bridge base (`zigbee2mqtt`), homeassistant the
 * discovery prefix (`homeassistant`), homie `homie/<id>` or `homie/5/<id>`, shelly the topic prefix, esphome
 * the node's topic prefix.
 * @example { name: 'zigbee', topic: 'zigbee2mqtt', child: 'kitchen/plug', known: [...] }
 */
export interface DeviceRef {
  name: string;
  topic: string;
  displayName?: string;
  /** Discovery items the gateway kept for this connection (bridges and self-describing devices). */
  known?: Discovery[];
  /** For encode: the sub-device a command is for (a `Discovery.device`); absent means the connection itself. */
  child?: string;
}

export type ReadingValue = number | string | boolean | null;

export interface Reading {
  values: Record<string, ReadingValue>;
  /** Unit per value key, e.g. `{ temperature: '°C' }`. */
  units?: Record<string, string>;
}

/**
 * Item kinds produced by `decode`. `device` is `DeviceRef.name` or a sub-device id from a `discovered` item.
 * @example { kind: 'reading', device: 'kitchen', reading: { values: { temperature: 20.6 }, units: { temperature: '°C' } } }
 */
export type DecodedItem =
  | { kind: 'reading'; device: string; reading: Reading; messageId?: string; /** ms since epoch */ ts?: number; /** came from a retained message: skip on replay */ retained?: boolean }
  /** A room (message) event: `type` and `content` as they should be sent. */
  | { kind: 'event'; device: string; type: string; content: Record<string, unknown>; messageId?: string }
  /** A room state event. */
  | { kind: 'state'; device: string; type: string; stateKey: string; content: Record<string, unknown> }
  /** Online/offline (LWT, availability); `detail` is the raw state when richer (e.g. homie `sleeping`). */
  | { kind: 'status'; device: string; online: boolean; detail?: string }
  | { kind: 'command-result'; device: string; commandId?: string; ok: boolean; result?: unknown; error?: string }
  | ({ kind: 'discovered' } & Discovery)
  | { kind: 'ignore'; reason: string };

/**
 * A command from a room (`!power on`) or a structured `org.hearth.command` event.
 * @example { id: '$ev', command: 'power', args: ['on'], sender: '@ann:hub.local' }
 */
export interface Command {
  /** Unique id (e.g. the Matrix event id); echoed by devices that support correlation. */
  id: string;
  /** Lower-cased command name, without the `!`. */
  command: string;
  args: string[];
  /** Matrix user id of the sender. */
  sender: string;
  /** `params` of a structured command event, passed through where the ecosystem takes JSON. */
  structured?: Record<string, unknown>;
}

export interface Publish {
  topic: string;
  payload: string | Uint8Array;
  retain?: boolean;
  qos?: 0 | 1;
}

/**
 * Returned by `encode` instead of publishes: a sentence for the room.
 * @example { error: 'Usage: !set <property> <value>' }
 */
export interface CommandError {
  error: string;
}

export interface CommandHelp {
  name: string;
  args?: string;
  help: string;
}

/**
 * A device profile: data plus pure functions, no I/O.
 * @example getProfile('tasmota')!.decode({ name: 'plug', topic: 'plug' }, 'tele/plug/LWT', bytes('Online'), true)
 * // [{ kind: 'status', device: 'plug', online: true }]
 */
export interface Profile {
  id: ProfileId;
  description: string;
  /** The base topic a device of this profile uses by default, given its enrolled name. */
  defaultTopic(name: string): string;
  /** MQTT topic filters (with + and #) the device publishes on; the gateway subscribes to them. */
  subscriptions(device: DeviceRef): string[];
  /** Topic filters the device may subscribe to (its command topics), for the broker ACL. */
  commandSubscriptions(device: DeviceRef): string[];
  /** Whether the device may publish to `topic` (ACL for publishes). */
  ownsTopic(device: DeviceRef, topic: string): boolean;
  /** Never throws: malformed input becomes `{ kind: 'ignore', reason }`. */
  decode(device: DeviceRef, topic: string, payload: Uint8Array, retained: boolean): DecodedItem[];
  /** Publishes carrying the command, or a `CommandError` when it is unknown or its arguments are wrong. */
  encode(device: DeviceRef, command: Command): Publish[] | CommandError;
  /** Commands this profile understands, for `!help` (for `device.child` when set). */
  commands(device: DeviceRef): CommandHelp[];
}
