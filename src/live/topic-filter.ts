import { topicFilter } from '../validation/mqtt-topic.ts';

/**
 * Topic filters a live stream may tail: any valid MQTT filter except a shared or queued one. `$share/` and
 * `$queue/` would make the gateway a member of the devices' consumer group and take messages away from them.
 */
export const liveTopicFilter = topicFilter.superRefine((value, ctx) => {
  if (/^\$(share|queue)\//.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'a live stream cannot use $share/ or $queue/ (it would take messages)',
    });
  }
});

/**
 * MQTT matching (3.1.1 §4.7): `+` one level, `#` the rest (and the parent), and a filter starting with a
 * wildcard never matches a topic starting with `$`.
 */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}
