import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from '../../../src/demo/start.ts';
import { waitForDemoDevices } from '../../helpers/demo-devices.ts';
import { type LiveSubscription, sseSubscribe } from '../../helpers/live.ts';
import { runScript } from '../../helpers/process.ts';
import { freePort } from '../../helpers/redis.ts';

/**
 * Live data in the demo works out of the box: `npm run demo` configures the gateway's MQTT access to every
 * deployment, so the devices' telemetry streams with mqttMessages(topicFilter: "#"), and every subscription
 * example of the README runs as written.
 */

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const SUBSCRIPTIONS = [...README.matchAll(/```graphql\n([\s\S]*?)```/g)]
  .map((match) => match[1]!)
  .filter((query) => /^subscription\b/m.test(query.replace(/^\s*#.*$/gm, '').trim()));
const ALL_MESSAGES = `subscription { mqttMessages(deploymentId: "a1b2c3d4", topicFilter: "#", maxMessages: 8) {
  topic payload retain } }`;

describe('npm run demo', { timeout: 120_000 }, () => {
  const started: Array<ReturnType<typeof runScript>> = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((process) => process.stop()));
  });

  it('streams the demo devices’ telemetry with mqttMessages(topicFilter: "#")', async () => {
    const port = await freePort();
    const admin = `admin-${crypto.randomUUID()}`;
    const demo = runScript('src/demo.ts', { PORT: String(port), SIM_PORT: '0', GATEWAY_ADMIN_TOKEN: admin });
    started.push(demo);
    await demo.line(/^\s+admin\s+\S+/);
    const sub = await sseSubscribe(`http://127.0.0.1:${port}`, admin, ALL_MESSAGES);
    await sub.done;
    expect(sub.results.map((r) => r.errors)).toEqual(Array(8).fill(undefined));
    const messages = sub.results.map((r) => r.data.mqttMessages);
    // The devices' retained status comes first, then their live readings.
    expect(messages.every((m) => /^(devices|telemetry)\//.test(m.topic))).toBe(true);
    const reading = messages.find((m) => m.topic.startsWith('telemetry/') && !m.retain);
    expect(reading, JSON.stringify(messages)).toBeDefined();
    expect(() => JSON.parse(reading.payload)).not.toThrow();
  });
});

describe('README subscription examples against the demo', () => {
  let demo: Demo;
  const open: LiveSubscription[] = [];
  const gql = (query: string) =>
    fetch(`${demo.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${demo.tokens.admin}` },
      body: JSON.stringify({ query }),
    }).then((response) => response.json());

  /** What makes each subscription say something in the demo. */
  const TRIGGERS: Record<string, () => Promise<unknown>> = {
    mqttMessages: async () => undefined, // the devices publish telemetry by themselves
    clientEvents: async () => {
      const d = demo.sim.deployment('a1b2c3d4')!;
      const client = await mqtt.connectAsync(d.mqttUrl()!, { ...d.mqttUsers[0]!, reconnectPeriod: 0 });
      await client.endAsync();
    },
    alarmEvents: async () => {
      demo.sim.deployment('a1b2c3d4')!.raiseAlarm('high_cpu_usage', 'CPU usage is higher than 80%');
    },
    deploymentStatusChanges: () =>
      gql('mutation { startDeployment(deploymentId: "f3a4b5c6") { __typename } }'),
  };

  beforeAll(async () => {
    demo = await startDemo({
      port: 0,
      logLevel: 'silent',
      simulator: { delays: { startMs: 50, stopMs: 50, createMs: 50 } },
      devices: { intervalMs: 200, watchMs: 50 },
    });
    await waitForDemoDevices(demo.sim, demo.devices);
  });
  afterAll(async () => {
    for (const sub of open) sub.close();
    await demo?.close();
  });

  it('has one example per subscription field', () => {
    const fields = SUBSCRIPTIONS.map((query) => /\{\s*(\w+)\(/.exec(query)?.[1]);
    expect(fields.sort()).toEqual(Object.keys(TRIGGERS).sort());
  });

  it.each(SUBSCRIPTIONS.map((query) => [/\{\s*(\w+)\(/.exec(query)![1]!, query]))(
    '%s runs as written and streams',
    async (field, query) => {
      const sub = await sseSubscribe(demo.url, demo.tokens.admin, query);
      open.push(sub);
      // The stream is subscribed once its response has started; the event it waits for can happen now.
      await TRIGGERS[field]!();
      await sub.waitFor(1, 10_000);
      expect(sub.results[0]!.errors).toBeUndefined();
      expect(sub.results[0]!.data[field]).toBeTruthy();
      sub.close();
    },
  );

  it('configures MQTT for a deployment that was stopped when the demo started', async () => {
    const configured = demo.gateway.services.config.deployments.f3a4b5c6?.mqtt;
    expect(configured?.username).toBe(demo.sim.deployment('f3a4b5c6')!.gatewayMqttUser!.username);
    // The deployment was started by the deploymentStatusChanges example: its broker has the address configured.
    await expect.poll(() => demo.sim.deployment('f3a4b5c6')!.mqttUrl()).toBe(configured!.url);
  });
});
