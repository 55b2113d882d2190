import type { BrokerFactory } from './deployment-runtime.ts';
import type { PlatformCredentials } from './platform/auth.ts';
import type { TransitionDelays } from './platform/deployment-store.ts';
import type { PlatformQuotas, QuotaRule } from './platform/quota.ts';
import type { DeploymentType } from './platform/records.ts';
import type { RequestLogFilter } from './request-log.ts';
import type { MqttUser, SimSeed } from './seed.ts';
import type { BrokerVersion, Fault, RequestLogEntry } from './types.ts';

export interface SimulatorOptions {
  /** Port of the platform API. @default 0 (a free port) */
  platformPort?: number;
  /** Address every listener binds. @default '127.0.0.1' */
  host?: string;
  /** Projects and deployments to start with. @default createDefaultSeed() */
  seed?: SimSeed;
  /** How long transient states last. @default { startMs: 2000, stopMs: 2000, createMs: 3000 } */
  delays?: Partial<TransitionDelays>;
  /** Per-operation quota overrides. @default DEFAULT_PLATFORM_QUOTAS (seed 000: 60/60/5/5/1/60 per hour) */
  quotas?: Partial<Record<keyof PlatformQuotas, QuotaRule>>;
  /** Platform API key/secret. @default random per simulator */
  credentials?: Partial<PlatformCredentials>;
  /** Clock for `createAt`, quota windows and the request log. @default Date.now */
  now?: () => number;
  /** Builds each deployment's broker. @default createSimBroker from ./broker/index.ts */
  brokerFactory?: BrokerFactory;
}

export interface SimDeploymentInfo {
  id: string;
  name: string;
  version: BrokerVersion;
  type: DeploymentType;
  projectName: string;
  status: string;
  /** `http://127.0.0.1:PORT/api/v4` or `/api/v5`, as the console shows a deployment's API address. */
  apiUrl: string;
  appId: string;
  appSecret: string;
  /** The broker's MQTT TCP port while it runs, else null. */
  mqttPort(): number | null;
  /** `mqtt://127.0.0.1:PORT` while the broker runs, else null. */
  mqttUrl(): string | null;
  /** Device users of the built-in authentication. */
  mqttUsers: MqttUser[];
  /** The user a gateway reads live data with: it may subscribe to `$SYS/#`. */
  gatewayMqttUser: MqttUser | null;
  /** Live MQTT connections to this broker, or only those of one username. */
  mqttConnections(username?: string): number;
  /** Raises an alarm as EMQX's monitors do (no-op while one of that name is active); publishes `alarms/activate`. */
  raiseAlarm(name: string, message: string, details?: Record<string, unknown>): void;
  /** Clears an active alarm; publishes `alarms/deactivate`. */
  clearAlarm(name: string): void;
}

export interface Simulator {
  platform: {
    /** `http://127.0.0.1:PORT/public_api/v1`. */
    url: string;
    apiKey: string;
    apiSecret: string;
  };
  deployments(): SimDeploymentInfo[];
  deployment(id: string): SimDeploymentInfo | undefined;
  requestLog: {
    entries(filter?: RequestLogFilter): RequestLogEntry[];
    count(filter?: RequestLogFilter): number;
    clear(): void;
  };
  faults: {
    /** `target` is `platform` or a deployment ID. */
    set(target: string, fault: Fault): void;
    clear(target?: string): void;
  };
  /** Forces a status at once, cancelling pending transitions; the broker runs exactly when it is `running`. */
  setStatus(id: string, status: string): Promise<void>;
  close(): Promise<void>;
}
