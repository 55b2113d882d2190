import type { AuthConfig } from '../config.ts';
import { createApiKeyVerifier } from './api-keys.ts';
import type { Caller } from './caller.ts';

/** Turns a request's Authorization header into a Caller, or null when it proves nothing. */
export type Authenticator = (authorization: string | null) => Promise<Caller | null>;

const ANONYMOUS_ADMIN: Caller = { name: 'anonymous', role: 'admin', projects: '*', via: 'none' };

export interface AuthenticatorOptions {
  /** Verifies a token that is not an API key (a JWT); absent when JWTs are not configured. */
  verifyJwt?: (token: string) => Promise<Caller | null>;
}

export function createAuthenticator(config: AuthConfig, options: AuthenticatorOptions = {}): Authenticator {
  if (config.mode === 'none') return async () => ANONYMOUS_ADMIN;
  const verifyApiKey = createApiKeyVerifier(config.apiKeys);
  return async (authorization) => {
    const match = authorization?.match(/^Bearer\s+([\x21-\x7e]{1,4096})$/i);
    if (!match?.[1]) return null;
    const token = match[1];
    const caller = verifyApiKey(token);
    if (caller) return caller;
    if (options.verifyJwt && token.split('.').length === 3) return options.verifyJwt(token);
    return null;
  };
}
