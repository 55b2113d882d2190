import { isIP } from 'node:net';
import type { Ban, BanKind } from '../../broker/types.ts';
import type { V4Context } from '../context.ts';
import { getParam, paramPairs } from '../http/params.ts';
import { fail, HandlerCrash, ok, okPage } from '../http/reply.ts';
import type { V4Call, V4Route } from '../http/router.ts';
import { uriDecode } from '../http/url.ts';
import { paginate } from '../query/paging.ts';

const MISSING_PARAM = 107;
const PARAM_TYPE_ERROR = 108;
const KINDS = ['clientid', 'username', 'peerhost'];
/** EMQX 4.4 bans for five minutes unless told otherwise. */
const DEFAULT_SECONDS = 300;

/** `ensure_required/1` then `validate_params/1`, shared by create and delete. */
function validate(pairs: ReadonlyArray<[string, unknown]>) {
  if (!['who', 'as'].every((key) => pairs.some(([k]) => k === key))) {
    return fail(MISSING_PARAM, "missing mandatory params: ['who', 'as']");
  }
  const as = pairs.find(([k]) => k === 'as')?.[1];
  if (typeof as !== 'string' || !KINDS.includes(as)) {
    return fail(PARAM_TYPE_ERROR, "value of 'as' must be one of: ['clientid', 'username', 'peerhost']");
  }
  return null;
}

/** `inet:parse_address/1` must succeed for a peerhost ban, or the Erlang match crashes. */
function checkWho(as: string, who: unknown): string {
  if (typeof who !== 'string' || (as === 'peerhost' && isIP(who) === 0)) {
    throw new HandlerCrash(`badmatch: inet:parse_address(${String(who)})`);
  }
  return who;
}

const seconds = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

/** `create/2`: stores the ban and echoes the request parameters as given. */
function create(ctx: V4Context, call: V4Call) {
  const pairs = paramPairs(call.params);
  const invalid = validate(pairs);
  if (invalid) return invalid;
  const as = getParam(call.params, 'as') as BanKind;
  const who = checkWho(as, getParam(call.params, 'who'));
  const now = Math.floor(ctx.now() / 1000);
  const at = seconds(getParam(call.params, 'at'), now);
  const until = seconds(getParam(call.params, 'until'), now + DEFAULT_SECONDS);
  const text = (key: string, fallback: string) => {
    const value = getParam(call.params, key);
    return typeof value === 'string' ? value : fallback;
  };
  const ban: Ban = {
    as,
    who,
    by: text('by', 'user'),
    reason: text('reason', 'undefined'),
    at: at * 1000,
    until: until * 1000,
  };
  ctx.broker.putBan(ban);
  return ok(Object.fromEntries(pairs));
}

/** `delete/2`: idempotent. */
function remove(ctx: V4Context, call: V4Call) {
  const who = uriDecode(call.bindings.who!);
  const as = uriDecode(call.bindings.as!);
  const invalid = validate([
    ['who', who],
    ['as', as],
  ]);
  if (invalid) return invalid;
  ctx.broker.deleteBan(as as BanKind, checkWho(as, who));
  return ok();
}

/** `#banned{}` as v4 prints it: epoch seconds. */
const format = (ban: Ban) => ({
  who: ban.who,
  as: ban.as,
  by: ban.by,
  reason: ban.reason,
  at: Math.floor(ban.at / 1000),
  until: ban.until === null ? 'infinity' : Math.floor(ban.until / 1000),
});

const APP = 'emqx_management';

/** `emqx_mgmt_api_banned` (4.4). */
export function bannedRoutes(ctx: V4Context): V4Route[] {
  return [
    {
      name: 'list_banned',
      method: 'GET',
      path: '/banned/',
      descr: 'List banned',
      app: APP,
      handler: ({ params }) => {
        const page = paginate(params, ctx.broker.bans());
        return okPage({ data: page.data.map(format), meta: page.meta });
      },
    },
    {
      name: 'create_banned',
      method: 'POST',
      path: '/banned/',
      descr: 'Create banned',
      app: APP,
      handler: (call) => create(ctx, call),
    },
    {
      name: 'delete_banned',
      method: 'DELETE',
      path: '/banned/:as/:who',
      descr: 'Delete banned',
      app: APP,
      handler: (call) => remove(ctx, call),
    },
  ];
}
