import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator/index.ts';
import { createPlatformClient, FAST_DELAYS, GENEROUS_QUOTAS, pollUntil } from './platform-helpers.ts';

// The real brokers this time: the platform's lifecycle must open and close real MQTT listeners.
let sim: Simulator;
let client: ReturnType<typeof createPlatformClient>;

beforeAll(async () => {
  sim = await createSimulator({ delays: FAST_DELAYS, quotas: GENEROUS_QUOTAS });
  client = createPlatformClient(sim);
});
afterAll(async () => {
  await client.close();
  await sim.close();
});

const statusOf = async (id: string) =>
  ((await client.call('GET', `/deployments/${id}`)).json() as { status: string }).status;

async function connectDevice(id: string): Promise<mqtt.MqttClient> {
  const info = sim.deployment(id)!;
  const user = info.mqttUsers[0]!;
  return mqtt.connectAsync({
    host: '127.0.0.1',
    port: info.mqttPort()!,
    username: user.username,
    password: user.password,
    reconnectPeriod: 0,
  });
}

describe('deployment lifecycle drives the real broker', () => {
  it('has MQTT listening exactly for the running seeded deployments', () => {
    const listening = sim.deployments().map((info) => [info.id, info.mqttPort() !== null]);
    expect(Object.fromEntries(listening)).toEqual({
      a1b2c3d4: true,
      e5f6a7b8: true,
      c9d0e1f2: true,
      f3a4b5c6: false,
      d7e8f9a0: false,
    });
  });

  it('opens MQTT on start and closes it, with its clients, on stop', async () => {
    expect((await client.call('POST', '/deployments/f3a4b5c6/start')).status).toBe(201);
    await pollUntil(
      () => statusOf('f3a4b5c6'),
      (status) => status === 'running',
    );
    const device = await connectDevice('f3a4b5c6');
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    expect((await client.call('POST', '/deployments/f3a4b5c6/stop')).status).toBe(201);
    await closed;
    await pollUntil(
      () => statusOf('f3a4b5c6'),
      (status) => status === 'stopped',
    );
    expect(sim.deployment('f3a4b5c6')?.mqttPort()).toBeNull();
    await device.endAsync(true);
  });
});
