import { z } from 'zod';
import { topicName } from './mqtt-topic.ts';
import { CONTROL_CHARACTERS, isValidUtf8 } from './text.ts';

/**
 * Values that end up in a broker URL path (client IDs, usernames, rule IDs, ban values, topics of retained
 * messages). They are percent-encoded as one segment anyway (see path.ts); these checks refuse what no
 * real device uses but an attacker would try, so it is refused before anything is sent.
 */

/** Undoes percent-encoding up to a few times, as a chain of proxies might. */
function decodedForms(value: string): string[] {
  const forms = [value];
  let current = value;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      break;
    }
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms;
}

/**
 * True when the value, or what it decodes to, is `.`/`..` or has such a part between slashes: a server or
 * proxy that decoded `%2F` would then see a path traversal (`a/../b`, `%2e%2e`, `..%2Fadmin`).
 */
export function hasDotSegment(value: string): boolean {
  return decodedForms(value).some((form) =>
    form.split(/[/\\]/).some((part) => part === '.' || part === '..'),
  );
}

/** Why a value is unsafe in a URL path, or null when it is fine. */
export function pathValueProblem(value: string, what: string, maxBytes = 65_535): string | null {
  if (value.length === 0) return `${what} may not be empty`;
  if (!isValidUtf8(value)) return `${what} is not valid UTF-8`;
  if (Buffer.byteLength(value, 'utf8') > maxBytes) return `${what} is longer than ${maxBytes} bytes`;
  if (CONTROL_CHARACTERS.test(value)) return `${what} may not contain control characters (CR, LF, NUL…)`;
  if (hasDotSegment(value)) return `${what} may not be or contain "." or ".." path segments`;
  return null;
}

/** A string that is safe as one URL path segment, with an upper bound in UTF-8 bytes. */
export const pathValue = (what: string, maxBytes: number) =>
  z.string().superRefine((value, ctx) => {
    const problem = pathValueProblem(value, what, maxBytes);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** MQTT allows 65,535 bytes; EMQX's default `max_clientid_len` is the same. */
export const clientId = pathValue('clientId', 65_535);
export const username = pathValue('username', 65_535);

/**
 * v4 ids look like `rule:7fdb2c9e`, v5 ids are free text (8 random characters when not given). Only
 * characters that survive every router untouched are allowed, so `a/b` is refused.
 */
export const ruleId = z
  .string()
  .min(1, 'rule id may not be empty')
  .max(255, 'rule id is longer than 255 characters')
  .regex(/^[A-Za-z0-9_.:@-]+$/, 'rule id may only contain letters, digits and _ . : @ -')
  .refine((value) => value !== '.' && value !== '..', 'rule id may not be "." or ".."');

/**
 * An EMQX node name, `name@host` (`emqx@10.0.0.1`). v4 puts it in the path (`/nodes/{node}/clients`), v5 in
 * the query; either way a value that cannot be a node name is refused before any call.
 */
export const nodeName = pathValue('node', 255).refine(
  (value) => /^[^\s@/\\]+@[^\s@/\\]+$/.test(value),
  'a node name looks like emqx@10.0.0.1',
);

/** EMQX Cloud deployment IDs, as in the gateway configuration. */
export const deploymentId = z
  .string()
  .regex(/^[a-z0-9]{4,32}$/, 'deployment IDs are 4 to 32 lowercase letters and digits');

/** The topic of a retained message, which goes into `/mqtt/retainer/message/{topic}`. */
export const retainedTopic = topicName.superRefine((value, ctx) => {
  if (value.length > 0 && hasDotSegment(value)) {
    ctx.addIssue({ code: 'custom', message: 'topic may not have "." or ".." levels here' });
  }
});
