import type { DemoDevices } from '../../src/simulator/demo-devices.ts';
import type { SimDeploymentInfo, Simulator } from '../../src/simulator/index.ts';
import { apiRequest, waitFor } from './sim-broker.ts';

/** What a simulated management API lists of the demo devices, read over its real HTTP API. */
export interface WireClient {
  clientid: string;
  connected: boolean;
  proto_ver: number;
}

export async function connectedClients(deployment: SimDeploymentInfo): Promise<WireClient[]> {
  const reply = await apiRequest(`${deployment.apiUrl}/clients?limit=100`, 'GET', deployment);
  if (reply.status !== 200) return [];
  return ((reply.json as { data: WireClient[] }).data ?? []).filter((client) => client.connected);
}

/** Waits until every running deployment lists all of its demo devices as connected. */
export async function waitForDemoDevices(sim: Simulator, devices: DemoDevices, timeoutMs = 15_000) {
  const running = () => sim.deployments().filter((deployment) => deployment.mqttPort() !== null);
  await waitFor(async () => {
    for (const deployment of running()) {
      const expected = devices.clientIds(deployment.id).length;
      if (expected === 0 || (await connectedClients(deployment)).length < expected) return false;
    }
    return true;
  }, timeoutMs);
}
