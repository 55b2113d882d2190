import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import { parseConfig } from '../config.ts';
import { createGateway, type Gateway } from '../gateway.ts';
import { type DemoDevices, type DemoDevicesOptions, startDemoDevices } from '../simulator/demo-devices.ts';
import { createSimulator, type Simulator, type SimulatorOptions } from '../simulator/index.ts';
import { type DemoTokens, demoConfigDocument, demoGraphiQL, demoTokens } from './config.ts';

/** `npm run demo` without the terminal: the simulator, its devices and a gateway wired to them. */

export interface DemoOptions {
  /** Gateway address. @default 127.0.0.1 */
  host?: string;
  /** Gateway port; 0 for any free one. @default 4000 */
  port?: number;
  /** Simulated platform API port; 0 for any free one. @default 0 */
  simPort?: number;
  /** For GATEWAY_ADMIN_TOKEN. @default {} */
  env?: NodeJS.ProcessEnv;
  /** pino level. @default info */
  logLevel?: string;
  logDestination?: DestinationStream;
  /** Tests shorten the simulator's transitions. */
  simulator?: Omit<SimulatorOptions, 'host' | 'platformPort'>;
  devices?: DemoDevicesOptions;
}

export interface Demo {
  /** `http://host:port` of the gateway. */
  url: string;
  address: AddressInfo;
  tokens: DemoTokens;
  sim: Simulator;
  devices: DemoDevices;
  gateway: Gateway;
  /** Whether GraphiQL opens with the admin token in place (only on a loopback address). */
  tokenInPage: boolean;
  close(): Promise<void>;
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/**
 * A stopped deployment's broker gets its MQTT port when it first starts (and keeps it after). The gateway's
 * configuration is fixed at start, so each stopped broker is started once, before anything can see it, to learn
 * its address: live data then works on it as soon as someone starts it in GraphiQL.
 */
async function stoppedBrokerAddresses(sim: Simulator): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  for (const deployment of sim.deployments()) {
    if (deployment.mqttUrl() !== null) continue;
    await sim.setStatus(deployment.id, 'running');
    const url = sim.deployment(deployment.id)?.mqttUrl();
    await sim.setStatus(deployment.id, deployment.status);
    if (url) urls[deployment.id] = url;
  }
  return urls;
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 4000;
  const sim = await createSimulator({
    ...options.simulator,
    host: '127.0.0.1',
    platformPort: options.simPort ?? 0,
  });
  const mqttUrls = await stoppedBrokerAddresses(sim).catch(async (error: unknown) => {
    await sim.close();
    throw error;
  });
  const devices = startDemoDevices(() => sim.deployments(), options.devices);
  const tokens = demoTokens(options.env ?? {});
  const stopSimulator = async () => {
    await devices.stop();
    await sim.close();
  };
  try {
    const config = parseConfig(demoConfigDocument(sim, tokens, mqttUrls), {
      GATEWAY_CONFIG_FILE: '(demo)',
      HOST: host,
      PORT: String(port),
      LOG_LEVEL: options.logLevel ?? 'info',
    });
    const tokenInPage = isLoopback(host);
    const gateway = createGateway(config, {
      graphiql: demoGraphiQL(tokens.admin, tokenInPage),
      ...(options.logDestination ? { logDestination: options.logDestination } : {}),
    });
    const address = await gateway.listen(port, host);
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    return {
      url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${address.port}`,
      address,
      tokens,
      sim,
      devices,
      gateway,
      tokenInPage,
      async close() {
        await gateway.close(1000);
        await stopSimulator();
      },
    };
  } catch (error) {
    await stopSimulator();
    throw error;
  }
}
