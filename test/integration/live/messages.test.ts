import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveSubscription, sseSubscribe } from '../../helpers/live.ts';
import { apiRequest, waitFor } from '../../helpers/sim-broker.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * mqttMessages over SSE against the simulator's real MQTT brokers: what arrives, in which order and
 * encoding; one shared MQTT connection per deployment; topic filters subscribed and released with streams.
 */

const V5 = 'a1b2c3d4';
const MESSAGES = `subscription($id: String!, $filter: String!, $max: Int) {
  mqttMessages(deploymentId: $id, topicFilter: $filter, maxMessages: $max) {
    deploymentId topic payload payloadEncoding payloadBytes qos retain receivedAt droppedBefore } }`;

describe('mqttMessages over SSE', () => {
  let stack: Stack;
  let device: MqttClient;
  const open: LiveSubscription[] = [];
  const gatewayUser = () => stack.sim.deployment(V5)!.gatewayMqttUser!.username;

  /** The topic filters the gateway's MQTT client holds on the broker, read from its management API. */
  async function gatewayFilters(): Promise<string[]> {
    const d = stack.sim.deployment(V5)!;
    const reply = await apiRequest(`${d.apiUrl}/subscriptions?limit=1000`, 'GET', d);
    return reply.json.data
      .filter((s: { clientid: string }) => s.clientid.startsWith('emqx-cloud-gateway-'))
      .map((s: { topic: string }) => s.topic)
      .sort();
  }

  const subscribe = async (filter: string, max?: number, token = stack.tokens.operator) => {
    const sub = await sseSubscribe(stack.urls[0]!, token, MESSAGES, { id: V5, filter, max });
    open.push(sub);
    return sub;
  };

  beforeAll(async () => {
    stack = await startStack({
      configure: (config) => {
        config.live = { idleCloseSeconds: 0.2 };
      },
    });
    const d = stack.sim.deployment(V5)!;
    const user = d.mqttUsers[0]!;
    device = await mqtt.connectAsync(d.mqttUrl()!, { ...user, clientId: 'live-pub', reconnectPeriod: 0 });
  });
  afterAll(async () => {
    for (const sub of open) sub.close();
    await device?.endAsync(true);
    await stack?.close();
  });

  it('delivers exactly the matching messages in order, text as PLAIN and bytes as BASE64, then completes', async () => {
    const first = await subscribe('live/+/t', 3);
    const second = await subscribe('live/+/t', 3);
    await waitFor(async () => (await gatewayFilters()).includes('live/+/t'));
    await device.publishAsync('live/a/t', 'hello');
    await device.publishAsync('other/x', 'not for us');
    await device.publishAsync('live/b/t', Buffer.from([0xff, 0x00, 0xfe]), { qos: 1 });
    await device.publishAsync('live/c/t', 'third');
    await device.publishAsync('live/d/t', 'fourth');
    for (const sub of [first, second]) {
      await sub.done;
      expect(sub.results.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
      expect(sub.results.map((r) => r.data.mqttMessages)).toMatchObject([
        {
          deploymentId: V5,
          topic: 'live/a/t',
          payload: 'hello',
          payloadEncoding: 'PLAIN',
          payloadBytes: 5,
          qos: 0,
        },
        {
          topic: 'live/b/t',
          payload: '/wD+',
          payloadEncoding: 'BASE64',
          payloadBytes: 3,
          qos: 1,
          retain: false,
        },
        { topic: 'live/c/t', payload: 'third', droppedBefore: 0 },
      ]);
    }
  });

  it('shares one MQTT connection between streams, releases a filter with its last stream, closes when idle', async () => {
    const a = await subscribe('share/a');
    const b = await subscribe('share/b');
    const c = await subscribe('share/b');
    await waitFor(async () => (await gatewayFilters()).join() === 'share/a,share/b');
    expect(stack.sim.deployment(V5)!.mqttConnections(gatewayUser())).toBe(1);
    a.close();
    await waitFor(async () => (await gatewayFilters()).join() === 'share/b');
    b.close();
    await device.publishAsync('share/b', 'still here');
    await c.waitFor(1);
    expect(c.results[0]!.data.mqttMessages.payload).toBe('still here');
    c.close();
    await waitFor(() => stack.sim.deployment(V5)!.mqttConnections(gatewayUser()) === 0);
  });
});
