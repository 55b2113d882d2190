import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayFilters, type LiveSubscription, sseSubscribe } from '../../helpers/live.ts';
import { waitFor } from '../../helpers/sim-broker.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * clientEvents and alarmEvents over SSE, fed by the simulated brokers' EMQX-format `$SYS` messages: a real MQTT
 * client connecting and disconnecting, an alarm raised and cleared as EMQX's monitors do.
 */

const CLIENT_EVENTS = `subscription($id: String!, $part: String) {
  clientEvents(deploymentId: $id, clientIdContains: $part) {
    deploymentId kind clientId username ipAddress reason at } }`;
const ALARM_EVENTS = `subscription($id: String!) {
  alarmEvents(deploymentId: $id) { deploymentId kind name message details at } }`;

describe.each([
  ['v5', 'a1b2c3d4'],
  ['v4', 'e5f6a7b8'],
])('clientEvents and alarmEvents (%s broker)', (_version, id) => {
  let stack: Stack;
  const open: LiveSubscription[] = [];
  const sim = () => stack.sim.deployment(id)!;

  const subscribe = async (query: string, variables: Record<string, unknown>) => {
    const sub = await sseSubscribe(stack.urls[0]!, stack.tokens.viewer, query, { id, ...variables });
    open.push(sub);
    return sub;
  };

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    for (const sub of open) sub.close();
    await stack?.close();
  });

  it('a real client connecting and disconnecting produces CONNECTED and DISCONNECTED', async () => {
    const events = await subscribe(CLIENT_EVENTS, { part: 'live-dev' });
    await waitFor(async () => (await gatewayFilters(sim())).includes('$SYS/brokers/+/clients/#'));
    const user = sim().mqttUsers[0]!;
    const before = Date.now();
    const device = await mqtt.connectAsync(sim().mqttUrl()!, {
      ...user,
      clientId: `live-dev-${id}`,
      reconnectPeriod: 0,
    });
    // Another client's presence is filtered out by clientIdContains.
    const other = await mqtt.connectAsync(sim().mqttUrl()!, {
      ...user,
      clientId: 'other',
      reconnectPeriod: 0,
    });
    await device.endAsync();
    await other.endAsync();
    await events.waitFor(2);
    expect(events.results.map((r) => r.errors)).toEqual([undefined, undefined]);
    const [connected, disconnected] = events.results.map((r) => r.data.clientEvents);
    expect(connected).toMatchObject({
      deploymentId: id,
      kind: 'CONNECTED',
      clientId: `live-dev-${id}`,
      username: user.username,
      ipAddress: '127.0.0.1',
      reason: null,
    });
    expect(disconnected).toMatchObject({
      deploymentId: id,
      kind: 'DISCONNECTED',
      clientId: `live-dev-${id}`,
      username: user.username,
      reason: 'normal',
    });
    expect(Date.parse(connected.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(disconnected.at)).toBeGreaterThanOrEqual(Date.parse(connected.at));
  });

  it('an alarm raised and cleared in the broker produces ACTIVATED and DEACTIVATED', async () => {
    const alarms = await subscribe(ALARM_EVENTS, {});
    await waitFor(async () => (await gatewayFilters(sim())).includes('$SYS/brokers/+/alarms/+'));
    const before = Date.now();
    sim().raiseAlarm('high_system_memory_usage', 'System memory usage is higher than 70%', {
      high_watermark: 70,
    });
    sim().clearAlarm('high_system_memory_usage');
    await alarms.waitFor(2);
    expect(alarms.results.map((r) => r.errors)).toEqual([undefined, undefined]);
    const [raised, cleared] = alarms.results.map((r) => r.data.alarmEvents);
    expect(raised).toMatchObject({
      deploymentId: id,
      kind: 'ACTIVATED',
      name: 'high_system_memory_usage',
      message: 'System memory usage is higher than 70%',
      details: { high_watermark: 70 },
    });
    expect(cleared).toMatchObject({ kind: 'DEACTIVATED', name: 'high_system_memory_usage' });
    expect(Date.parse(raised.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(cleared.at)).toBeGreaterThanOrEqual(Date.parse(raised.at));
  });
});
