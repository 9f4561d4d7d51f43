/** MQTT topic helpers shared by the profiles: filter matching and base-relative paths. */

/**
 * Whether `topic` matches the MQTT topic `filter` (`+` one level, `#` the rest, including the parent).
 * @example topicMatches('tele/+/SENSOR', 'tele/plug/SENSOR') // true
 */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return i === f.length - 1;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/**
 * The part of `topic` below `base`, or null when `topic` is not under it.
 * @example relativeTopic('zigbee2mqtt', 'zigbee2mqtt/lamp/set') // 'lamp/set'
 */
export function relativeTopic(base: string, topic: string): string | null {
  return topic.startsWith(base + '/') ? topic.slice(base.length + 1) : null;
}

/**
 * Whether `segment` is safe as one topic level (no wildcards, separators or NUL).
 * @example isTopicLevel('POWER') // true
 */
export function isTopicLevel(segment: string): boolean {
  return segment.length > 0 && !/[+#/\u0000]/.test(segment);
}
