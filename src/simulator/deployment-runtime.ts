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

  return {
    broker,
    apiUrl: `${listener.origin}/api/${brokerOptions.version}`,
    appId: brokerOptions.appId,
    appSecret: brokerOptions.appSecret,
    mqttUsers: brokerOptions.mqttUsers ?? [],
    async setRunning(next) {
      if (next === running) return;
      if (next) {
        await broker.start();
        listener.setDown(false);
      } else {
        listener.setDown(true);
        await broker.stop();
      }
      running = next;
    },
    async close() {
      await listener.close();
      if (running) await broker.stop();
      running = false;
    },
  };
}
