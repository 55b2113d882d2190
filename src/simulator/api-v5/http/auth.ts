import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './reply.ts';

export interface ApiKey {
  appId: string;
  appSecret: string;
}

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Basic `api_key:secret_key` as `emqx_dashboard` checks it; throws the exact 401 bodies of §1.2. */
export function checkApiKey(headers: IncomingHttpHeaders, key: ApiKey): void {
  const header = headers.authorization ?? '';
  const [scheme, token] = header.split(' ', 2);
  // A bearer token can only come from POST /login, which the simulator does not offer.
  if (scheme?.toLowerCase() === 'bearer') throw new ApiError(401, 'BAD_TOKEN', 'Get a token by POST /login');
  if (scheme?.toLowerCase() !== 'basic' || !token) {
    throw new ApiError(
      401,
      'AUTHORIZATION_HEADER_ERROR',
      'Support authorization: basic/bearer ',
      {},
      { 'www-authenticate': 'Basic Realm="emqx-dashboard"' },
    );
  }
  const decoded = Buffer.from(token, 'base64').toString();
  const colon = decoded.indexOf(':');
  const id = colon < 0 ? decoded : decoded.slice(0, colon);
  const secret = colon < 0 ? '' : decoded.slice(colon + 1);
  if (!safeEqual(id, key.appId) || !safeEqual(secret, key.appSecret)) {
    throw new ApiError(401, 'BAD_API_KEY_OR_SECRET', 'Check api_key/api_secret');
  }
}
