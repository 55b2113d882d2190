import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, runServer, spawnGateway, writeConfigFile } from '../helpers/process.ts';
import { type Stack, stackConfig, startStack } from '../helpers/stack.ts';

describe('npm start (src/server.ts)', () => {
  let stack: Stack;
  let gateway: GatewayProcess;
  beforeAll(async () => {
    stack = await startStack();
    gateway = await spawnGateway(stackConfig(stack.sim, stack.tokens));
  });
  afterAll(async () => {
    await gateway.stop('SIGKILL');
    await stack.close();
  });

  it('refuses to start on an invalid configuration, naming the bad setting and no secret', async () => {
    const document = stackConfig(stack.sim, stack.tokens);
    document.platform.apiUrl = 'not a url';
    document.cache.brokerTtlSeconds = -5;
    const { output, exited } = runServer({ GATEWAY_CONFIG_FILE: writeConfigFile(document) });
    expect(await exited).not.toBe(0);
    const text = output.join('\n');
    expect(text).toContain('refuses to start');
    expect(text).toContain('platform.apiUrl');
    expect(text).toContain('cache.brokerTtlSeconds');
    expect(text).not.toContain(stack.sim.platform.apiSecret);
    expect(text).not.toContain(stack.tokens.admin);
  });

  it('refuses to start without GATEWAY_CONFIG_FILE', async () => {
    const { output, exited } = runServer({});
    expect(await exited).not.toBe(0);
    expect(output.join('\n')).toContain('GATEWAY_CONFIG_FILE: is required');
  });

  it('answers /healthz, /readyz and /metrics', async () => {
    expect((await request(`${gateway.url}/healthz`)).statusCode).toBe(200);
    expect((await request(`${gateway.url}/readyz`)).statusCode).toBe(200);
    await request(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.tokens.viewer}` },
      body: JSON.stringify({ query: '{ deployments { totalCount } }' }),
    }).then((r) => r.body.json());
    const metrics = await request(`${gateway.url}/metrics`);
    const text = await metrics.body.text();
    expect(metrics.statusCode).toBe(200);
    expect(text).toMatch(
      /gateway_upstream_calls_total\{api="platform",endpoint="listDeployments",status="200"\} 1/,
    );
    expect(text).toMatch(/gateway_cache_reads_total\{kind="deployments",source="UPSTREAM"\} 1/);
    expect(text).toMatch(/gateway_graphql_operations_total\{type="query",outcome="ok"\} 1/);
    expect(text).toMatch(/gateway_platform_quota_remaining\{endpoint="listDeployments"\} 59/);
    expect(text).toMatch(/gateway_platform_quota_remaining\{endpoint="startDeployment"\} 5/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('serves GraphiQL to a browser at GET /graphql', async () => {
    const page = await request(`${gateway.url}/graphql`, {
      headers: { accept: 'text/html', authorization: `Bearer ${stack.tokens.viewer}` },
    });
    expect(page.statusCode).toBe(200);
    expect(await page.body.text()).toContain('GraphiQL');
  });

  it('drains on SIGTERM: an in-flight query completes, then the process exits 0', async () => {
    const other = await spawnGateway(stackConfig(stack.sim, stack.tokens));
    stack.sim.requestLog.clear();
    stack.sim.faults.set('platform', { delayMs: 400 });
    const inFlight = request(`${other.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.tokens.viewer}` },
      body: JSON.stringify({ query: '{ deployments { totalCount } }' }),
    }).then((r) => r.body.json() as Promise<any>);
    while (stack.sim.requestLog.count({ target: 'platform' }) === 0)
      await new Promise((r) => setImmediate(r));
    const exit = other.stop('SIGTERM');
    const body = await inFlight;
    stack.sim.faults.clear();
    expect(body.data.deployments.totalCount).toBe(5);
    expect(await exit).toBe(0);
  });
});
