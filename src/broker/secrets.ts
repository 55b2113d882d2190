/**
 * Secrets in data-integration configurations (connector passwords, tokens, keys, auth headers) are
 * write-only: the gateway never hands them back, whatever the broker sends. EMQX v5 masks a short list of
 * keys itself (`emqx_utils:redact/1`); v4 masks nothing (a web hook's `headers.token` comes back as is).
 * This is wider than both: any key that names a credential, at any depth.
 */

export const REDACTED = '******';

const SECRET_KEY =
  /(pass(word|wd|phrase|code)?$|^pwd$|secret|token|authori[sz]ation|^jwt$|api[-_]?key|access[-_]?key|private[-_]?key|account[-_]?key|sas[-_]?key|credential|cookie|^keyfile$)/i;

/** Whether a configuration key holds a secret. */
export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key);

/** A copy with every secret value replaced by `******`. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      isSecretKey(k) && v !== null && v !== '' ? REDACTED : redactSecrets(v),
    ]),
  );
}

/** A credential word in free text and the value after it: `password hunter2`, `token: x`, `Authorization: Bearer x`. */
const SECRET_IN_TEXT =
  /\b(pass(?:word|wd|phrase|code)?|pwd|secret|token|authori[sz]ation|api[-_]?key|access[-_]?key|private[-_]?key|credentials?|cookie)(["']?\s*(?:[:=]|\bis\b)?\s*["']?)(?:(?:bearer|basic)\s+)?[^\s"',;}\]]+/gi;

/** Every secret value (by key, at any depth) of what was sent, to be masked where an answer echoes it. */
function sentSecrets(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) sentSecrets(item, found);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (isSecretKey(key) && typeof item === 'string' && item.length >= 4) found.push(item);
      else sentSecrets(item, found);
    }
  }
  return found;
}

/**
 * Free text from an upstream error, made fit for a log line: the secret values the request carried, and any
 * value a credential word introduces, become `******` (EMQX echoes connector configurations in its messages).
 */
export function maskSecretsInText(text: string, sent: unknown): string {
  let masked = text;
  for (const secret of sentSecrets(sent)) masked = masked.replaceAll(secret, REDACTED);
  return masked.replace(
    SECRET_IN_TEXT,
    (_match, word: string, separator: string) => `${word}${separator}${REDACTED}`,
  );
}
