import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface PlatformCredentials {
  apiKey: string;
  apiSecret: string;
}

const same = (left: string, right: string): boolean => {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** HTTP Basic with the Platform API key and secret (`curl -u key:secret`); any other scheme fails. */
export function isAuthorized(headers: IncomingHttpHeaders, credentials: PlatformCredentials): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(headers.authorization ?? '');
  if (!match) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  return (
    same(decoded.slice(0, colon), credentials.apiKey) && same(decoded.slice(colon + 1), credentials.apiSecret)
  );
}
