/** Home Assistant MQTT discovery abbreviations (the documented table) and `~` base-topic expansion. */
import { isRecord } from './payload.js';

/**
 * Abbreviated option names, from the Home Assistant MQTT discovery documentation (the subset Hearth reads or keeps).
 * @example HA_ABBREVIATIONS.stat_t // 'state_topic'
 */
export const HA_ABBREVIATIONS: Readonly<Record<string, string>> = {
  act_t: 'action_topic', act_tpl: 'action_template', avty: 'availability', avty_mode: 'availability_mode',
  avty_t: 'availability_topic', avty_tpl: 'availability_template', bri_cmd_t: 'brightness_command_topic',
  bri_cmd_tpl: 'brightness_command_template', bri_scl: 'brightness_scale', bri_stat_t: 'brightness_state_topic',
  bri_val_tpl: 'brightness_value_template', cmd_off_tpl: 'command_off_template', cmd_on_tpl: 'command_on_template',
  cmd_t: 'command_topic', cmd_tpl: 'command_template', cmps: 'components', curr_temp_t: 'current_temperature_topic',
  curr_temp_tpl: 'current_temperature_template', dev: 'device', dev_cla: 'device_class', e: 'encoding',
  en: 'enabled_by_default', ent_cat: 'entity_category', evt_typ: 'event_types', exp_aft: 'expire_after',
  frc_upd: 'force_update', ic: 'icon', json_attr_t: 'json_attributes_topic', json_attr_tpl: 'json_attributes_template',
  max: 'max', min: 'min', mode_cmd_t: 'mode_command_topic', mode_stat_t: 'mode_state_topic', o: 'origin',
  obj_id: 'object_id', opt: 'optimistic', ops: 'options', p: 'platform', pl: 'payload', pl_avail: 'payload_available',
  pl_cls: 'payload_close', pl_lock: 'payload_lock', pl_not_avail: 'payload_not_available', pl_off: 'payload_off',
  pl_on: 'payload_on', pl_open: 'payload_open', pl_prs: 'payload_press', pl_rst: 'payload_reset', pl_stop: 'payload_stop',
  pl_unlk: 'payload_unlock', pos_clsd: 'position_closed', pos_open: 'position_open', pos_t: 'position_topic',
  pos_tpl: 'position_template', ret: 'retain', set_pos_t: 'set_position_topic', set_pos_tpl: 'set_position_template',
  stat_cla: 'state_class', stat_clsd: 'state_closed', stat_locked: 'state_locked', stat_off: 'state_off',
  stat_on: 'state_on', stat_open: 'state_open', stat_t: 'state_topic', stat_tpl: 'state_template',
  stat_unlocked: 'state_unlocked', stat_val_tpl: 'state_value_template', step: 'step', stype: 'subtype', t: 'topic',
  temp_cmd_t: 'temperature_command_topic', temp_stat_t: 'temperature_state_topic', uniq_id: 'unique_id',
  unit_of_meas: 'unit_of_measurement', val_tpl: 'value_template',
};

/**
 * Abbreviations inside `device` and `origin`.
 * @example HA_DEVICE_ABBREVIATIONS.mf // 'manufacturer'
 */
export const HA_DEVICE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  cns: 'connections', cu: 'configuration_url', hw: 'hw_version', ids: 'identifiers', mdl: 'model', mdl_id: 'model_id',
  mf: 'manufacturer', sa: 'suggested_area', sn: 'serial_number', sw: 'sw_version', url: 'support_url',
};

function renameKeys(obj: Record<string, unknown>, table: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[table[k] ?? k] = v;
  return out;
}

function expandTilde(obj: Record<string, unknown>, base: unknown): Record<string, unknown> {
  if (typeof base !== 'string') return obj;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const isTopic = k === 'topic' || k.endsWith('_topic');
    if (isTopic && typeof v === 'string' && v.startsWith('~')) out[k] = base + v.slice(1);
    else if (isTopic && typeof v === 'string' && v.endsWith('~')) out[k] = v.slice(0, -1) + base;
    else out[k] = v;
  }
  return out;
}

/**
 * Expands one entity's options: abbreviations (also inside `device`, `origin` and `availability` entries) and
 * `~` at the start or end of topic options, taken from the options' own `~`.
 * @example expandOptions({ '~': 'home/plug', stat_t: '~/state', dev: { ids: ['p1'] } })
 * // { '~': 'home/plug', state_topic: 'home/plug/state', device: { identifiers: ['p1'] } }
 */
export function expandOptions(raw: Record<string, unknown>): Record<string, unknown> {
  const obj = renameKeys(raw, HA_ABBREVIATIONS);
  for (const k of ['device', 'origin']) if (isRecord(obj[k])) obj[k] = renameKeys(obj[k], HA_DEVICE_ABBREVIATIONS);
  const expanded = expandTilde(obj, obj['~']);
  if (Array.isArray(expanded.availability)) {
    expanded.availability = expanded.availability.map((a) => (isRecord(a) ? expandTilde(renameKeys(a, HA_ABBREVIATIONS), obj['~']) : a));
  }
  return expanded;
}

/**
 * Expands a device-based discovery payload (`homeassistant/device/<id>/config`) into per-component options:
 * each component gets the shared options (everything but `device`, `origin`, `components`) under its own.
 * @example expandDeviceConfig({ dev: { ids: 'd1' }, stat_t: 's', cmps: { t1: { p: 'sensor' } } })
 * // { device: { identifiers: 'd1' }, components: { t1: { state_topic: 's', platform: 'sensor' } } }
 */
export function expandDeviceConfig(raw: Record<string, unknown>): { device?: Record<string, unknown>; origin?: Record<string, unknown>; components: Record<string, Record<string, unknown>> } {
  const top = renameKeys(raw, HA_ABBREVIATIONS);
  const shared: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!['dev', 'device', 'o', 'origin', 'cmps', 'components'].includes(k)) shared[k] = v;
  const components: Record<string, Record<string, unknown>> = {};
  if (isRecord(top.components)) {
    for (const [id, c] of Object.entries(top.components)) if (isRecord(c)) components[id] = expandOptions({ ...shared, ...c });
  }
  const out: ReturnType<typeof expandDeviceConfig> = { components };
  if (isRecord(top.device)) out.device = renameKeys(top.device, HA_DEVICE_ABBREVIATIONS);
  if (isRecord(top.origin)) out.origin = renameKeys(top.origin, HA_DEVICE_ABBREVIATIONS);
  return out;
}
