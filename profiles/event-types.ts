/** The org.hearth event types that profile items carry (beyond readings, which are m.room.message). */

/**
 * Event types used in `event` and `state` items:
 * - `deviceState`: state event with a device's own status report (Tasmota `tele/STATE`), state key '';
 * - `deviceInfo`: state event with firmware/module facts (Tasmota `INFO1..3`, state key `Info1`..);
 * - `deviceEvent`: message event for things that happened (buttons, joins, ESPHome/Shelly events);
 * - `deviceAlert`, `deviceLog`: message events for Homie v5 `$alert/<id>` and `$log/<level>`.
 * @example EVENT_TYPES.deviceEvent // 'org.hearth.device.event'
 */
export const EVENT_TYPES = Object.freeze({
  deviceState: 'org.hearth.device.state',
  deviceInfo: 'org.hearth.device.info',
  deviceEvent: 'org.hearth.device.event',
  deviceAlert: 'org.hearth.device.alert',
  deviceLog: 'org.hearth.device.log',
} as const);
