import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../../helpers/stack.ts';
import { closeOf, connectDevice, mutate, nextMessage, result, V4, V5, writesTo } from './helpers.ts';

const KICK = `mutation($id: String!, $clientId: String!) {
  kickClient(deploymentId: $id, clientId: $clientId) ${result('KickClientSuccess', 'clientId wasConnected')}
}`;
const KICK_MANY = `mutation($id: String!, $ids: [String!]!) {
  kickClients(deploymentId: $id, clientIds: $ids) {
    __typename
    ... on KickClientsSuccess { results ${result('KickClientSuccess', 'clientId wasConnected')} }
  }
}`;
const SUBSCRIBE = `mutation($id: String!, $clientId: String!, $topic: String!, $qos: Int) {
  subscribeClient(deploymentId: $id, clientId: $clientId, topic: $topic, qos: $qos) ${result('MqttSubscriptionChange', 'clientId topic qos')}
}`;
const UNSUBSCRIBE = `mutation($id: String!, $clientId: String!, $topic: String!) {
  unsubscribeClient(deploymentId: $id, clientId: $clientId, topic: $topic) ${result('MqttSubscriptionChange', 'clientId topic qos')}
}`;
const SUBSCRIBE_MANY = `mutation($id: String!, $clientId: String!, $subs: [MqttSubscriptionInput!]!) {
  subscribeClientBatch(deploymentId: $id, clientId: $clientId, subscriptions: $subs) {
    __typename
    ... on SubscribeClientBatchSuccess { results ${result('MqttSubscriptionChange', 'clientId topic qos')} }
    ... on Error { code }
  }
}`;
const UNSUBSCRIBE_MANY = `mutation($id: String!, $clientId: String!, $topics: [String!]!) {
  unsubscribeClientBatch(deploymentId: $id, clientId: $clientId, topics: $topics) {
    __typename
    ... on UnsubscribeClientBatchSuccess { results ${result('MqttSubscriptionChange', 'clientId topic qos')} }
  }
}`;
const PUBLISH = `mutation($id: String!, $topic: String!, $payload: String!) {
  publish(deploymentId: $id, input: { topic: $topic, payload: $payload, qos: 1 }) { __typename }
}`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.sim.requestLog.clear());

const parsed = (stack: Stack, id: string) =>
  writesTo(stack, id).map((w) => ({
    method: w.method,
    path: w.rawPath,
    query: w.query,
    body: w.body ? JSON.parse(w.body) : null,
  }));

