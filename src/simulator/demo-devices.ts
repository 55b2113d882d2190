import mqtt, { type MqttClient } from 'mqtt';
import type { SimDeploymentInfo } from './simulator.ts';

/**
 * Simulated devices for the demo: a few real MQTT clients per running deployment that subscribe to their
 * command topic, keep a retained status (with a retained last will) and publish telemetry at a low rate, so
 * every list in GraphiQL has content. Deployments are watched: one that starts, or is created, later gets
 * its devices too; while one is stopped its devices keep trying to reconnect to the same address.
 *
 * The simulator's broker (aedes) speaks MQTT 3.1 and 3.1.1 only, so devices use those: an MQTT 5 device
 * would never connect.
 */

export interface DemoDevicesOptions {
  /** Devices per deployment. @default 4 */
  perDeployment?: number;
  /** Telemetry interval per device. @default 5000 */
  intervalMs?: number;
  /** How often the deployment list is checked for brokers that came up. @default 1000 */
  watchMs?: number;
}

export interface DemoDevices {
  /** Devices created so far (connected or trying to). */
  count(): number;
  /** Client IDs of the devices of one deployment. */
  clientIds(deploymentId: string): string[];
  stop(): Promise<void>;
}

const KINDS = ['sensor', 'gateway', 'meter', 'tracker'] as const;

interface DeviceGroup {
  port: number;
  clients: MqttClient[];
  timers: NodeJS.Timeout[];
}

/** MQTT 3.1.1 for most, MQTT 3.1 for every fourth, so client lists show both protocol versions. */
const protocolOf = (index: number) => (index % 4 === 3 ? 3 : 4);

export const demoClientId = (deploymentId: string, index: number) =>
  `${KINDS[index % KINDS.length]}-${deploymentId.slice(0, 4)}-${String(index + 1).padStart(3, '0')}`;

function startDevice(deployment: SimDeploymentInfo, port: number, index: number, intervalMs: number) {
  const user = deployment.mqttUsers[index % deployment.mqttUsers.length]!;
  const kind = KINDS[index % KINDS.length];
  const clientId = demoClientId(deployment.id, index);
  const statusTopic = `devices/${clientId}/status`;
  const client = mqtt.connect({
    host: '127.0.0.1',
    port,
    clientId,
    username: user.username,
    password: user.password,
    protocolVersion: protocolOf(index),
    reconnectPeriod: 2000,
    clean: index % 3 !== 0,
    will: { topic: statusTopic, payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
  });
  client.on('error', () => {});
  client.on('connect', () => {
    client.subscribe([`devices/${clientId}/commands`, 'fleet/broadcast'], { qos: 1 });
    client.publish(statusTopic, JSON.stringify({ online: true, since: Date.now() }), {
      qos: 1,
      retain: true,
    });
  });
  const timer = setInterval(() => {
    if (!client.connected) return;
    const reading = {
      ts: Date.now(),
      temperature: +(20 + Math.random() * 5).toFixed(2),
      battery: 80 + index,
    };
    client.publish(`telemetry/${kind}/${clientId}`, JSON.stringify(reading), {
      qos: index % 2 === 0 ? 0 : 1,
      retain: index === 0,
    });
  }, intervalMs);
  timer.unref();
  return { client, timer };
}

async function stopGroup(group: DeviceGroup) {
  for (const timer of group.timers) clearInterval(timer);
  await Promise.all(group.clients.map((client) => client.endAsync(true)));
}

export function startDemoDevices(
  deployments: () => SimDeploymentInfo[],
  options: DemoDevicesOptions = {},
): DemoDevices {
  const perDeployment = options.perDeployment ?? 4;
  const intervalMs = options.intervalMs ?? 5000;
  const groups = new Map<string, DeviceGroup>();
  const retired: Promise<void>[] = [];

  const sync = () => {
    for (const deployment of deployments()) {
      const port = deployment.mqttPort();
      if (port === null || deployment.mqttUsers.length === 0) continue;
      const group = groups.get(deployment.id);
      if (group?.port === port) continue;
      // A restart that could not keep its port: the old clients would retry a dead address forever.
      if (group) retired.push(stopGroup(group));
      const devices = Array.from({ length: perDeployment }, (_, index) =>
        startDevice(deployment, port, index, intervalMs),
      );
      groups.set(deployment.id, {
        port,
        clients: devices.map((device) => device.client),
        timers: devices.map((device) => device.timer),
      });
    }
  };
  sync();
  const watcher = setInterval(sync, options.watchMs ?? 1000);
  watcher.unref();

  return {
    count: () => [...groups.values()].reduce((sum, group) => sum + group.clients.length, 0),
    clientIds: (deploymentId) =>
      (groups.get(deploymentId)?.clients ?? []).map((client) => client.options.clientId ?? ''),
    async stop() {
      clearInterval(watcher);
      await Promise.all([...[...groups.values()].map(stopGroup), ...retired]);
      groups.clear();
    },
  };
}
