/** MQTT protocol codes the gateway uses, as typed constants: CONNACK return codes, reason codes, QoS levels. */

/** MQTT 3.1.1 CONNACK return codes (§3.2.2.3). */
export const ConnackCode = {
  ACCEPTED: 0,
  UNACCEPTABLE_PROTOCOL: 1,
  IDENTIFIER_REJECTED: 2,
  SERVER_UNAVAILABLE: 3,
  BAD_USERNAME_OR_PASSWORD: 4,
  NOT_AUTHORIZED: 5,
} as const;
export type ConnackCode = (typeof ConnackCode)[keyof typeof ConnackCode];

/** MQTT 5 reason codes the gateway may see from an external broker (§2.4). */
export const ReasonCode = {
  SUCCESS: 0x00,
  UNSPECIFIED_ERROR: 0x80,
  NOT_AUTHORIZED: 0x87,
  BAD_USERNAME_OR_PASSWORD: 0x86,
  UNSUPPORTED_PROTOCOL_VERSION: 0x84,
  TOPIC_NAME_INVALID: 0x90,
  PAYLOAD_FORMAT_INVALID: 0x99,
  QUOTA_EXCEEDED: 0x97,
} as const;
export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

export const QoS = { AT_MOST_ONCE: 0, AT_LEAST_ONCE: 1, EXACTLY_ONCE: 2 } as const;
export type QoS = (typeof QoS)[keyof typeof QoS];

/** Topics under this prefix are the broker's own ($SYS); devices may neither publish nor subscribe there. */
export const SYS_PREFIX = '$SYS';

/** Why the gateway refused or dropped a publish; logged and counted per device. */
export const DropReason = {
  FOREIGN_TOPIC: 'foreign-topic',
  SYS_TOPIC: 'sys-topic',
  RATE_LIMITED: 'rate-limited',
  OVERSIZE: 'oversize',
  MALFORMED: 'malformed',
  UNKNOWN_DEVICE: 'unknown-device',
  PENDING_DEVICE: 'pending-device',
  SEND_FAILED: 'send-failed',
} as const;
export type DropReason = (typeof DropReason)[keyof typeof DropReason];

/** State event types the gateway writes in device rooms. */
export const DeviceEventType = {
  /** `org.hearth.device.status`, state_key '': `{ online, detail?, last_seen_ts, drops? }`. */
  STATUS: 'org.hearth.device.status',
  /** `org.hearth.device`, state_key '': `{ name, profile, topic, commands, info? }`. */
  INFO: 'org.hearth.device',
  /** Level a user needs to command a device (an entry of m.room.power_levels `events`). */
  COMMAND: 'org.hearth.command',
} as const;
