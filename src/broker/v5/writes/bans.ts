import { NotFoundError } from '../../../errors.ts';
import { BAN_AS, type BanKind } from '../../../validation/ban.ts';
import type { BrokerTransport } from '../../api.ts';
import { parseBody } from '../../call.ts';
import type { BanWrite, BrokerWriteApi } from '../../write-api.ts';
import { rfc3339Seconds, writePath } from '../../write-support.ts';
import { banSchema } from '../bans.ts';

/**
 * v5 banned writes (docs/emqx-api.md §4.4): `POST /banned` answers 200 with the bare ban; `until` is sent as
 * `"infinity"` for a permanent ban because the default changed between releases (+1 year ≤ 5.7, infinity
 * ≥ 5.8.1). Deletes answer 204, or 404 when there was no such ban.
 */

export function v5BanWrites(
  t: BrokerTransport,
): Pick<BrokerWriteApi, 'createBan' | 'deleteBan' | 'clearBans'> {
  async function createBan(ban: BanWrite) {
    const path = writePath('/banned');
    const body = {
      as: BAN_AS[ban.kind],
      who: ban.who,
      by: ban.by,
      ...(ban.reason !== null ? { reason: ban.reason } : {}),
      until: ban.until ? rfc3339Seconds(ban.until) : 'infinity',
    };
    const reply = await t.send({ domain: 'bans', method: 'POST', path, body });
    return parseBody(banSchema, reply.body, path.route);
  }

  async function deleteBan(kind: BanKind, who: string) {
    const path = writePath('/banned/{as}/{who}', { as: BAN_AS[kind], who });
    const reply = await t.send({ domain: 'bans', method: 'DELETE', path, accept: [404] });
    if (reply.status === 404) throw new NotFoundError(`No ${kind} ban for ${who}`);
  }

  async function clearBans() {
    await t.send({ domain: 'bans', method: 'DELETE', path: writePath('/banned') });
  }

  return { createBan, deleteBan, clearBans };
}
