import { z } from 'zod';
import type { BrokerReadApi, BrokerTransport } from '../api.ts';
import { brokerPath } from '../call.ts';
import type { BanKind, PageRequest } from '../model.ts';
import { banWireSchema, epochSecondsTime } from '../wire.ts';
import { envelope, listPage } from './params.ts';

/** v4 banned (docs/emqx-api.md §3.9): three kinds, `at`/`until` in epoch seconds, meta without `hasnext`. */

export const V4_BAN_AS: Readonly<Partial<Record<BanKind, string>>> = {
  CLIENT_ID: 'clientid',
  USERNAME: 'username',
  PEER_HOST: 'peerhost',
};

const KIND_BY_AS: Record<string, BanKind> = {
  clientid: 'CLIENT_ID',
  username: 'USERNAME',
  peerhost: 'PEER_HOST',
};

const banSchema = banWireSchema(KIND_BY_AS, epochSecondsTime);

const listSchema = envelope(z.array(banSchema));

export function v4Bans(t: BrokerTransport): Pick<BrokerReadApi, 'listBans'> {
  async function listBans(page: PageRequest) {
    const path = brokerPath`/banned`;
    return listPage(t, { domain: 'bans', path }, listSchema, page);
  }
  return { listBans };
}
