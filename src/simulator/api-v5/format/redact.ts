/** What EMQX shows instead of a secret (`emqx_utils:redact/1`). */
export const REDACTED = '******';

const SENSITIVE = new Set([
  'aws_secret_access_key',
  'password',
  'proxy-authorization',
  'secret',
  'secret_access_key',
  'secret_key',
  'security_token',
  'sp_private_key',
  'token',
  'jwt',
  'bind_password',
]);

/** `emqx_utils:is_sensitive_key/1`: a fixed list, plus `authorization` in any case. */
export const isSensitiveKey = (key: string): boolean =>
  SENSITIVE.has(key) || key.toLowerCase() === 'authorization';

/** Every sensitive key's value, at any depth, replaced by `******`. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, isSensitiveKey(k) ? REDACTED : redact(v)]),
  );
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `emqx_utils:deobfuscate/2`: a `******` sent back for a sensitive key keeps the stored secret (or is
 * dropped when there was none), so a client can PUT what it read without erasing passwords.
 */
export function deobfuscate(
  next: Record<string, unknown>,
  old: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    const redacted = isSensitiveKey(k) && v === REDACTED;
    if (!(k in old)) {
      if (!redacted) out[k] = v;
    } else if (isObject(v) && isObject(old[k])) out[k] = deobfuscate(v, old[k] as Record<string, unknown>);
    else out[k] = redacted ? old[k] : v;
  }
  return out;
}
