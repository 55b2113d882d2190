import type { Ban } from '../../broker/types.ts';
import { rfc3339 } from './time.ts';

/** The v5 ban object: RFC 3339 times with seconds precision, `until` may be `"infinity"`. */
export function formatBan(ban: Ban): Record<string, unknown> {
  return {
    as: ban.as,
    who: ban.who,
    by: ban.by,
    reason: ban.reason,
    at: rfc3339(ban.at, 's'),
    until: ban.until === null ? 'infinity' : rfc3339(ban.until, 's'),
  };
}
