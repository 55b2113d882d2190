import mqtt, { type MqttClient } from 'mqtt';
import type { SimDeploymentInfo } from './simulator.ts';

/**
 * Simulated devices for the demo: a few real MQTT clients per deployment that subscribe to their command
 * topic and publish telemetry at a low rate, so every list in GraphiQL has content. They reconnect by
 * themselves when a stopped deployment starts again.
 */

export interface DemoDevicesOptions {
  /** Devices per deployment. @default 4 */
  perDeployment?: number;
  /** Telemetry interval per device. @default 5000 */
  intervalMs?: number;
}

const KINDS = ['sensor', 'gateway', 'meter', 'tracker'] as const;

export function startDemoDevices(deployments: SimDeploymentInfo[], options: DemoDevicesOptions = {}) {
  const perDeployment = options.perDeployment ?? 4;
  const intervalMs = options.intervalMs ?? 5000;
  const clients: MqttClient[] = [];
  const timers: NodeJS.Timeout[] = [];

  for (const deployment of deployments) {
    const port = deployment.mqttPort();
    if (!port) continue;
    for (let i = 0; i < perDeployment; i++) {
      const user = deployment.mqttUsers[i % deployment.mqttUsers.length];
      if (!user) continue;
      const kind = KINDS[i % KINDS.length];
      const clientId = `${kind}-${deployment.id.slice(0, 4)}-${String(i + 1).padStart(3, '0')}`;
      const client = mqtt.connect({
        host: '127.0.0.1',
        port,
        clientId,
        username: user.username,
        password: user.password,
        protocolVersion: i % 2 === 0 ? 5 : 4,
        reconnectPeriod: 2000,
        clean: i % 3 !== 0,
      });
      client.on('error', () => {});
      client.on('connect', () => {
        client.subscribe([`devices/${clientId}/commands`, 'fleet/broadcast'], { qos: 1 });
      });
      const timer = setInterval(() => {
        if (!client.connected) return;
        const reading = {
          ts: Date.now(),
          temperature: +(20 + Math.random() * 5).toFixed(2),
          battery: 80 + (i % 20),
        };
        client.publish(`telemetry/${kind}/${clientId}`, JSON.stringify(reading), {
          qos: i % 2 === 0 ? 0 : 1,
          retain: i === 0,
        });
      }, intervalMs);
      timer.unref();
      clients.push(client);
      timers.push(timer);
    }
  }

  return {
    count: () => clients.length,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(clients.map((client) => client.endAsync(true)));
    },
  };
}
