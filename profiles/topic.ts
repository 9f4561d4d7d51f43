/** MQTT topic helpers shared by the profiles: filter matching and base-relative paths. */

/**
 * Whether `topic` matches the MQTT topic `filter` (`+` one level, `#` the rest, including the parent).
 * @example topicMatches('tele/+/SENSOR', 'tele/plug/SENSOR') // true
 */
export function topicMatches(filter: string, topic: string): boolean {
  // Level by level over both strings, without splitting them (it runs for every publish a device makes).
  let fi = 0, ti = 0;
  for (;;) {
    let fe = filter.indexOf('/', fi);
    if (fe < 0) fe = filter.length;
    const width = fe - fi;
    if (width === 1 && filter.charCodeAt(fi) === 0x23) return fe === filter.length; // '#': the rest, only as the last level
    if (ti > topic.length) return false; // the topic has fewer levels
    let te = topic.indexOf('/', ti);
    if (te < 0) te = topic.length;
    if (!(width === 1 && filter.charCodeAt(fi) === 0x2b)) { // not '+': the levels must be equal
      if (te - ti !== width) return false;
      for (let k = 0; k < width; k++) if (filter.charCodeAt(fi + k) !== topic.charCodeAt(ti + k)) return false;
    }
    if (fe === filter.length) return te === topic.length;
    fi = fe + 1;
    ti = te + 1;
  }
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
