import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorOptions } from '../../src/simulator/index.ts';
import { createPlatformClient, startTestSimulator } from './platform-helpers.ts';

type Started = Awaited<ReturnType<typeof startTestSimulator>>;
const opened: { ctx: Started; client: ReturnType<typeof createPlatformClient> }[] = [];

async function open(options: SimulatorOptions) {
  const ctx = await startTestSimulator(options);
  const client = createPlatformClient(ctx.sim);
  opened.push({ ctx, client });
  return { ...ctx, client };
}

afterEach(async () => {
  for (const { ctx, client } of opened.splice(0)) {
    await client.close();
    await ctx.sim.close();
  }
});

const createBody = JSON.stringify({
  platform: 'aws',
  region: 'us-east-1',
  connections: 1000,
  deploymentType: 'dedicated',
});

// Seed 000 (the newer page) wins over the older page's 1/60 min for start/stop.
const documented: [string, string, string, number, string?][] = [
  ['listDeployments', 'GET', '/deployments', 60],
  ['getDeployment', 'GET', '/deployments/a1b2c3d4', 60],
  ['startDeployment', 'POST', '/deployments/a1b2c3d4/start', 5],
  ['stopDeployment', 'POST', '/deployments/f3a4b5c6/stop', 5],
  ['createDeployment', 'POST', '/deployments', 1, createBody],
  ['listProjects', 'GET', '/projects', 60],
];

describe('documented quotas (seed 000), default configuration', () => {
  it.each(documented)(
    '%s: %s %s allows %i per window, then 429',
    async (_name, method, path, limit, body) => {
      const { client } = await open({ quotas: {} });
      const call = () => client.call(method, path, body === undefined ? {} : { body });
      for (let index = 0; index < limit; index++) expect((await call()).status).not.toBe(429);
      expect((await call()).status).toBe(429);
    },
  );

  it('counts each operation separately', async () => {
    const { client } = await open({ quotas: {} });
    for (let index = 0; index < 5; index++) await client.call('POST', '/deployments/a1b2c3d4/start');
    expect((await client.call('POST', '/deployments/a1b2c3d4/start')).status).toBe(429);
    expect((await client.call('POST', '/deployments/a1b2c3d4/stop')).status).toBe(201);
  });

  it('counts start requests across deployments, refused ones included', async () => {
    const { client } = await open({ quotas: {} });
    const ids = ['a1b2c3d4', 'e5f6a7b8', 'c9d0e1f2', 'zz99zz99', 'a1b2c3d4'];
    for (const id of ids)
      expect((await client.call('POST', `/deployments/${id}/start`)).status).not.toBe(429);
    expect((await client.call('POST', '/deployments/f3a4b5c6/start')).status).toBe(429);
  });

  it('does not count requests that fail authentication', async () => {
    const { client } = await open({ quotas: {} });
    for (let index = 0; index < 3; index++) {
      expect((await client.call('POST', '/deployments', { body: createBody, auth: null })).status).toBe(401);
    }
    expect((await client.call('POST', '/deployments', { body: createBody })).status).toBe(201);
  });
});

describe('sliding window (shrunk, on an injected clock)', () => {
  it('frees one slot as each counted request leaves the window; refused requests are not counted', async () => {
    let clock = Date.parse('2025-01-01T00:00:00Z');
    const { client } = await open({
      now: () => clock,
      quotas: { listDeployments: { limit: 3, windowSeconds: 60 } },
    });
    const list = async () => (await client.call('GET', '/deployments')).status;
    for (const at of [0, 10_000, 20_000]) {
      clock = Date.parse('2025-01-01T00:00:00Z') + at;
      expect(await list()).toBe(200);
    }
    clock += 30_000; // t = 50 s
    expect(await list()).toBe(429);
    clock += 10_001; // t = 60.001 s: the request at t = 0 has left the window
    expect(await list()).toBe(200);
    expect(await list()).toBe(429);
    clock += 10_000; // t = 70.001 s: the one at t = 10 s has left too
    expect(await list()).toBe(200);
  });

  it('answers 429 with an opaque body and no invented Retry-After', async () => {
    const { client } = await open({ quotas: { listProjects: { limit: 0, windowSeconds: 60 } } });
    const response = await client.call('GET', '/projects');
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBeUndefined();
  });
});
