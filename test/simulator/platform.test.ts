import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { basic, createPlatformClient, startTestSimulator } from './platform-helpers.ts';

// Field names and types exactly as docs/emqx-api.md §2.2 / §2.3 / §2.6 list them; strict objects fail on extras.
const createAt = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
const deploymentType = z.enum(['serverless', 'dedicated', 'dedicatedFlex']);
const listItem = z.strictObject({
  connections: z.number(),
  tps: z.number(),
  createAt,
  deploymentID: z.string().regex(/^[a-z0-9]{8}$/),
  deploymentName: z.string(),
  deploymentType,
  platform: z.string(),
  projectName: z.string(),
  region: z.string(),
  status: z.string(),
  version: z.enum(['v4', 'v5']),
});
const detail = listItem.omit({ projectName: true, version: true });
const project = z.strictObject({ projectID: z.string(), projectName: z.string(), description: z.string() });

let ctx: Awaited<ReturnType<typeof startTestSimulator>>;
let client: ReturnType<typeof createPlatformClient>;

beforeAll(async () => {
  ctx = await startTestSimulator();
  client = createPlatformClient(ctx.sim);
});
afterAll(async () => {
  await client.close();
  await ctx.sim.close();
});

describe('platform API authentication', () => {
  const cases: [string, () => string | null][] = [
    ['no Authorization header', () => null],
    ['wrong secret', () => basic(ctx.sim.platform.apiKey, 'nope')],
    ['wrong key', () => basic('nope', ctx.sim.platform.apiSecret)],
    ['Bearer instead of Basic', () => `Bearer ${ctx.sim.platform.apiSecret}`],
    ['a deployment App ID instead of the platform key', () => basic(ctx.sim.deployments()[0]!.appId, 'x')],
  ];
  it.each(cases)('answers 401 to %s, without echoing a credential', async (_name, auth) => {
    const response = await client.call('GET', '/deployments', { auth: auth() });
    expect(response.status).toBe(401);
    expect(response.text).not.toContain(ctx.sim.platform.apiSecret);
    expect(response.text).not.toContain(ctx.sim.platform.apiKey);
  });

  it('checks credentials before routing', async () => {
    expect((await client.call('GET', '/nowhere', { auth: null })).status).toBe(401);
  });
});

describe('GET /deployments', () => {
  it('answers a bare array with exactly the list fields, one per seeded deployment', async () => {
    const response = await client.call('GET', '/deployments');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    const items = z.array(listItem).parse(response.json());
    expect(items.map((item) => item.deploymentID).sort()).toEqual(
      ['a1b2c3d4', 'c9d0e1f2', 'd7e8f9a0', 'e5f6a7b8', 'f3a4b5c6'].sort(),
    );
  });

  it('covers both versions, every edition, both stable states and two projects', async () => {
    const items = z.array(listItem).parse((await client.call('GET', '/deployments')).json());
    expect(new Set(items.map((item) => item.version))).toEqual(new Set(['v4', 'v5']));
    expect(new Set(items.map((item) => item.deploymentType))).toEqual(
      new Set(['serverless', 'dedicated', 'dedicatedFlex']),
    );
    expect(new Set(items.map((item) => item.status))).toEqual(new Set(['running', 'stopped']));
    expect(new Set(items.map((item) => item.projectName))).toEqual(new Set(['production', 'staging']));
  });

  it('uses display strings for platform and region, as the console shows them', async () => {
    const items = z.array(listItem).parse((await client.call('GET', '/deployments')).json());
    const factory = items.find((item) => item.deploymentID === 'a1b2c3d4');
    expect(factory).toMatchObject({
      deploymentName: 'factory-v5',
      platform: 'AWS',
      region: 'N. Virginia (us-east-1)',
      createAt: '2024-11-21 02:51',
    });
  });
});

describe('GET /deployments/{id}', () => {
  it('answers the detail fields only: no projectName, no version', async () => {
    const response = await client.call('GET', '/deployments/e5f6a7b8');
    expect(response.status).toBe(200);
    expect(detail.parse(response.json())).toMatchObject({
      deploymentID: 'e5f6a7b8',
      deploymentName: 'legacy-v4',
    });
  });

  it.each([['zzzzzzzz'], ['legacy-v4'], ['A1B2C3D4']])('answers 404 for %s (IDs, not names)', async (id) => {
    expect((await client.call('GET', `/deployments/${id}`)).status).toBe(404);
  });
});

describe('GET /projects', () => {
  it('answers every project, the default one included', async () => {
    const response = await client.call('GET', '/projects');
    expect(response.status).toBe(200);
    const projects = z.array(project).parse(response.json());
    expect(projects.map((item) => item.projectName).sort()).toEqual(['default', 'production', 'staging']);
    expect(projects.find((item) => item.projectName === 'default')?.projectID).toBe('default');
  });
});

describe('routing', () => {
  const unknownPaths = [
    '/deployment',
    '/deployments/',
    '/deployments//start',
    '/deployments/a1b2c3d4/restart',
    '/',
  ];
  it.each(unknownPaths)('answers 404 to GET %s', async (path) => {
    expect((await client.call('GET', path)).status).toBe(404);
  });

  const wrongMethods: [string, string, string][] = [
    ['DELETE', '/deployments/a1b2c3d4', 'GET'],
    ['GET', '/deployments/a1b2c3d4/start', 'POST'],
    ['PUT', '/deployments/a1b2c3d4/stop', 'POST'],
    ['POST', '/projects', 'GET'],
    ['DELETE', '/deployments', 'GET, POST'],
  ];
  it.each(wrongMethods)('answers 405 to %s %s with Allow', async (method, path, allow) => {
    const response = await client.call(method, path);
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe(allow);
  });
});

describe('request log and faults through the simulator', () => {
  it('logs platform calls under the target "platform" with the raw wire path', async () => {
    ctx.sim.requestLog.clear();
    await client.call('GET', '/deployments/a1b2c3d4?trace=1');
    expect(ctx.sim.requestLog.entries({ target: 'platform' })).toMatchObject([
      {
        method: 'GET',
        rawPath: '/public_api/v1/deployments/a1b2c3d4',
        query: 'trace=1',
        status: 200,
        body: '',
      },
    ]);
  });

  it('applies a platform fault only where it matches, and never to a deployment API', async () => {
    ctx.sim.faults.set('platform', {
      status: 503,
      body: '{"code":503}',
      pathIncludes: '/deployments/a1b2c3d4',
    });
    try {
      expect((await client.call('GET', '/deployments/a1b2c3d4')).status).toBe(503);
      expect((await client.call('GET', '/deployments')).status).toBe(200);
    } finally {
      ctx.sim.faults.clear();
    }
    expect((await client.call('GET', '/deployments/a1b2c3d4')).status).toBe(200);
  });

  it('applies a deployment fault to that deployment API', async () => {
    const info = ctx.sim.deployment('a1b2c3d4')!;
    ctx.sim.faults.set('a1b2c3d4', { status: 500, body: 'boom' });
    try {
      const response = await request(`${info.apiUrl}/clients`, {
        headers: { authorization: basic(info.appId, info.appSecret) },
      });
      expect([response.statusCode, await response.body.text()]).toEqual([500, 'boom']);
    } finally {
      ctx.sim.faults.clear('a1b2c3d4');
    }
    expect(ctx.sim.requestLog.entries({ target: 'a1b2c3d4' }).at(-1)).toMatchObject({
      rawPath: '/api/v5/clients',
      status: 500,
    });
  });
});
