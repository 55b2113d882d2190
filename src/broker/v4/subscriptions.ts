import { z } from 'zod';
import type { BrokerReadApi, BrokerTransport } from '../api.ts';
import { brokerPath, parseBody } from '../call.ts';
import type { MqttSubscription, PageRequest, SubscriptionQuery } from '../model.ts';
import { splitShare } from '../wire.ts';
import { envelope, listPage, queryOf } from './params.ts';

/** v4 subscriptions (docs/emqx-api.md §3.3): `share` and `_match_topic`, per client `GET /subscriptions/{id}`. */

const subscriptionSchema = z
  .object({ clientid: z.string(), topic: z.string(), qos: z.number(), node: z.string().nullish() })
  .transform(
    (s): MqttSubscription => ({
      clientId: s.clientid,
      qos: s.qos,
      node: s.node ?? null,
      ...splitShare(s.topic),
    }),
  );

const listSchema = envelope(z.array(subscriptionSchema));

export function v4Subscriptions(
  t: BrokerTransport,
): Pick<BrokerReadApi, 'clientSubscriptions' | 'listSubscriptions'> {
  /** v4 cannot tell an unknown client from one without subscriptions: both are `[]`. */
  async function clientSubscriptions(clientId: string) {
    const path = brokerPath`/subscriptions/${clientId}`;
    const reply = await t.send({ domain: 'subscriptions', method: 'GET', path });
    return { value: parseBody(listSchema, reply.body, path.route).data, freshness: reply.freshness };
  }

  async function listSubscriptions(query: SubscriptionQuery, page: PageRequest) {
    const path = query.node ? brokerPath`/nodes/${query.node}/subscriptions` : brokerPath`/subscriptions`;
    const params = queryOf({
      clientid: query.clientId,
      topic: query.topic,
      _match_topic: query.matchTopic,
      qos: query.qos,
      share: query.shareGroup,
    });
    return listPage(t, { domain: 'subscriptions', path, query: params }, listSchema, page);
  }

  return { clientSubscriptions, listSubscriptions };
}
