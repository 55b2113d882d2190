import { z } from 'zod';
import type { BrokerTransport } from '../../api.ts';
import { parseBody } from '../../call.ts';
import type { BrokerWriteApi, ItemResult, SubscriptionChange } from '../../write-api.ts';
import { clientNotFound, itemError, writePath } from '../../write-support.ts';

/**
 * v5 kick and subscribe on a client's behalf (docs/emqx-api.md §4.1, §4.12): kick and unsubscribe answer 204,
 * subscribe 200; an unknown client is 404 `CLIENTID_NOT_FOUND`. Bulk subscribe answers an array when every
 * item worked and `{succeed, failed}` otherwise; bulk kick always answers 204 and ignores unknown IDs.
 */

const failedSchema = z.object({
  succeed: z.array(z.unknown()),
  failed: z.array(
    z.object({ data: z.tuple([z.unknown(), z.string()]).rest(z.unknown()), reason: z.unknown() }),
  ),
});
const bulkSchema = z.union([z.array(z.unknown()), failedSchema]);

/** Item i failed when its topic is among `failed` (each failure consumed once, for repeated topics). */
function subscribeResults(
  clientId: string,
  topics: Array<{ topic: string; qos: number }>,
  body: z.infer<typeof bulkSchema>,
): Array<ItemResult<SubscriptionChange>> {
  const failures = Array.isArray(body) ? [] : [...body.failed];
  return topics.map(({ topic, qos }) => {
    const at = failures.findIndex((f) => f.data[1] === topic);
    if (at < 0) return { clientId, topic, qos };
    const [failure] = failures.splice(at, 1);
    return itemError('SUBSCRIBE_FAILED', String(failure?.reason ?? 'subscribe failed'), 200);
  });
}

export function v5ClientWrites(
  t: BrokerTransport,
): Pick<
  BrokerWriteApi,
  'kickClient' | 'kickClients' | 'subscribe' | 'unsubscribe' | 'subscribeMany' | 'unsubscribeMany'
> {
  async function kickClient(clientId: string) {
    const path = writePath('/clients/{clientid}', { clientid: clientId });
    const reply = await t.send({ domain: 'clients', method: 'DELETE', path, accept: [404] });
    if (reply.status === 404) throw clientNotFound(clientId);
    return { clientId, wasConnected: true };
  }

  async function kickClients(clientIds: string[]) {
    const path = writePath('/clients/kickout/bulk');
    await t.send({ domain: 'clients', method: 'POST', path, body: clientIds });
    return clientIds.map((clientId) => ({ clientId, wasConnected: null }));
  }

  async function subscribe(clientId: string, topic: string, qos: number) {
    const path = writePath('/clients/{clientid}/subscribe', { clientid: clientId });
    const reply = await t.send({
      domain: 'subscriptions',
      method: 'POST',
      path,
      body: { topic, qos },
      accept: [404],
    });
    if (reply.status === 404) throw clientNotFound(clientId);
    return { clientId, topic, qos };
  }

  async function unsubscribe(clientId: string, topic: string) {
    const path = writePath('/clients/{clientid}/unsubscribe', { clientid: clientId });
    const reply = await t.send({
      domain: 'subscriptions',
      method: 'POST',
      path,
      body: { topic },
      accept: [404],
    });
    if (reply.status === 404) throw clientNotFound(clientId);
    return { clientId, topic, qos: null };
  }

  async function subscribeMany(clientId: string, topics: Array<{ topic: string; qos: number }>) {
    const path = writePath('/clients/{clientid}/subscribe/bulk', { clientid: clientId });
    const body = topics.map(({ topic, qos }) => ({ topic, qos }));
    const reply = await t.send({ domain: 'subscriptions', method: 'POST', path, body, accept: [404] });
    if (reply.status === 404) throw clientNotFound(clientId);
    return subscribeResults(clientId, topics, parseBody(bulkSchema, reply.body, path.route));
  }

  async function unsubscribeMany(clientId: string, topics: string[]) {
    const path = writePath('/clients/{clientid}/unsubscribe/bulk', { clientid: clientId });
    const body = topics.map((topic) => ({ topic }));
    const reply = await t.send({ domain: 'subscriptions', method: 'POST', path, body, accept: [404] });
    if (reply.status === 404) throw clientNotFound(clientId);
    return topics.map((topic) => ({ clientId, topic, qos: null }));
  }

  return { kickClient, kickClients, subscribe, unsubscribe, subscribeMany, unsubscribeMany };
}
