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
