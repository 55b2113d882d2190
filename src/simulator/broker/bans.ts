import { BlockList, isIP } from 'node:net';
import type { Ban, BanKind } from './types.ts';

/** Who is connecting, as the ban check sees it. */
export interface BanSubject {
  clientId: string;
  username: string | null;
  peerhost: string;
}

export type AddBanResult = { ok: true; ban: Ban } | { ok: false; existing: Ban };

/** EMQX's banned table: one entry per (as, who); an entry applies while `now < until`. */
export interface BanStore {
  list(): Ban[];
  get(as: BanKind, who: string): Ban | undefined;
  /** Fails with the existing entry when (as, who) is already banned and not yet expired. */
  add(ban: Ban): AddBanResult;
  delete(as: BanKind, who: string): boolean;
  clear(): void;
  /** The first active ban that applies to the subject, if any. */
  check(subject: BanSubject): Ban | undefined;
}

export const BAN_KINDS: readonly BanKind[] = [
  'clientid',
  'username',
  'peerhost',
  'clientid_re',
  'username_re',
  'peerhost_net',
];

/** Validates the `who` of regex and CIDR bans; returns an EMQX-like error text or null. */
export function validateBanWho(as: BanKind, who: string): string | null {
  if (as === 'clientid_re' || as === 'username_re') {
    try {
      new RegExp(who);
      return null;
    } catch {
      return `Invalid regex: ${who}`;
    }
  }
  if (as === 'peerhost_net') return parseCidr(who) ? null : `Invalid CIDR: ${who}`;
  if (as === 'peerhost') return isIP(who) ? null : `Invalid peerhost: ${who}`;
  return null;
}

function parseCidr(who: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address, prefixText] = who.split('/');
  const version = isIP(address ?? '');
  const prefix = Number(prefixText);
  const max = version === 4 ? 32 : 128;
  if (!address || version === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

function applies(ban: Ban, subject: BanSubject): boolean {
  switch (ban.as) {
    case 'clientid':
      return ban.who === subject.clientId;
    case 'username':
      return subject.username !== null && ban.who === subject.username;
    case 'peerhost':
      return ban.who === subject.peerhost;
    case 'clientid_re':
      return new RegExp(ban.who).test(subject.clientId);
    case 'username_re':
      return subject.username !== null && new RegExp(ban.who).test(subject.username);
    case 'peerhost_net': {
      const net = parseCidr(ban.who);
      if (!net || isIP(subject.peerhost) === 0) return false;
      const list = new BlockList();
      list.addSubnet(net.address, net.prefix, net.family);
      return list.check(subject.peerhost, isIP(subject.peerhost) === 4 ? 'ipv4' : 'ipv6');
    }
  }
}

export function createBanStore(now: () => number): BanStore {
  const bans = new Map<string, Ban>();
  const key = (as: BanKind, who: string) => `${as}\u0000${who}`;
  const active = (ban: Ban) => ban.until === null || now() < ban.until;
  const purgeExpired = () => {
    for (const [k, ban] of bans) if (!active(ban)) bans.delete(k);
  };
  return {
    list() {
      purgeExpired();
      return [...bans.values()];
    },
    get(as, who) {
      purgeExpired();
      return bans.get(key(as, who));
    },
    add(ban) {
      purgeExpired();
      const existing = bans.get(key(ban.as, ban.who));
      if (existing) return { ok: false, existing };
      bans.set(key(ban.as, ban.who), ban);
      return { ok: true, ban };
    },
    delete(as, who) {
      purgeExpired();
      return bans.delete(key(as, who));
    },
    clear() {
      bans.clear();
    },
    check(subject) {
      purgeExpired();
      for (const ban of bans.values()) if (applies(ban, subject)) return ban;
      return undefined;
    },
  };
}
