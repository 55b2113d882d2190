import { generateAppCredentials, generateMqttUsers, generatePlatformCredentials } from './credentials.ts';
import { type BrokerFactory, createDeploymentRuntime, type DeploymentRuntime } from './deployment-runtime.ts';
import { createFaultStore } from './faults.ts';
import { createHttpListener } from './http-listener.ts';
import { createDeploymentStore, type DeploymentStore } from './platform/deployment-store.ts';
import { createPlatformHandler } from './platform/handler.ts';
import { createQuotaLimiter, DEFAULT_PLATFORM_QUOTAS } from './platform/quota.ts';
import type { DeploymentRecord, ProjectRecord } from './platform/records.ts';
import { PLATFORM_PREFIX } from './platform/router.ts';
import { parseCreateAt } from './platform/wire.ts';
import { createRequestLog } from './request-log.ts';
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
    mqttUsers: runtime.mqttUsers.map((user) => ({ ...user })),
  };
}

/** Starts the EMQX Cloud simulator: the platform API plus one broker and API listener per deployment. */
export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const now = options.now ?? Date.now;
  const requestLog = createRequestLog();
  const faults = createFaultStore();
  const brokerFactory = options.brokerFactory ?? (await defaultBrokerFactory());
  const seed = options.seed ?? createDefaultSeed();
  const runtimes = new Map<string, DeploymentRuntime>();
  const shared = { brokerFactory, requestLog, faults, now, ...(options.host ? { host: options.host } : {}) };

  const addRuntime = async (record: DeploymentRecord, given: Partial<SeedDeployment> = {}) => {
    const app =
      given.appId && given.appSecret ? { appId: given.appId, appSecret: given.appSecret } : undefined;
    const broker = {
      deploymentId: record.id,
      version: record.version,
      ...(app ?? generateAppCredentials()),
      serverless: record.type === 'serverless',
      mqttUsers: given.mqttUsers ?? generateMqttUsers(),
      now,
    };
    runtimes.set(record.id, await createDeploymentRuntime({ ...shared, broker }));
  };
  const closeRuntimes = () => Promise.all([...runtimes.values()].map((runtime) => runtime.close()));

  let store: DeploymentStore | undefined;
  try {
    for (const deployment of seed.deployments) {
      await addRuntime(seedRecord(deployment, seed.projects), deployment);
      if (deployment.status === 'running') await runtimes.get(deployment.id)!.setRunning(true);
    }
    store = createDeploymentStore({
      deployments: seed.deployments.map((deployment) => seedRecord(deployment, seed.projects)),
      delays: { ...DEFAULT_DELAYS, ...options.delays },
      hooks: {
        created: (record) => addRuntime(record),
        setRunning: async (id, running) => runtimes.get(id)?.setRunning(running),
      },
    });
    return await assemble(options, { seed, store, requestLog, faults, runtimes, now, closeRuntimes });
  } catch (error) {
    store?.close();
    await closeRuntimes();
    throw error;
  }
}

interface Parts {
  seed: SimSeed;
  store: DeploymentStore;
  requestLog: ReturnType<typeof createRequestLog>;
  faults: ReturnType<typeof createFaultStore>;
  runtimes: Map<string, DeploymentRuntime>;
  now: () => number;
  closeRuntimes: () => Promise<unknown>;
}

async function assemble(options: SimulatorOptions, parts: Parts): Promise<Simulator> {
  const { seed, store, requestLog, faults, runtimes, now } = parts;
  const credentials = { ...generatePlatformCredentials(), ...options.credentials };
  const handler = createPlatformHandler({
    store,
    projects: seed.projects,
    credentials,
    quota: createQuotaLimiter({ ...DEFAULT_PLATFORM_QUOTAS, ...options.quotas }, now),
    now,
    userID: '00000001',
  });
  const listener = await createHttpListener({
    target: 'platform',
    handler,
    requestLog,
    faults,
    now,
    ...(options.platformPort === undefined ? {} : { port: options.platformPort }),
    ...(options.host ? { host: options.host } : {}),
  });
  const info = (record: DeploymentRecord | undefined) => {
    const runtime = record && runtimes.get(record.id);
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
      await parts.closeRuntimes();
    },
  };
}
