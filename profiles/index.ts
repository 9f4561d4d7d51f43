/** The profile registry: every built-in profile by id, plus the shared contract and helpers. */
import { esphomeProfile } from './esphome.js';
import { hearthProfile } from './hearth.js';
import { homeassistantProfile } from './homeassistant.js';
import { homieProfile } from './homie.js';
import { shellyProfile } from './shelly.js';
import { tasmotaProfile } from './tasmota.js';
import { zigbee2mqttProfile } from './zigbee2mqtt.js';
import type { Profile, ProfileId } from './types.js';

export type * from './types.js';
export { readingEventContent, READING_EVENT_TYPE, READING_KEY } from './reading-event.js';
export type { ReadingEventContent, ReadingPayload } from './reading-event.js';
export { parseCommandMessage, parseCommandEvent, isCommandError, COMMAND_EVENT_TYPE } from './command-parse.js';
export type { CommandOrigin } from './command-parse.js';
export { topicMatches } from './topic.js';
export { EVENT_TYPES } from './event-types.js';
export { hearthProfile, tasmotaProfile, zigbee2mqttProfile, homeassistantProfile, homieProfile, shellyProfile, esphomeProfile };

/**
 * All built-in profiles, by id.
 * @example PROFILES.tasmota.description // 'Tasmota firmware (tele/stat/cmnd topics)'
 */
export const PROFILES: Readonly<Record<ProfileId, Profile>> = Object.freeze({
  hearth: hearthProfile,
  tasmota: tasmotaProfile,
  zigbee2mqtt: zigbee2mqttProfile,
  homeassistant: homeassistantProfile,
  homie: homieProfile,
  shelly: shellyProfile,
  esphome: esphomeProfile,
});

/**
 * The profile with this id, or undefined for an unknown id (e.g. from a config file).
 * @example getProfile('hearth')?.defaultTopic('kitchen') // 'hearth/kitchen'
 */
export function getProfile(id: string): Profile | undefined {
  return Object.hasOwn(PROFILES, id) ? PROFILES[id as ProfileId] : undefined;
}
