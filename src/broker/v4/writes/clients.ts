import { z } from 'zod';
import { ExpectedError } from '../../../errors.ts';
import type { BrokerTransport } from '../../api.ts';
import { parseBody } from '../../call.ts';
import type { BrokerWriteApi, ItemResult, KickOutcome, SubscriptionChange } from '../../write-api.ts';
import {
  clientNotFound,
  itemError,
  requireOnePerItem,
  whenUpstreamCode,
  writePath,
} from '../../write-support.ts';
import { refuseCommaTopic } from './checks.ts';

/**
 * v4 kick and subscribe on a client's behalf (docs/emqx-api.md §3.2, §3.4). Errors come inside HTTP 200:
 * 112 "not online", 115 bad topic, 116 bad QoS. v4 has no bulk kick, so a batch kick is one DELETE per
 * client (a few at a time), each with its own outcome.
 */

const CLIENT_OFFLINE = '112';
const KICK_CONCURRENCY = 4;

const batchSchema = z.object({
  code: z.literal(0),
  data: z.array(z.object({ code: z.number(), topic: z.unknown().optional() })),
});

/** Runs `work` over `items` with at most `limit` at a time, keeping input order. */
async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function v4ClientWrites(
  t: BrokerTransport,
): Pick<
  BrokerWriteApi,
  'kickClient' | 'kickClients' | 'subscribe' | 'unsubscribe' | 'subscribeMany' | 'unsubscribeMany'
> {
  const offline = (clientId: string) => (error: unknown) =>
    whenUpstreamCode(error, [CLIENT_OFFLINE], () => clientNotFound(clientId));

  async function kickClient(clientId: string): Promise<KickOutcome> {
    const path = writePath('/clients/{clientid}', { clientid: clientId });
    await t.send({ domain: 'clients', method: 'DELETE', path }).catch(offline(clientId));
    return { clientId, wasConnected: true };
  }

  async function kickClients(clientIds: string[]) {
    return mapLimited(
      clientIds,
      KICK_CONCURRENCY,
      (clientId): Promise<ItemResult<KickOutcome>> =>
        kickClient(clientId).catch((error: unknown) => {
          if (error instanceof ExpectedError) return error;
          throw error;
        }),
    );
  }

  async function subscribe(clientId: string, topic: string, qos: number) {
    refuseCommaTopic(topic, 'topic');
    const path = writePath('/mqtt/subscribe');
    await t
      .send({ domain: 'subscriptions', method: 'POST', path, body: { clientid: clientId, topic, qos } })
      .catch(offline(clientId));
    return { clientId, topic, qos };
  }

  async function unsubscribe(clientId: string, topic: string) {
    const path = writePath('/mqtt/unsubscribe');
    await t
      .send({ domain: 'subscriptions', method: 'POST', path, body: { clientid: clientId, topic } })
      .catch(offline(clientId));
    return { clientId, topic, qos: null };
  }

  /** One `{clientid, topic, code}` per item, in order; 112 means the client is not connected. */
  function itemResults(clientId: string, changes: SubscriptionChange[], body: unknown, route: string) {
    const data = parseBody(batchSchema, body, route).data;
    requireOnePerItem(route, data.length, changes.length);
    return data.map((result, i): ItemResult<SubscriptionChange> => {
      if (result.code === 0) return changes[i]!;
      if (String(result.code) === CLIENT_OFFLINE) return clientNotFound(clientId);
      return itemError(result.code, `code ${result.code}`, 200);
    });
  }

  async function subscribeMany(clientId: string, topics: Array<{ topic: string; qos: number }>) {
    for (const [i, { topic }] of topics.entries()) refuseCommaTopic(topic, `subscriptions.${i}.topic`);
    const path = writePath('/mqtt/subscribe_batch');
    const body = topics.map(({ topic, qos }) => ({ clientid: clientId, topic, qos }));
    const reply = await t.send({ domain: 'subscriptions', method: 'POST', path, body });
    return itemResults(
      clientId,
      topics.map(({ topic, qos }) => ({ clientId, topic, qos })),
      reply.body,
      path.route,
    );
  }

  async function unsubscribeMany(clientId: string, topics: string[]) {
    const path = writePath('/mqtt/unsubscribe_batch');
    const body = topics.map((topic) => ({ clientid: clientId, topic }));
    const reply = await t.send({ domain: 'subscriptions', method: 'POST', path, body });
    return itemResults(
      clientId,
      topics.map((topic) => ({ clientId, topic, qos: null })),
      reply.body,
      path.route,
    );
  }

  return { kickClient, kickClients, subscribe, unsubscribe, subscribeMany, unsubscribeMany };
}
