import { BAN_KINDS, validateBanWho } from '../../broker/bans.ts';
import type { BrokerCore } from '../../broker/core.ts';
import type { Ban, BanKind } from '../../broker/types.ts';
import { formatBan } from '../format/ban.ts';
import { parseTime } from '../format/time.ts';
import { objectBody } from '../http/body.ts';
import { plainPage, queryPage } from '../http/paging.ts';
import { first, pageParams } from '../http/query.ts';
import { ApiError, badRequest, noContent, ok } from '../http/reply.ts';
import type { Route } from '../http/router.ts';

const EXACT = { clientid: 'clientid', username: 'username', peerhost: 'peerhost' } as const;
const FUZZY = {
  like_clientid: 'clientid',
  like_username: 'username',
  like_peerhost: 'peerhost',
  like_peerhost_net: 'peerhost_net',
} as const;

function regex(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch {
    throw badRequest(`Invalid regex: ${pattern}`);
  }
}

/** `GET /banned`: at most one filter; the meta shape depends on which kind (§4.4). */
function listBans(core: BrokerCore, query: URLSearchParams) {
  const page = pageParams(query);
  const filters = [...Object.keys(EXACT), ...Object.keys(FUZZY)].filter((name) => query.has(name));
  if (filters.length > 1) throw badRequest('Bad Request: only one filter is allowed');
  const [filter] = filters;
  const bans = core.bans.list();
  if (filter === undefined) return plainPage(bans.map(formatBan), page);
  const value = first(query, filter) ?? '';
  if (filter in EXACT) {
    const found = core.bans.get(EXACT[filter as keyof typeof EXACT], value);
    return {
      data: found ? [formatBan(found)] : [],
      meta: { page: page.page, limit: page.limit, hasnext: false, count: found ? 1 : 0 },
    };
  }
  const pattern = regex(value);
  const kind = FUZZY[filter as keyof typeof FUZZY];
  return queryPage(bans.filter((b) => b.as === kind && pattern.test(b.who)).map(formatBan), page, false);
}

function parseBan(body: Record<string, unknown>, now: number): Ban {
  const as = body.as;
  if (typeof as !== 'string' || !BAN_KINDS.includes(as as BanKind))
    throw badRequest('Bad Request: as is required, one of ' + BAN_KINDS.join(','));
  if (typeof body.who !== 'string' || body.who === '') throw badRequest('Bad Request: who is required');
  const invalid = validateBanWho(as as BanKind, body.who);
  if (invalid) throw badRequest(invalid);
  const at = body.at === undefined ? now : parseTime(body.at, 's');
  const until = body.until === undefined || body.until === 'infinity' ? null : parseTime(body.until, 's');
  if (at === null || (until === null && body.until !== undefined && body.until !== 'infinity'))
    throw badRequest('Bad Request: at/until must be epoch seconds or RFC 3339');
  if (until !== null && until <= now) throw badRequest('Cannot create expired banned');
  return {
    as: as as BanKind,
    who: body.who,
    by: typeof body.by === 'string' ? body.by : 'mgmt_api',
    reason: typeof body.reason === 'string' ? body.reason : '',
    at,
    until,
  };
}

/** `/banned` and `/banned/{as}/{who}`. */
export function bannedRoutes(core: BrokerCore, now: () => number): Route[] {
  return [
    {
      path: '/banned',
      methods: {
        GET: ({ query }) => ok(listBans(core, query)),
        // Like `emqx_mgmt_api_banned`, a new ban only applies to later CONNECTs; it does not kick anyone.
        POST: ({ request }) => {
          const result = core.bans.add(parseBan(objectBody(request), now()));
          if (!result.ok)
            throw new ApiError(400, 'ALREADY_EXISTS', JSON.stringify(formatBan(result.existing)));
          return ok(formatBan(result.ban));
        },
        DELETE: () => {
          core.bans.clear();
          return noContent();
        },
      },
    },
    {
      path: '/banned/{as}/{who}',
      methods: {
        DELETE: ({ params }) => {
          const as = params.as as BanKind;
          if (!BAN_KINDS.includes(as))
            throw badRequest(`Bad Request: as expected one of ${BAN_KINDS.join(',')}`);
          if (!core.bans.delete(as, params.who ?? ''))
            throw new ApiError(404, 'NOT_FOUND', `${as}: ${params.who} not found`);
          return noContent();
        },
      },
    },
  ];
}
