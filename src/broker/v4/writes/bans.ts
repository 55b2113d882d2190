import { NotSupportedError } from '../../../errors.ts';
import { BAN_AS, type BanKind, V4_BAN_KINDS } from '../../../validation/ban.ts';
import type { BrokerTransport } from '../../api.ts';
import type { BanWrite, BrokerWriteApi } from '../../write-api.ts';
import { writePath } from '../../write-support.ts';

/**
 * v4 banned writes (docs/emqx-api.md §3.9): three kinds only, times in epoch seconds, and EMQX 4.4 bans for five
 * minutes unless told otherwise — it has no permanent ban, so "never expires" is sent as the last second of
 * year 9999. The answer echoes the request; delete is idempotent.
 */

const FOREVER_SECONDS = 253_402_300_799;

function supported(kind: BanKind): void {
  if (!V4_BAN_KINDS.has(kind)) throw new NotSupportedError(`A ${kind} ban`, 'v4');
}

export function v4BanWrites(
  t: BrokerTransport,
): Pick<BrokerWriteApi, 'createBan' | 'deleteBan' | 'clearBans'> {
  async function createBan(ban: BanWrite) {
    supported(ban.kind);
    const at = Math.floor(Date.now() / 1000);
    const until = ban.until ? Math.floor(ban.until.getTime() / 1000) : FOREVER_SECONDS;
    const body = {
      who: ban.who,
      as: BAN_AS[ban.kind],
      by: ban.by,
      ...(ban.reason !== null ? { reason: ban.reason } : {}),
      at,
      until,
    };
    await t.send({ domain: 'bans', method: 'POST', path: writePath('/banned'), body });
    const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
    return { kind: ban.kind, who: ban.who, by: ban.by, reason: ban.reason, at: iso(at), until: iso(until) };
  }

  async function deleteBan(kind: BanKind, who: string) {
    supported(kind);
    const path = writePath('/banned/{as}/{who}', { as: BAN_AS[kind], who });
    await t.send({ domain: 'bans', method: 'DELETE', path });
  }

  async function clearBans(): Promise<void> {
    throw new NotSupportedError('Clearing every ban at once', 'v4');
  }

  return { createBan, deleteBan, clearBans };
}
