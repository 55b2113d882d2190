import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  gatewayConnections,
  gatewayFilters,
  type LiveSubscription,
  sseSubscribe,
} from '../../helpers/live.ts';
import { waitFor } from '../../helpers/sim-broker.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * How streams end besides maxMessages: after durationSeconds, when the deployment stops (DEPLOYMENT_NOT_RUNNING,
 * as the catalog sees it), and the refusals before one starts (no `mqtt` configured, deployment stopped).
 */

const V5 = 'a1b2c3d4';
const STOPPED = 'f3a4b5c6';
const MESSAGES = `subscription($id: String!, $filter: String!, $seconds: Int) {
  mqttMessages(deploymentId: $id, topicFilter: $filter, durationSeconds: $seconds) {
    topic payload payloadEncoding payloadBytes } }`;
const CLIENT_EVENTS = `subscription($id: String!) { clientEvents(deploymentId: $id) { kind clientId } }`;
const STOP = `mutation($id: String!) { stopDeployment(deploymentId: $id) { __typename } }`;
const MAX_PAYLOAD_BYTES = 64;

describe('how live streams end', () => {
  let stack: Stack;
  let device: MqttClient;
  const open: LiveSubscription[] = [];
  const sim = () => stack.sim.deployment(V5)!;
  const subscribe = async (
    query: string,
    variables: Record<string, unknown>,
    token = stack.tokens.operator,
  ) => {
    const sub = await sseSubscribe(stack.urls[0]!, token, query, variables);
    open.push(sub);
    return sub;
  };
  const codes = (sub: LiveSubscription) => sub.results.map((r) => r.errors?.[0]?.extensions?.code);

  beforeAll(async () => {
    stack = await startStack({
      simulator: { delays: { startMs: 100, stopMs: 300, createMs: 100 } },
      configure: (config) => {
        config.cache.deploymentsTtlSeconds = 1;
        config.limits = { maxPayloadBytes: MAX_PAYLOAD_BYTES };
        config.live = { idleCloseSeconds: 0 };
      },
    });
    device = await mqtt.connectAsync(sim().mqttUrl()!, { ...sim().mqttUsers[0]!, reconnectPeriod: 0 });
  });
  afterAll(async () => {
    for (const sub of open) sub.close();
    await device?.endAsync(true);
    await stack?.close();
  });

  it('delivers a payload above limits.maxPayloadBytes as null with its size', async () => {
    const sub = await subscribe(MESSAGES, { id: V5, filter: 'big/+', seconds: 60 });
    await waitFor(async () => (await gatewayFilters(sim())).includes('big/+'));
    await device.publishAsync('big/1', 'x'.repeat(MAX_PAYLOAD_BYTES + 1));
    await device.publishAsync('big/2', 'x'.repeat(MAX_PAYLOAD_BYTES));
    await sub.waitFor(2);
    expect(sub.results.map((r) => r.data.mqttMessages)).toMatchObject([
      { topic: 'big/1', payload: null, payloadBytes: MAX_PAYLOAD_BYTES + 1 },
      { topic: 'big/2', payload: 'x'.repeat(MAX_PAYLOAD_BYTES), payloadBytes: MAX_PAYLOAD_BYTES },
    ]);
    sub.close();
  });

  it('completes after durationSeconds without an error and releases its filter', async () => {
    const sub = await subscribe(MESSAGES, { id: V5, filter: 'timed/#', seconds: 1 });
    await waitFor(async () => (await gatewayFilters(sim())).includes('timed/#'));
    await device.publishAsync('timed/a', 'within');
    await sub.done;
    expect(sub.results).toEqual([
      {
        data: {
          mqttMessages: { topic: 'timed/a', payload: 'within', payloadEncoding: 'PLAIN', payloadBytes: 6 },
        },
      },
    ]);
    await waitFor(async () => !(await gatewayFilters(sim())).includes('timed/#'));
  });

  it('refuses a deployment without mqtt (BROKER_NOT_CONFIGURED) and subscribes nothing', async () => {
    // The stack configures MQTT only for deployments running when it starts.
    const sub = await subscribe(CLIENT_EVENTS, { id: STOPPED }, stack.tokens.viewer);
    await sub.done;
    expect(codes(sub)).toEqual(['BROKER_NOT_CONFIGURED']);
  });

  it('ends the streams of a deployment that stops with DEPLOYMENT_NOT_RUNNING, then refuses new ones', async () => {
    const messages = await subscribe(MESSAGES, { id: V5, filter: 'stopping/#' });
    const events = await subscribe(CLIENT_EVENTS, { id: V5 }, stack.tokens.viewer);
    await waitFor(async () => (await gatewayFilters(sim())).includes('stopping/#'));
    const stopped = await stack.gql(STOP, { variables: { id: V5 } });
    expect(stopped.body.data.stopDeployment.__typename).toBe('StopDeploymentSuccess');
    await messages.done;
    await events.done;
    expect(codes(messages).at(-1)).toBe('DEPLOYMENT_NOT_RUNNING');
    expect(codes(events).at(-1)).toBe('DEPLOYMENT_NOT_RUNNING');
    await waitFor(() => gatewayConnections(sim()) === 0);
    const refused = await subscribe(MESSAGES, { id: V5, filter: 'stopping/#' });
    await refused.done;
    expect(codes(refused)).toEqual(['DEPLOYMENT_NOT_RUNNING']);
  });
});
