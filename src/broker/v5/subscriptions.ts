import { z } from 'zod';
import type { BrokerReadApi, BrokerTransport } from '../api.ts';
import { brokerPath, parseBody } from '../call.ts';
import type { MqttSubscription, PageRequest, SubscriptionQuery } from '../model.ts';
import { pageMetaSchema, splitShare } from '../wire.ts';
import { listPage, queryOf } from './params.ts';

/** v5 subscriptions (docs/emqx-api.md §4.1, §4.2): per client a bare array, the list in `{data, meta}`. */

const subscriptionSchema = z
  .object({
    clientid: z.string(),
    topic: z.string(),
    qos: z.number(),
    node: z.string().nullish(),
  })
  .transform(
    (s): MqttSubscription => ({
      clientId: s.clientid,
      qos: s.qos,
      node: s.node ?? null,
      ...splitShare(s.topic),
    }),
  );

const clientListSchema = z.array(subscriptionSchema);
const listSchema = z.object({ data: z.array(subscriptionSchema), meta: pageMetaSchema });

export function v5Subscriptions(
  t: BrokerTransport,
): Pick<BrokerReadApi, 'clientSubscriptions' | 'listSubscriptions'> {
  async function clientSubscriptions(clientId: string) {
    const path = brokerPath`/clients/${clientId}/subscriptions`;
    const reply = await t.send({ domain: 'subscriptions', method: 'GET', path, accept: [404] });
    if (reply.status === 404) return { value: null, freshness: reply.freshness };
    return {
      value: parseBody(clientListSchema, reply.body, path.route),
      freshness: reply.freshness,
    };
  }

  async function listSubscriptions(query: SubscriptionQuery, page: PageRequest) {
    const path = brokerPath`/subscriptions`;
    const params = queryOf({
      clientid: query.clientId,
      topic: query.topic,
      match_topic: query.matchTopic,
      qos: query.qos,
      share_group: query.shareGroup,
      node: query.node,
    });
    return listPage(t, { domain: 'subscriptions', path, query: params }, listSchema, page);
  }

  return { clientSubscriptions, listSubscriptions };
}
