/** MQTT topic rules as EMQX applies them (validation, wildcard matching, shared-subscription prefixes). */

const MAX_TOPIC_LENGTH = 65535;

/** A topic name a message may be published to: non-empty, no wildcards, no NUL. */
export function isValidTopicName(topic: string): boolean {
  if (topic.length === 0 || topic.length > MAX_TOPIC_LENGTH) return false;
  return !topic.includes('+') && !topic.includes('#') && !topic.includes('\u0000');
}

/** A subscription filter: `+` fills a whole level, `#` only as the last level. `$share/g/` is accepted. */
export function isValidTopicFilter(filter: string): boolean {
  const { filter: bare } = parseShared(filter);
  if (bare.length === 0 || bare.length > MAX_TOPIC_LENGTH || bare.includes('\u0000')) return false;
  const levels = bare.split('/');
  return levels.every((level, i) => {
    if (level.includes('#')) return level === '#' && i === levels.length - 1;
    return !level.includes('+') || level === '+';
  });
}

export function isWildcard(filter: string): boolean {
  return filter.includes('+') || filter.includes('#');
}

/** Splits `$share/<group>/<filter>` (and EMQX's `$queue/<filter>`) into its group and the bare filter. */
export function parseShared(topic: string): { group: string | null; filter: string } {
  if (topic.startsWith('$share/')) {
    const rest = topic.slice('$share/'.length);
    const slash = rest.indexOf('/');
    if (slash > 0) return { group: rest.slice(0, slash), filter: rest.slice(slash + 1) };
  }
  if (topic.startsWith('$queue/')) return { group: '$queue', filter: topic.slice('$queue/'.length) };
  return { group: null, filter: topic };
}

/** Whether a topic name matches a filter; wildcards at the first level never match `$` topics. */
export function topicMatches(filter: string, topic: string): boolean {
  const bare = parseShared(filter).filter;
  const f = bare.split('/');
  const t = topic.split('/');
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Whether every topic matched by `inner` is also matched by `outer` (filter-on-filter, used for listings). */
export function filterCovers(outer: string, inner: string): boolean {
  const o = outer.split('/');
  const n = inner.split('/');
  for (let i = 0; i < o.length; i++) {
    if (o[i] === '#') return true;
    if (i >= n.length) return false;
    if (o[i] === '+' ? n[i] === '#' : o[i] !== n[i]) return false;
  }
  return o.length === n.length;
}
