import {
  generateAppCredentials,
  generateGatewayMqttUser,
  generateMqttUsers,
  generatePlatformCredentials,
} from './credentials.ts';
import {
  type BrokerFactory,
  createDeploymentFleet,
  type DeploymentFleet,
  type DeploymentRuntime,
} from './deployment-runtime.ts';
import { createFaultStore, type FaultStore } from './faults.ts';
import { createHttpListener } from './http-listener.ts';
import type { PlatformCredentials } from './platform/auth.ts';
import { createDeploymentStore, type DeploymentStore } from './platform/deployment-store.ts';
import { createPlatformHandler } from './platform/handler.ts';
import { createQuotaLimiter, DEFAULT_PLATFORM_QUOTAS } from './platform/quota.ts';
import type { DeploymentRecord, ProjectRecord } from './platform/records.ts';
import { PLATFORM_PREFIX } from './platform/router.ts';
import { parseCreateAt } from './platform/wire.ts';
import { createRequestLog, type RequestLog } from './request-log.ts';
import { createDefaultSeed, type SeedDeployment, type SimSeed } from './seed.ts';
import type { SimDeploymentInfo, Simulator, SimulatorOptions } from './simulator.ts';

export type { SimDeploymentInfo, Simulator, SimulatorOptions } from './simulator.ts';

const DEFAULT_DELAYS = { startMs: 2000, stopMs: 2000, createMs: 3000 };

// Loaded lazily so that importing the simulator never pulls the broker in before it is asked for.
async function defaultBrokerFactory(): Promise<BrokerFactory> {
  const { createSimBroker } = await import('./broker/index.ts');
  return createSimBroker;
}

const seedRecord = (seed: SeedDeployment, projects: ProjectRecord[]): DeploymentRecord => ({
  id: seed.id,
  name: seed.name,
  type: seed.type,
  version: seed.version,
  projectName: seed.projectName,
  // The platform reports the default project as `null` (seed 000 create response).
  projectID:
    projects.find((project) => project.projectName === seed.projectName && project.projectID !== 'default')
      ?.projectID ?? null,
  platform: seed.platform,
  region: seed.region,
  connections: seed.connections,
  tps: seed.tps,
  createdAt: parseCreateAt(seed.createAt),
  status: seed.status,
});

function describe(record: DeploymentRecord, runtime: DeploymentRuntime): SimDeploymentInfo {
  return {
    id: record.id,
    name: record.name,
    version: record.version,
    type: record.type,
    projectName: record.projectName,
    status: record.status,
    apiUrl: runtime.apiUrl,
    appId: runtime.appId,
    appSecret: runtime.appSecret,
    mqttPort: () => runtime.broker.mqttPort(),
    mqttUrl: () => {
      const port = runtime.broker.mqttPort();
      return port === null ? null : `mqtt://127.0.0.1:${port}`;
    },
    mqttUsers: runtime.mqttUsers.map((user) => ({ ...user })),
    gatewayMqttUser: runtime.gatewayMqttUser && { ...runtime.gatewayMqttUser },
    mqttConnections: (username) => runtime.broker.mqttConnections(username),
    raiseAlarm: (name, message, details) => runtime.broker.raiseAlarm(name, message, details),
    clearAlarm: (name) => runtime.broker.clearAlarm(name),
  };
}

async function startFleet(
  options: SimulatorOptions,
  seed: SimSeed,
  shared: Shared,
): Promise<DeploymentFleet> {
  const fleet = createDeploymentFleet({
    ...shared,
    ...(options.host ? { host: options.host } : {}),
    brokerFactory: options.brokerFactory ?? (await defaultBrokerFactory()),
    generateCredentials: generateAppCredentials,
    generateMqttUsers,
    generateGatewayMqttUser,
  });
  try {
    await Promise.all(
      seed.deployments.map(async (deployment) => {
        const runtime = await fleet.add({ ...deployment, serverless: deployment.type === 'serverless' });
        if (deployment.status === 'running') await runtime.setRunning(true);
      }),
    );
    return fleet;
  } catch (error) {
    await fleet.close();
    throw error;
  }
}

interface Shared {
  requestLog: RequestLog;
  faults: FaultStore;
  now: () => number;
}

/** Starts the EMQX Cloud simulator: the platform API plus one broker and API listener per deployment. */
export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const shared: Shared = {
    requestLog: createRequestLog(),
    faults: createFaultStore(),
    now: options.now ?? Date.now,
  };
  const seed = options.seed ?? createDefaultSeed();
  const fleet = await startFleet(options, seed, shared);
  const store = createDeploymentStore({
    deployments: seed.deployments.map((deployment) => seedRecord(deployment, seed.projects)),
    delays: { ...DEFAULT_DELAYS, ...options.delays },
    hooks: {
      created: async (record) => {
        await fleet.add({ id: record.id, version: record.version, serverless: record.type === 'serverless' });
      },
      setRunning: (id, running) => fleet.setRunning(id, running),
    },
  });
  try {
    return await assemble(options, { seed, store, fleet, ...shared });
  } catch (error) {
    store.close();
    await fleet.close();
    throw error;
  }
}

interface Parts extends Shared {
  seed: SimSeed;
  store: DeploymentStore;
  fleet: DeploymentFleet;
}

function platformHandler(options: SimulatorOptions, parts: Parts, credentials: PlatformCredentials) {
  return createPlatformHandler({
    store: parts.store,
    projects: parts.seed.projects,
    credentials,
    quota: createQuotaLimiter({ ...DEFAULT_PLATFORM_QUOTAS, ...options.quotas }, parts.now),
    now: parts.now,
    userID: '00000001',
  });
}

async function assemble(options: SimulatorOptions, parts: Parts): Promise<Simulator> {
  const { store, fleet, requestLog, faults } = parts;
  const credentials = { ...generatePlatformCredentials(), ...options.credentials };
  const listener = await createHttpListener({
    target: 'platform',
    handler: platformHandler(options, parts, credentials),
    requestLog,
    faults,
    now: parts.now,
    ...(options.platformPort === undefined ? {} : { port: options.platformPort }),
    ...(options.host ? { host: options.host } : {}),
  });
  const info = (record: DeploymentRecord | undefined) => {
    const runtime = record && fleet.get(record.id);
    return record && runtime ? describe(record, runtime) : undefined;
  };
  return {
    platform: { url: `${listener.origin}${PLATFORM_PREFIX}`, ...credentials },
    deployments: () => store.list().flatMap((record) => info(record) ?? []),
    deployment: (id) => info(store.get(id)),
    requestLog: { entries: requestLog.entries, count: requestLog.count, clear: requestLog.clear },
    faults: { set: faults.set, clear: faults.clear },
    setStatus: (id, status) => store.force(id, status),
    async close() {
      store.close();
      await listener.close();
      await fleet.close();
    },
  };
}
