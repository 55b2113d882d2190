import mqtt, { type MqttClient } from 'mqtt';
import type { Stack } from '../../helpers/stack.ts';

/**
 * Real MQTT devices for broker tests: each connects to a simulated deployment with one of its device
 * users and subscribes to some topics, so the broker APIs have something true to report.
 */
export interface Devices {
  clients: MqttClient[];
  close(): Promise<void>;
}

export interface DeviceSpec {
  clientId: string;
  topics?: Array<{ topic: string; qos: 0 | 1 | 2 }>;
}

export async function connectDevices(
  stack: Stack,
  deploymentId: string,
  specs: DeviceSpec[],
): Promise<Devices> {
  const deployment = stack.sim.deployment(deploymentId);
  const port = deployment?.mqttPort();
  const user = deployment?.mqttUsers[0];
  if (!deployment || !port || !user) throw new Error(`deployment ${deploymentId} has no MQTT listener`);
  const clients: MqttClient[] = [];
  const close = async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
  };
  try {
    for (let i = 0; i < specs.length; i += 20) {
      const batch = specs.slice(i, i + 20);
      const connected = await Promise.all(
        batch.map((spec) =>
          mqtt.connectAsync({
            host: '127.0.0.1',
            port,
            clientId: spec.clientId,
            username: user.username,
            password: user.password,
            protocolVersion: 4,
            reconnectPeriod: 0,
            connectTimeout: 5_000,
          }),
        ),
      );
      clients.push(...connected);
      await Promise.all(
        batch.map((spec, j) =>
          spec.topics?.length
            ? (connected[j] as MqttClient).subscribeAsync(
                Object.fromEntries(spec.topics.map((t) => [t.topic, { qos: t.qos }])),
              )
            : undefined,
        ),
      );
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { clients, close };
}
