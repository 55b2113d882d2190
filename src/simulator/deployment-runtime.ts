import type { FaultStore } from './faults.ts';
import { createHttpListener, type HttpListener } from './http-listener.ts';
import type { RequestLog } from './request-log.ts';
import type { MqttUser } from './seed.ts';
import type { BrokerVersion, SimBroker } from './types.ts';

/** What `createSimBroker` in `broker/index.ts` accepts (kept structural so the two files stay decoupled). */
export interface BrokerFactoryOptions {
  deploymentId: string;
  version: BrokerVersion;
  appId: string;
  appSecret: string;
  serverless?: boolean;
  mqttUsers?: MqttUser[];
  gatewayMqttUser?: MqttUser;
  nodeName?: string;
  now?: () => number;
}

export type BrokerFactory = (options: BrokerFactoryOptions) => SimBroker;

export interface DeploymentRuntimeOptions {
  broker: BrokerFactoryOptions;
  brokerFactory: BrokerFactory;
  requestLog: RequestLog;
  faults: FaultStore;
  host?: string;
  now?: () => number;
}

/** One deployment's broker and the HTTP listener in front of its management API. */
export interface DeploymentRuntime {
  readonly broker: SimBroker;
  /** `http://127.0.0.1:PORT/api/v4` or `/api/v5`: stable for the simulator's life, up or down. */
  readonly apiUrl: string;
  readonly appId: string;
  readonly appSecret: string;
  readonly mqttUsers: MqttUser[];
  /** The user a gateway subscribes with (including `$SYS/#`); null when the broker was built without one. */
  readonly gatewayMqttUser: MqttUser | null;
  /** Starts the broker then opens the API, or cuts the API then stops the broker; no-op when already so. */
  setRunning(running: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function createDeploymentRuntime(options: DeploymentRuntimeOptions): Promise<DeploymentRuntime> {
  const { broker: brokerOptions } = options;
  const broker = options.brokerFactory(brokerOptions);
  const listener: HttpListener = await createHttpListener({
    target: brokerOptions.deploymentId,
    handler: broker.api,
    requestLog: options.requestLog,
    faults: options.faults,
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  listener.setDown(true);
  let running = false;
  let closed = false;
  // Changes run one at a time, and close waits for the one in flight so no broker outlives the simulator.
  let settled: Promise<void> = Promise.resolve();
  const apply = async (next: boolean) => {
    if (next === running || closed) return;
    if (next) {
      await broker.start();
      listener.setDown(false);
    } else {
      listener.setDown(true);
      await broker.stop();
    }
    running = next;
  };

  return {
    broker,
    apiUrl: `${listener.origin}/api/${brokerOptions.version}`,
    appId: brokerOptions.appId,
    appSecret: brokerOptions.appSecret,
    mqttUsers: brokerOptions.mqttUsers ?? [],
    gatewayMqttUser: brokerOptions.gatewayMqttUser ?? null,
    setRunning(next) {
      settled = settled.catch(() => {}).then(() => apply(next));
      return settled;
    },
    async close() {
      if (closed) return;
      await settled.catch(() => {});
      closed = true;
      await listener.close();
      if (running) await broker.stop();
      running = false;
    },
  };
}

export interface DeploymentFleetOptions extends Omit<DeploymentRuntimeOptions, 'broker'> {
  generateCredentials: () => { appId: string; appSecret: string };
  generateMqttUsers: () => MqttUser[];
  generateGatewayMqttUser: () => MqttUser;
}

/** Given credentials for one deployment; whatever is missing is generated. */
export interface DeploymentSpec {
  id: string;
  version: BrokerVersion;
  serverless: boolean;
  appId?: string;
  appSecret?: string;
  mqttUsers?: MqttUser[];
  gatewayMqttUser?: MqttUser;
}

/** Every deployment's runtime, by ID. */
export interface DeploymentFleet {
  add(spec: DeploymentSpec): Promise<DeploymentRuntime>;
  get(id: string): DeploymentRuntime | undefined;
  setRunning(id: string, running: boolean): Promise<void>;
  close(): Promise<void>;
}

export function createDeploymentFleet(options: DeploymentFleetOptions): DeploymentFleet {
  const { generateCredentials, generateMqttUsers, generateGatewayMqttUser, ...shared } = options;
  const runtimes = new Map<string, DeploymentRuntime>();
  let closed = false;
  return {
    async add(spec) {
      const given =
        spec.appId && spec.appSecret ? { appId: spec.appId, appSecret: spec.appSecret } : undefined;
      const broker: BrokerFactoryOptions = {
        deploymentId: spec.id,
        version: spec.version,
        ...(given ?? generateCredentials()),
        serverless: spec.serverless,
        mqttUsers: spec.mqttUsers ?? generateMqttUsers(),
        gatewayMqttUser: spec.gatewayMqttUser ?? generateGatewayMqttUser(),
        ...(shared.now === undefined ? {} : { now: shared.now }),
      };
      const runtime = await createDeploymentRuntime({ ...shared, broker });
      if (closed) {
        // The simulator closed while this deployment was being created: nothing may stay listening.
        await runtime.close();
        throw new Error('simulator closed');
      }
      runtimes.set(spec.id, runtime);
      return runtime;
    },
    get: (id) => runtimes.get(id),
    async setRunning(id, running) {
      await runtimes.get(id)?.setRunning(running);
    },
    async close() {
      closed = true;
      await Promise.all([...runtimes.values()].map((runtime) => runtime.close()));
    },
  };
}
