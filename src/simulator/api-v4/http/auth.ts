import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface AppCredentials {
  appId: string;
  appSecret: string;
}

/** Parses `Authorization: Basic …` as cowboy does: scheme case-insensitive, split at the first colon. */
export function parseBasicAuth(headers: IncomingHttpHeaders): { user: string; pass: string } | null {
  const header = headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^basic\s+(\S+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

const same = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/** `emqx_mgmt_auth:is_authorized(AppId, AppSecret)` for the single application the simulator knows. */
export function isAuthorized(headers: IncomingHttpHeaders, app: AppCredentials): boolean {
  const credentials = parseBasicAuth(headers);
  return credentials !== null && same(credentials.user, app.appId) && same(credentials.pass, app.appSecret);
}
