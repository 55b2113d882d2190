import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoDevices, startDemoDevices } from '../../src/simulator/demo-devices.ts';
import { createSimulator, type SimDeploymentInfo, type Simulator } from '../../src/simulator/index.ts';
import { connectedClients } from '../helpers/demo-devices.ts';
import { waitFor } from '../helpers/sim-broker.ts';
import { createPlatformClient } from './platform-helpers.ts';

/**
 * The demo's devices against the real simulator: every one connects (the broker speaks MQTT 3.1/3.1.1 only,
 * so a device asking for MQTT 5 never would), retained messages are there for a new subscriber, and a
 * deployment that starts after the demo gets its devices.
 */

/** Topics of the retained messages a fresh subscriber to `filter` is sent, once `count` have arrived. */
async function retainedTopics(deployment: SimDeploymentInfo, filter: string, count: number) {
  const user = deployment.mqttUsers[0]!;
  const client = await mqtt.connectAsync({
    host: '127.0.0.1',
    port: deployment.mqttPort()!,
    clientId: `retained-check-${deployment.id}`,
    username: user.username,
    password: user.password,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  const topics = new Set<string>();
  client.on('message', (topic, _payload, packet) => {
    if (packet.retain) topics.add(topic);
  });
  try {
    await client.subscribeAsync(filter, { qos: 1 });
    await waitFor(() => topics.size >= count, 5000);
    return [...topics].sort();
  } finally {
    await client.endAsync(true);
  }
}

describe('demo devices', () => {
  let sim: Simulator;
  let devices: DemoDevices;

  beforeAll(async () => {
    sim = await createSimulator({ delays: { startMs: 50, stopMs: 50, createMs: 50 } });
    devices = startDemoDevices(() => sim.deployments(), { watchMs: 50, intervalMs: 200 });
  });
  afterAll(async () => {
    await devices?.stop();
    await sim?.close();
  });

  it('connects every device of every running deployment, over MQTT 3.1.1 and 3.1', async () => {
    const running = sim.deployments().filter((deployment) => deployment.mqttPort() !== null);
    expect(running.length).toBeGreaterThanOrEqual(3);
    for (const deployment of running) {
      const expected = devices.clientIds(deployment.id).sort();
      expect(expected).toHaveLength(4);
      await waitFor(async () => (await connectedClients(deployment)).length === expected.length, 10_000);
      const clients = await connectedClients(deployment);
      expect(clients.map((client) => client.clientid).sort()).toEqual(expected);
      expect(new Set(clients.map((client) => client.proto_ver))).toEqual(new Set([3, 4]));
    }
  });

  it('leaves retained status messages on every running deployment', async () => {
    for (const deployment of sim.deployments().filter((d) => d.mqttPort() !== null)) {
      const topics = await retainedTopics(deployment, 'devices/+/status', 4);
      expect(topics).toEqual(
        devices
          .clientIds(deployment.id)
          .map((id) => `devices/${id}/status`)
          .sort(),
      );
    }
  });

  it('gives devices to a deployment that starts after the demo did', async () => {
    const stopped = sim.deployments().find((deployment) => deployment.status === 'stopped');
    expect(stopped).toBeDefined();
    const id = stopped!.id;
    expect(devices.clientIds(id)).toEqual([]);
    await sim.setStatus(id, 'running');
    const started = sim.deployment(id)!;
    await waitFor(async () => (await connectedClients(started)).length === 4, 10_000);
    expect((await connectedClients(started)).map((client) => client.clientid).sort()).toEqual(
      devices.clientIds(id).sort(),
    );
  });

  it('gives devices to a deployment created through the platform API', async () => {
    const created = await createPlatformClient(sim).call('POST', '/deployments', {
      body: JSON.stringify({
        platform: 'aws',
        region: 'us-east-1',
        connections: 1000,
        deploymentType: 'dedicated',
      }),
    });
    expect(created.status).toBe(201);
    const id = (created.json() as { deploymentID: string }).deploymentID;
    await waitFor(() => sim.deployment(id)?.mqttPort() != null, 10_000);
    const deployment = sim.deployment(id)!;
    await waitFor(async () => (await connectedClients(deployment)).length === 4, 10_000);
    expect(devices.clientIds(id)).toHaveLength(4);
  });
});
