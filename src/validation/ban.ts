import { isIP } from 'node:net';
import { z } from 'zod';
import { BAN_KINDS, type BanKind } from '../broker/model.ts';
import { pathValueProblem } from './identifiers.ts';

/**
 * Ban kinds as the schema names them and as EMQX's `as` field spells them. v4 knows only the first three
 * (F1 `emqx_mgmt_api_banned.erl`); the regex and CIDR kinds are v5 (docs/emqx-api.md §4.4).
 */
export { BAN_KINDS, type BanKind };

export const BAN_AS = {
  CLIENT_ID: 'clientid',
  USERNAME: 'username',
  PEER_HOST: 'peerhost',
  CLIENT_ID_REGEX: 'clientid_re',
  USERNAME_REGEX: 'username_re',
  PEER_HOST_NET: 'peerhost_net',
} as const satisfies Record<BanKind, string>;
export type BanAs = (typeof BAN_AS)[BanKind];

export const V4_BAN_KINDS: ReadonlySet<BanKind> = new Set(['CLIENT_ID', 'USERNAME', 'PEER_HOST']);

const KIND_BY_AS = Object.fromEntries(Object.entries(BAN_AS).map(([kind, as]) => [as, kind])) as Record<
  string,
  BanKind
>;

/** The schema's kind for an `as` value EMQX sent, or undefined for one it does not know. */
export const banKindOf = (as: string): BanKind | undefined => KIND_BY_AS[as];

function isCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || address === undefined || prefix === undefined || !/^\d{1,3}$/.test(prefix)) {
    return false;
  }
  const family = isIP(address);
  return family !== 0 && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Why `who` does not fit its kind, or null. */
function whoProblem(kind: BanKind, who: string): string | null {
  switch (kind) {
    case 'CLIENT_ID':
    case 'USERNAME':
      return pathValueProblem(who, 'who');
    case 'PEER_HOST':
      return isIP(who) === 0 ? 'who must be an IPv4 or IPv6 address for PEER_HOST' : null;
    case 'PEER_HOST_NET':
      return isCidr(who) ? null : 'who must be a CIDR such as 10.0.0.0/8 for PEER_HOST_NET';
    default:
      // Regexes are compiled by EMQX (PCRE, whose syntax differs from JS): only size and path safety here.
      return pathValueProblem(who, 'who', 1024);
  }
}

function refineWho(kind: BanKind, who: string, ctx: z.RefinementCtx): void {
  const problem = whoProblem(kind, who);
  if (problem) ctx.addIssue({ code: 'custom', path: ['who'], message: problem });
}

/** Where a ban applies and, for a new ban, why and until when. */
export const banTarget = z
  .object({ kind: z.enum(BAN_KINDS), who: z.string() })
  .superRefine((ban, ctx) => refineWho(ban.kind, ban.who, ctx));

export function newBan(now: () => number = Date.now) {
  return z
    .object({
      kind: z.enum(BAN_KINDS),
      who: z.string(),
      reason: z.string().max(1024, 'reason is longer than 1024 characters').nullish(),
      until: z.date().nullish(),
    })
    .superRefine((ban, ctx) => {
      refineWho(ban.kind, ban.who, ctx);
      if (ban.until && ban.until.getTime() <= now()) {
        ctx.addIssue({ code: 'custom', path: ['until'], message: 'until must be in the future' });
      }
    });
}
