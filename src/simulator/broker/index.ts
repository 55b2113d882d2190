import { createHash } from 'node:crypto';
import { createV4Api } from '../api-v4/index.ts';
import { createV5Api } from '../api-v5/index.ts';
import type { BrokerVersion, SimBroker } from '../types.ts';
import { BrokerCore } from './core.ts';

export interface SimBrokerOptions {
  deploymentId: string;
  version: BrokerVersion;
  /** API key of the management API (EMQX Cloud's App ID / App Secret). */
  appId: string;
  appSecret: string;
  /** Serverless v5 deployments expose only the clients, subscriptions and publish APIs. @default false */
  serverless?: boolean;
  /** Seeds the built-in authentication database so devices connect with username/password. @default [] */
  mqttUsers?: { username: string; password: string }[];
  /** A user allowed to subscribe to `$SYS/#` through a built-in authorization rule, for a gateway. */
  gatewayMqttUser?: { username: string; password: string };
  /** @default `emqx@10.0.x.y`, derived from the deployment ID */
  nodeName?: string;
  /** @default Date.now */
  now?: () => number;
}

export { BrokerCore } from './core.ts';

/** A stable private address per deployment, like the node names EMQX Cloud shows. */
function defaultNodeName(deploymentId: string): string {
  const digest = createHash('sha256').update(deploymentId).digest();
  return `emqx@10.0.${digest[0] ?? 0}.${((digest[1] ?? 0) % 254) + 1}`;
}

/** One past alarm, as any deployment that has run for a while has in its history. */
function seedAlarmHistory(core: BrokerCore, now: number): void {
  core.alarms.recordHistory({
    name: 'high_system_memory_usage',
    message: 'System memory usage is higher than 70%',
    details: { high_watermark: 70 },
    activateAt: now - 2 * 3600_000,
    deactivateAt: now - 3600_000 - 42_000,
  });
}

/** What an EMQX Cloud user sets up for a gateway: an MQTT user and an access rule for `$SYS/#`. */
function grantSystemTopics(core: BrokerCore, user: { username: string; password: string }): void {
  core.authn.add(user.username, user.password, false);
  core.authz.set({ kind: 'username', who: user.username }, [
    { topic: '$SYS/#', permission: 'allow', action: 'subscribe', qos: [0, 1, 2], retain: 'all' },
  ]);
}

/** A simulated deployment broker: a real MQTT broker plus its v4 or v5 management API. */
export function createSimBroker(options: SimBrokerOptions): SimBroker {
  const now = options.now ?? Date.now;
  const core = new BrokerCore({
    version: options.version,
    nodeName: options.nodeName ?? defaultNodeName(options.deploymentId),
    now,
  });
  for (const user of options.mqttUsers ?? []) core.authn.add(user.username, user.password, false);
  if (options.gatewayMqttUser) grantSystemTopics(core, options.gatewayMqttUser);
  seedAlarmHistory(core, now());
  const api =
    options.version === 'v5'
      ? createV5Api(core, { ...options, now })
      : createV4Api(core, { ...options, now });
  return {
    version: options.version,
    api,
    mqttPort: () => core.mqttPort(),
    mqttConnections: (username) => core.mqttConnections(username),
    raiseAlarm: (name, message, details) => core.alarms.activate(name, message, details),
    clearAlarm: (name) => core.alarms.deactivate(name),
    start: () => core.start(),
    stop: () => core.stop(),
  };
}
