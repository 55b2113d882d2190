import { Client, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, spawnGateway } from '../../helpers/process.ts';
import { type Stack, stackConfig, startStack } from '../../helpers/stack.ts';

/**
 * SIGTERM as Kubernetes sends it, with traffic still arriving: /readyz says 503 at once while the listener stays
 * open; what arrives during the delay is answered with Connection: close (a kept-alive connection and a new one);
 * a write in flight finishes and is audited; the process exits 0.
 */

const V5 = 'a1b2c3d4';
const SHUTDOWN_DELAY_MS = 1_500;
const PUBLISH = `mutation { publish(deploymentId: "${V5}", input: { topic: "drain/t", payload: "p", qos: 0 }) {
  __typename } }`;

describe('graceful shutdown of a gateway process', () => {
  let stack: Stack;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    stack = await startStack();
    const document = stackConfig(stack.sim, stack.tokens);
    Object.assign(document.server, { shutdownDelayMs: SHUTDOWN_DELAY_MS, drainTimeoutMs: 5_000 });
    gateway = await spawnGateway(document);
  });
  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await stack?.close();
  });

  const gql = (client: Client | null, query: string) => {
    const options = {
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.tokens.operator}` },
      body: JSON.stringify({ query }),
    };
    return client
      ? client.request({ ...options, path: '/graphql' })
      : request(`${gateway.url}/graphql`, options);
  };

  it('answers readyz 503 at once, serves the drain with Connection: close, finishes and audits writes, exits 0', async () => {
    const keptAlive = new Client(gateway.url, { keepAliveTimeout: 60_000 });
    const warm = await gql(keptAlive, '{ deployments { totalCount } }');
    expect(warm.headers.connection).not.toBe('close');
    await warm.body.json();

    stack.sim.faults.set(V5, { delayMs: 800, method: 'POST' });
    const inFlight = gql(null, PUBLISH).then(async (r) => (await r.body.json()) as any);
    while (stack.sim.requestLog.count({ target: V5, method: 'POST' }) === 0)
      await new Promise((resolve) => setTimeout(resolve, 5));

    const signalledAt = performance.now();
    const exited = gateway.stop('SIGTERM');
    let ready = 200;
    while (ready !== 503) {
      const probe = await request(`${gateway.url}/readyz`);
      ready = probe.statusCode;
      await probe.body.text();
    }
    const notReadyAfter = performance.now() - signalledAt;

    const onOld = await gql(keptAlive, '{ deployments { totalCount } }');
    const onOldBody = (await onOld.body.json()) as any;
    const onNew = await gql(null, '{ deployments { totalCount } }');
    const onNewBody = (await onNew.body.json()) as any;
    const servedDuringDrainAt = performance.now() - signalledAt;

    const published = await inFlight;
    const code = await exited;
    const exitAfter = performance.now() - signalledAt;
    await keptAlive.close().catch(() => undefined);
    console.log(gateway.output.filter((line) => /draining|drained/.test(line)).join('\n'));
    console.log(
      `SIGTERM: readyz 503 after ${notReadyAfter.toFixed(0)} ms, drain requests answered by ` +
        `${servedDuringDrainAt.toFixed(0)} ms, exit ${code} after ${exitAfter.toFixed(0)} ms (delay ${SHUTDOWN_DELAY_MS})`,
    );

    expect(notReadyAfter).toBeLessThan(SHUTDOWN_DELAY_MS);
    expect(servedDuringDrainAt).toBeLessThan(SHUTDOWN_DELAY_MS);
    expect(onOldBody.data.deployments.totalCount).toBe(5);
    expect(onOld.headers.connection).toBe('close');
    expect(onNewBody.data.deployments.totalCount).toBe(5);
    expect(onNew.headers.connection).toBe('close');
    expect(published.data.publish.__typename).toBe('PublishSuccess');
    expect(gateway.output.some((line) => line.includes('"audit":true') && line.includes('"publish"'))).toBe(
      true,
    );
    expect(code).toBe(0);
  });
});
