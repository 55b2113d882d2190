import mqtt, { type MqttClient } from 'mqtt';
import { createSimulator, type Simulator } from '../src/simulator/index.ts';

/** The simulated fleet for the dashboard benchmark: 4 running deployments (2 × v4, 2 × v5), 25 devices each. */

export const DEPLOYMENTS = ['a1b2c3d4', 'e5f6a7b8', 'f3a4b5c6', 'd7e8f9a0'] as const;
export const CLIENTS_PER_DEPLOYMENT = 25;

export interface Fleet {
  sim: Simulator;
  close(): Promise<void>;
}

async function connectDevices(sim: Simulator, id: string): Promise<MqttClient[]> {
  const deployment = sim.deployment(id);
  const user = deployment?.mqttUsers[0];
  const port = deployment?.mqttPort();
  if (!user || !port) throw new Error(`deployment ${id} is not listening`);
  return Promise.all(
    Array.from({ length: CLIENTS_PER_DEPLOYMENT }, async (_, i) => {
      const client = await mqtt.connectAsync({
        host: '127.0.0.1',
        port,
        clientId: `bench-${id}-${i}`,
        username: user.username,
        password: user.password,
        reconnectPeriod: 0,
      });
      await client.subscribeAsync({ [`factory/${i}/cmd`]: { qos: 1 }, 'factory/all': { qos: 0 } });
      return client;
    }),
  );
}

export async function startFleet(): Promise<Fleet> {
  const sim = await createSimulator({ delays: { startMs: 10, stopMs: 10, createMs: 10 } });
  for (const id of DEPLOYMENTS) await sim.setStatus(id, 'running');
  const devices = (await Promise.all(DEPLOYMENTS.map((id) => connectDevices(sim, id)))).flat();
  return {
    sim,
    async close() {
      await Promise.all(devices.map((d) => d.endAsync(true)));
      await sim.close();
    },
  };
}

/** The gateway configuration for this fleet; `brokerTtlSeconds` tiny = every request goes upstream. */
export function gatewayConfig(sim: Simulator, token: string, brokerTtlSeconds: number) {
  const deployments: Record<string, { apiUrl: string; apiKey: string; apiSecret: string }> = {};
  for (const d of sim.deployments())
    deployments[d.id] = { apiUrl: d.apiUrl, apiKey: d.appId, apiSecret: d.appSecret };
  return {
    platform: { apiUrl: sim.platform.url, apiKey: sim.platform.apiKey, apiSecret: sim.platform.apiSecret },
    deployments,
    cache: { deploymentsTtlSeconds: 3600, brokerTtlSeconds },
    upstream: { timeoutMs: 5000, brokerConcurrency: 8 },
    auth: { apiKeys: [{ name: 'bench', key: token, role: 'viewer', projects: ['*'] }] },
    // One caller sends every request here; the per-caller limit would measure itself, not the gateway.
    security: { rateLimit: { requests: 0 } },
  };
}

export const DASHBOARD_QUERY = `query Dashboard {
  ${DEPLOYMENTS.map((id, i) => `d${i}: deployment(deploymentId: "${id}") { ...Board }`).join('\n  ')}
}
fragment Board on Deployment {
  deploymentId
  stats { connections subscriptions }
  clients(first: ${CLIENTS_PER_DEPLOYMENT}) {
    totalCount
    edges { node { clientId username connected subscriptions { topic qos } } }
  }
}`;

/** The fewest broker calls that can answer the dashboard: a client page, the subscription table, stats. */
export const MINIMUM_CALLS = DEPLOYMENTS.length * 3;
