import type { Client as AedesClient } from 'aedes';
import type { BrokerPersistence } from './persistence.ts';
import type { SessionRecord } from './session.ts';
import type { CoreState } from './state.ts';
import { isValidTopicFilter, parseShared } from './topic.ts';
import type { SubscribeRequest, SubscriptionInfo } from './types.ts';

export type SubscribeResult =
  | { ok: true; subscription: SubscriptionInfo }
  | { ok: false; request: SubscribeRequest; reason: string };

function normalize(request: SubscribeRequest) {
  return {
    topic: request.topic,
    qos: request.qos ?? 0,
    nl: request.nl ?? 0,
    rap: request.rap ?? 0,
    rh: request.rh ?? 0,
  };
}

function subscribeLive(
  state: CoreState,
  client: AedesClient,
  subs: ReturnType<typeof normalize>[],
): Promise<void> {
  const objects = subs.map((s) => ({ ...s, nl: s.nl === 1, rap: s.rap === 1 }));
  for (const object of objects) state.apiSubscriptions.add(object);
  return new Promise((resolve, reject) =>
    client.subscribe({ subscriptions: objects } as never, (error) => (error ? reject(error) : resolve())),
  );
}

/** A disconnected persistent session: aedes restores what its persistence holds on reconnect. */
async function subscribeStored(
  persistence: BrokerPersistence,
  record: SessionRecord,
  subs: ReturnType<typeof normalize>[],
) {
  for (const sub of subs) {
    const filter = parseShared(sub.topic).filter;
    record.subscriptions.set(sub.topic, { filter, qos: sub.qos, nl: sub.nl, rap: sub.rap, rh: sub.rh });
  }
  await persistence.addSubscriptions(
    { id: record.clientId },
    subs.map((s) => ({ ...s, topic: parseShared(s.topic).filter })),
  );
}

export async function subscribe(
  state: CoreState,
  persistence: BrokerPersistence,
  clientId: string,
  requests: SubscribeRequest[],
  node: string,
): Promise<SubscribeResult[] | undefined> {
  const record = state.sessions.get(clientId);
  if (!record) return undefined;
  const valid = requests.filter((r) => isValidTopicFilter(r.topic)).map(normalize);
  if (valid.length > 0) {
    if (record.connection) await subscribeLive(state, record.connection, valid);
    else await subscribeStored(persistence, record, valid);
  }
  state.observe();
  return requests.map((request) => {
    if (!isValidTopicFilter(request.topic)) return { ok: false, request, reason: 'topic_filter_invalid' };
    const sub = normalize(request);
    return { ok: true, subscription: { clientId, ...sub, node } };
  });
}

export async function unsubscribe(
  state: CoreState,
  persistence: BrokerPersistence,
  clientId: string,
  topics: string[],
): Promise<boolean> {
  const record = state.sessions.get(clientId);
  if (!record) return false;
  const filters = topics.map((t) => parseShared(t).filter);
  for (const topic of topics) record.subscriptions.delete(topic);
  const client = record.connection;
  if (client) {
    await new Promise<void>((resolve) =>
      client.unsubscribe({ unsubscriptions: filters } as never, () => resolve()),
    );
  }
  if (!record.cleanStart) await persistence.removeSubscriptions({ id: clientId }, filters);
  return true;
}

/** Disconnects the client and discards the session, as `DELETE /clients/{id}` does. */
export async function kick(
  state: CoreState,
  persistence: BrokerPersistence,
  clientId: string,
): Promise<boolean> {
  const record = state.sessions.get(clientId);
  if (!record) return false;
  const client = record.connection;
  if (client) {
    record.discardOnClose = true;
    state.disconnectReasons.set(client, 'kicked');
    await new Promise<void>((resolve) => client.close(() => resolve()));
  }
  if (state.sessions.get(clientId) === record) {
    state.sessions.delete(clientId);
    state.metrics.inc('session.discarded');
  }
  await persistence.cleanSubscriptions({ id: clientId });
  return true;
}
