import { z } from 'zod';
import type { BrokerReadApi, BrokerTransport } from '../api.ts';
import { brokerPath } from '../call.ts';
import type { BanKind, PageRequest } from '../model.ts';
import { banWireSchema, pageMetaSchema, textTime } from '../wire.ts';
import { listPage } from './params.ts';

/** v5 banned (docs/emqx-api.md §4.4): six kinds, RFC 3339 times, `until: "infinity"` for never. */

export const V5_BAN_AS: Readonly<Record<BanKind, string>> = {
  CLIENT_ID: 'clientid',
  USERNAME: 'username',
  PEER_HOST: 'peerhost',
  CLIENT_ID_REGEX: 'clientid_re',
  USERNAME_REGEX: 'username_re',
  PEER_HOST_NET: 'peerhost_net',
};

const KIND_BY_AS = Object.fromEntries(Object.entries(V5_BAN_AS).map(([kind, as]) => [as, kind])) as Record<
  string,
  BanKind
>;

export const banSchema = banWireSchema(KIND_BY_AS, textTime);

const listSchema = z.object({ data: z.array(banSchema), meta: pageMetaSchema });

export function v5Bans(t: BrokerTransport): Pick<BrokerReadApi, 'listBans'> {
  async function listBans(page: PageRequest) {
    const path = brokerPath`/banned`;
    return listPage(t, { domain: 'bans', path }, listSchema, page);
  }
  return { listBans };
}
