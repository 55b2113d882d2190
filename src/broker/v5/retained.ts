import { z } from 'zod';
import type { BrokerReadApi, BrokerTransport } from '../api.ts';
import { brokerPath, parseBody } from '../call.ts';
import type { PageRequest, RetainedMessage } from '../model.ts';
import { pageMetaSchema, textTime } from '../wire.ts';
import { listPage, queryOf } from './params.ts';

/** v5 retained messages (docs/emqx-api.md §4.5): lists carry no payload, one message carries it in base64. */

const messageSchema = z
  .object({
    topic: z.string(),
    qos: z.number(),
    payload: z.string().nullish(),
    publish_at: textTime,
    from_clientid: z.string().nullish(),
    from_username: z.string().nullish(),
  })
  .transform(
    (m): RetainedMessage => ({
      topic: m.topic,
      qos: m.qos,
      payload: m.payload ?? null,
      publishedAt: m.publish_at,
      fromClientId: m.from_clientid ?? null,
      fromUsername: m.from_username ?? null,
    }),
  );

const listSchema = z.object({ data: z.array(messageSchema), meta: pageMetaSchema });

export function v5Retained(t: BrokerTransport): Pick<BrokerReadApi, 'listRetained' | 'getRetained'> {
  async function listRetained(topic: string | null, page: PageRequest) {
    const path = brokerPath`/mqtt/retainer/messages`;
    const params = queryOf({ topic });
    return listPage(t, { domain: 'retained', path, query: params }, listSchema, page);
  }

  async function getRetained(topic: string) {
    const path = brokerPath`/mqtt/retainer/message/${topic}`;
    const reply = await t.send({ domain: 'retained', method: 'GET', path, accept: [404] });
    if (reply.status === 404) return { value: null, freshness: reply.freshness };
    return { value: parseBody(messageSchema, reply.body, path.route), freshness: reply.freshness };
  }

  return { listRetained, getRetained };
}