describe.each([
  { version: 'v5', id: V5 },
  { version: 'v4', id: V4 },
])('clients on $version', ({ version, id }) => {
  const api = `/api/${version}`;

  it('kickClient disconnects the client; a client ID with a slash stays one path segment', async () => {
    const clientId = `line/1 press-${version}`;
    const device = await connectDevice(stack, id, clientId);
    const closed = closeOf(device);
    const answer = await mutate(stack, KICK, { id, clientId });
    expect(answer).toEqual({ __typename: 'KickClientSuccess', clientId, wasConnected: true });
    await closed;
    expect(parsed(stack, id)).toEqual([
      { method: 'DELETE', path: `${api}/clients/line%2F1%20press-${version}`, query: '', body: null },
    ]);
  });

  it('kickClient of a client EMQX does not know is NOT_FOUND', async () => {
    const answer = await mutate(stack, KICK, { id, clientId: 'never-connected' });
    expect(answer).toMatchObject({ __typename: 'GatewayError', code: 'NOT_FOUND' });
  });

  it('kickClients disconnects each and answers per client, in input order', async () => {
    const ids = [`k1-${version}`, `k2-${version}`];
    const devices = await Promise.all(ids.map((c) => connectDevice(stack, id, c)));
    const closed = Promise.all(devices.map(closeOf));
    const answer = await mutate(stack, KICK_MANY, { id, ids: [...ids, 'ghost'] });
    await closed;
    const results = answer.results.map((r: any) => [r.__typename, r.clientId ?? r.code]);
    if (version === 'v5') {
      // One bulk call; EMQX ignores IDs it does not know, so none is confirmed.
      expect(results).toEqual([...ids, 'ghost'].map((c) => ['KickClientSuccess', c]));
      expect(parsed(stack, id)).toEqual([
        { method: 'POST', path: `${api}/clients/kickout/bulk`, query: '', body: [...ids, 'ghost'] },
      ]);
    } else {
      expect(results).toEqual([
        ['KickClientSuccess', ids[0]],
        ['KickClientSuccess', ids[1]],
        ['GatewayError', 'NOT_FOUND'],
      ]);
      expect(
        parsed(stack, id)
          .map((w) => `${w.method} ${w.path}`)
          .sort(),
      ).toEqual([...ids, 'ghost'].map((c) => `DELETE ${api}/clients/${c}`).sort());
    }
  });

  it('subscribeClient makes the client receive the topic; unsubscribeClient stops it', async () => {
    const clientId = `sub-${version}`;
    const device = await connectDevice(stack, id, clientId);
    const topic = `orders/${version}/+`;
    expect(await mutate(stack, SUBSCRIBE, { id, clientId, topic, qos: 1 })).toEqual({
      __typename: 'MqttSubscriptionChange',
      clientId,
      topic,
      qos: 1,
    });
    const received = nextMessage(device);
    await mutate(stack, PUBLISH, { id, topic: `orders/${version}/42`, payload: 'new order' });
    expect((await received).payload.toString()).toBe('new order');

    expect(await mutate(stack, UNSUBSCRIBE, { id, clientId, topic })).toMatchObject({
      __typename: 'MqttSubscriptionChange',
      qos: null,
    });
    const writes = parsed(stack, id).filter((w) => !w.path.includes('publish'));
    expect(writes).toEqual(
      version === 'v5'
        ? [
            {
              method: 'POST',
              path: `${api}/clients/${clientId}/subscribe`,
              query: '',
              body: { topic, qos: 1 },
            },
            { method: 'POST', path: `${api}/clients/${clientId}/unsubscribe`, query: '', body: { topic } },
          ]
        : [
            {
              method: 'POST',
              path: `${api}/mqtt/subscribe`,
              query: '',
              body: { clientid: clientId, topic, qos: 1 },
            },
            {
              method: 'POST',
              path: `${api}/mqtt/unsubscribe`,
              query: '',
              body: { clientid: clientId, topic },
            },
          ],
    );
    // After the unsubscribe a marker on a topic it still has arrives, and the unsubscribed one never did.
    await device.subscribeAsync('marker', { qos: 1 });
    const next = nextMessage(device);
    await mutate(stack, PUBLISH, { id, topic: `orders/${version}/43`, payload: 'late order' });
    await mutate(stack, PUBLISH, { id, topic: 'marker', payload: 'm' });
    expect((await next).topic).toBe('marker');
    await device.endAsync();
  });

  it('subscribeClient of an unknown client is NOT_FOUND', async () => {
    const answer = await mutate(stack, SUBSCRIBE, { id, clientId: 'ghost', topic: 't', qos: 0 });
    expect(answer).toMatchObject({ __typename: 'GatewayError', code: 'NOT_FOUND' });
  });

  it('subscribes and unsubscribes in bulk with one result per topic', async () => {
    const clientId = `bulk-${version}`;
    const device = await connectDevice(stack, id, clientId);
    const subs = [
      { topic: `bulk/${version}/a`, qos: 0 },
      { topic: `bulk/${version}/b/#`, qos: 1 },
    ];
    const answer = await mutate(stack, SUBSCRIBE_MANY, { id, clientId, subs });
    expect(answer.results).toEqual(
      subs.map((s) => ({ __typename: 'MqttSubscriptionChange', clientId, ...s })),
    );
    const received = nextMessage(device);
    await mutate(stack, PUBLISH, { id, topic: `bulk/${version}/b/c`, payload: 'x' });
    expect((await received).topic).toBe(`bulk/${version}/b/c`);
    const topics = subs.map((s) => s.topic);
    const removed = await mutate(stack, UNSUBSCRIBE_MANY, { id, clientId, topics });
    expect(removed.results.map((r: any) => r.topic)).toEqual(topics);
    const writes = parsed(stack, id).filter((w) => !w.path.includes('publish'));
    expect(writes).toEqual(
      version === 'v5'
        ? [
            { method: 'POST', path: `${api}/clients/${clientId}/subscribe/bulk`, query: '', body: subs },
            {
              method: 'POST',
              path: `${api}/clients/${clientId}/unsubscribe/bulk`,
              query: '',
              body: topics.map((topic) => ({ topic })),
            },
          ]
        : [
            {
              method: 'POST',
              path: `${api}/mqtt/subscribe_batch`,
              query: '',
              body: subs.map((s) => ({ clientid: clientId, ...s })),
            },
            {
              method: 'POST',
              path: `${api}/mqtt/unsubscribe_batch`,
              query: '',
              body: topics.map((topic) => ({ clientid: clientId, topic })),
            },
          ],
    );
    await device.endAsync();
  });
});
