import { z } from 'zod';
import { CONTROL_CHARACTERS, isValidUtf8 } from './text.ts';

/**
 * MQTT topic names (what a message is published to) and topic filters (what a client subscribes to),
 * per MQTT 5.0 §4.7 and §1.5.4: UTF-8, 1 to 65,535 bytes, no U+0000. Control characters (C0, DEL, C1) are
 * refused too: the spec says they SHOULD NOT appear, and a CR/LF in a topic is never what an operator meant.
 */

export const MAX_TOPIC_BYTES = 65_535;

/** Checks shared by names and filters; adds zod issues to `ctx`. */
function checkMqttString(value: string, ctx: z.RefinementCtx, what: string): boolean {
  if (value.length === 0) {
    ctx.addIssue({ code: 'custom', message: `${what} may not be empty` });
    return false;
  }
  if (!isValidUtf8(value)) {
    ctx.addIssue({ code: 'custom', message: `${what} is not valid UTF-8 (lone surrogate)` });
    return false;
  }
  if (Buffer.byteLength(value, 'utf8') > MAX_TOPIC_BYTES) {
    ctx.addIssue({ code: 'custom', message: `${what} is longer than ${MAX_TOPIC_BYTES} bytes` });
    return false;
  }
  if (CONTROL_CHARACTERS.test(value)) {
    ctx.addIssue({ code: 'custom', message: `${what} may not contain NUL or control characters` });
    return false;
  }
  return true;
}

/** A topic a message can be published to: no wildcards, not a shared-subscription prefix. */
export const topicName = z.string().superRefine((value, ctx) => {
  if (!checkMqttString(value, ctx, 'topic')) return;
  if (/[+#]/.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'a topic name may not contain the wildcards + or #' });
  } else if (/^\$(share|queue)\//.test(value)) {
    ctx.addIssue({ code: 'custom', message: '$share/ and $queue/ are for subscriptions, not publishing' });
  }
});

/** Wildcards must fill a whole level; `#` only as the last level. */
function wildcardProblem(filter: string): string | null {
  const levels = filter.split('/');
  for (const [i, level] of levels.entries()) {
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return '# must be the whole last level of a topic filter';
    }
    if (level.includes('+') && level !== '+') return '+ must fill a whole level of a topic filter';
  }
  return null;
}

/** `$share/{group}/{filter}` and `$queue/{filter}` as EMQX accepts them, or a plain filter. */
function filterProblem(value: string): string | null {
  const shared = value.match(/^\$share\/([^/]*)\/(.*)$/s);
  if (value.startsWith('$share/') && !shared) return '$share/ needs a group and a topic filter';
  if (shared) {
    const [, group, rest] = shared as unknown as [string, string, string];
    if (group.length === 0 || /[+#]/.test(group)) return 'a share group must be non-empty, without + or #';
    if (rest.length === 0) return '$share/group/ needs a topic filter';
    return wildcardProblem(rest);
  }
  const queued = value.match(/^\$queue\/(.*)$/s);
  if (queued) return queued[1] ? wildcardProblem(queued[1]) : '$queue/ needs a topic filter';
  return wildcardProblem(value);
}

/** A topic filter a client can be subscribed to. */
export const topicFilter = z.string().superRefine((value, ctx) => {
  if (!checkMqttString(value, ctx, 'topic filter')) return;
  const problem = filterProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const qos = z
  .number()
  .int('qos must be 0, 1 or 2')
  .min(0, 'qos must be 0, 1 or 2')
  .max(2, 'qos must be 0, 1 or 2');
