/**
 * `emqx_topic:match(Name, Filter)` as EMQX 4.4 runs it, also on filters used as names (`_match_topic`,
 * `_match_for`): a `+`/`#` in the name is an ordinary word unless the filter has a wildcard there.
 */
export function emqxTopicMatch(name: string, filter: string): boolean {
  if (name.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const n = name.split('/');
  const f = filter.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#' && i === f.length - 1) return true;
    if (i >= n.length) return false;
    if (f[i] !== '+' && f[i] !== n[i]) return false;
  }
  return n.length === f.length;
}

const MAX_TOPIC_BYTES = 65535;

/**
 * `emqx_topic:validate({name | filter, Topic})`: non-empty, at most 65535 bytes, `#` only as the last
 * level, `+`/`#` only as whole levels, no NUL; a name may hold no wildcard at all.
 */
export function isValidTopic(kind: 'name' | 'filter', topic: unknown): topic is string {
  if (typeof topic !== 'string' || topic === '' || Buffer.byteLength(topic) > MAX_TOPIC_BYTES) return false;
  const words = topic.split('/');
  for (const [i, word] of words.entries()) {
    if (word === '#') {
      if (i !== words.length - 1) return false;
    } else if (word !== '+' && (/[#+]/.test(word) || word.includes('\u0000'))) {
      return false;
    }
  }
  return kind === 'filter' || !words.some((word) => word === '+' || word === '#');
}

/** `emqx_topic:parse/1` rejects `$share/<group>` without a filter and groups holding a wildcard. */
export function isParsableFilter(topic: string): boolean {
  if (!topic.startsWith('$share/')) return true;
  const rest = topic.slice('$share/'.length);
  const slash = rest.indexOf('/');
  return slash >= 0 && !/[+#]/.test(rest.slice(0, slash));
}
