import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import type { AuthConfig, Role } from '../config.ts';
import type { Logger } from '../logger.ts';
import { type Caller, projectsOf } from './caller.ts';

export type JwtConfig = NonNullable<Extract<AuthConfig, { mode: 'tokens' }>['jwt']>;

export interface JwtVerifierOptions {
  /** Where refusals are logged (reason only, never the token). */
  logger?: Pick<Logger, 'debug' | 'warn'>;
  /** How long fetched JWKS keys are used before they are fetched again. @default 600_000 */
  jwksCacheMaxAgeMs?: number;
  /**
   * Shortest time between two JWKS fetches. A token with an unknown `kid` triggers a refetch only after
   * this, so a flood of made-up `kid`s costs the identity provider one request per cooldown.
   * @default 30_000
   */
  jwksCooldownMs?: number;
  /** Budget of one JWKS fetch. @default 5_000 */
  jwksTimeoutMs?: number;
}

const ROLES: ReadonlySet<string> = new Set<Role>(['viewer', 'operator', 'admin']);
const ASYMMETRIC = ['RS256', 'ES256'];

/** Key lookup that also waits a cooldown after a failed fetch, so an unreachable IdP is not asked per request. */
function createJwksKeys(url: string, options: JwtVerifierOptions): JWTVerifyGetKey {
  const cooldownMs = options.jwksCooldownMs ?? 30_000;
  const remote = createRemoteJWKSet(new URL(url), {
    cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000,
    cooldownDuration: cooldownMs,
    timeoutDuration: options.jwksTimeoutMs ?? 5_000,
  });
  let failedAt = Number.NEGATIVE_INFINITY;
  return async (header, token) => {
    if (!remote.jwks() && performance.now() - failedAt < cooldownMs) {
      throw Object.assign(new Error('JWKS unavailable'), { code: 'ERR_JWKS_UNAVAILABLE' });
    }
    try {
      return await remote(header, token);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'ERR_JWKS_NO_MATCHING_KEY' && code !== 'ERR_JWKS_MULTIPLE_MATCHING_KEYS')
        failedAt = performance.now();
      throw error;
    }
  };
}

/** The caller a verified token names, or null when its claims do not make one. */
function callerFromClaims(payload: JWTPayload): Caller | null {
  const { sub, role, projects } = payload;
  if (typeof sub !== 'string' || sub.length === 0) return null;
  if (typeof role !== 'string' || !ROLES.has(role)) return null;
  const list = projects === '*' ? ['*'] : projects;
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string' && p.length > 0)) return null;
  return {
    name: sub,
    role: role as Role,
    projects: projectsOf(list as string[]),
    via: 'jwt',
    ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp * 1000 } : {}),
  };
}

/**
 * Verifies bearer JWTs: HS256 against `auth.jwt.secret`, RS256/ES256 against the keys at `auth.jwt.jwksUrl`.
 * The key is chosen by the algorithm named in the header and each key only verifies its own algorithms, so
 * `alg: none` and algorithm confusion (an HS256 token "signed" with the public RSA key) find no key at all.
 * `exp`, `sub`, `role` and `projects` are required; `iss`, `aud`, `exp` and `nbf` are checked with
 * `clockToleranceSeconds` of skew. Every refusal is the same `null`, so callers cannot tell them apart.
 */
export function createJwtVerifier(config: JwtConfig, options: JwtVerifierOptions = {}) {
  const secret = config.secret ? new TextEncoder().encode(config.secret) : null;
  const jwks = config.jwksUrl ? createJwksKeys(config.jwksUrl, options) : null;

  const keyFor = (alg: unknown) => {
    if (alg === 'HS256' && secret) return { key: secret, algorithms: ['HS256'] };
    if (typeof alg === 'string' && ASYMMETRIC.includes(alg) && jwks)
      return { key: jwks, algorithms: ASYMMETRIC };
    return null;
  };

  return async function verifyJwt(token: string): Promise<Caller | null> {
    try {
      const chosen = keyFor(decodeProtectedHeader(token).alg);
      if (!chosen) {
        options.logger?.debug({ reason: 'ALG_NOT_ALLOWED' }, 'bearer JWT refused');
        return null;
      }
      const verifyOptions = {
        algorithms: chosen.algorithms,
        issuer: config.issuer,
        audience: config.audience,
        clockTolerance: config.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      };
      const { payload } =
        chosen.key instanceof Uint8Array
          ? await jwtVerify(token, chosen.key, verifyOptions)
          : await jwtVerify(token, chosen.key, verifyOptions);
      const caller = callerFromClaims(payload);
      if (!caller) options.logger?.debug({ reason: 'BAD_CLAIMS' }, 'bearer JWT refused');
      return caller;
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'JWKS_FETCH_FAILED';
      // Fetch trouble is the operator's problem and worth a warning; a bad token is the caller's, and noise.
      const fetchTrouble =
        code === 'JWKS_FETCH_FAILED' || code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JOSE_GENERIC';
      if (fetchTrouble) options.logger?.warn({ reason: code }, 'cannot fetch the JWKS; bearer JWT refused');
      else options.logger?.debug({ reason: code }, 'bearer JWT refused');
      return null;
    }
  };
}
