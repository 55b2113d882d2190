import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATABLE_REGIONS } from '../../src/platform/regions.ts';
import { createPlatformClient, pollUntil, startTestSimulator } from './platform-helpers.ts';

const NOW = Date.parse('2025-04-17T15:30:42Z');
let ctx: Awaited<ReturnType<typeof startTestSimulator>>;
let client: ReturnType<typeof createPlatformClient>;

beforeAll(async () => {
  ctx = await startTestSimulator({ now: () => NOW });
  client = createPlatformClient(ctx.sim);
});
afterAll(async () => {
  await client.close();
  await ctx.sim.close();
});

const body = (overrides: Record<string, unknown>) =>
  JSON.stringify({
    platform: 'aws',
    region: 'us-east-1',
    connections: 1000,
    deploymentType: 'dedicated',
    ...overrides,
  });

describe('POST /deployments validation (seed 000 platform/region table)', () => {
  const invalid: [string, string, number][] = [
    ['not JSON', '{"platform":', 400],
    ['a JSON array', '[]', 400],
    [
      'missing platform',
      JSON.stringify({ region: 'us-east-1', connections: 1000, deploymentType: 'dedicated' }),
      422,
    ],
    ['unknown platform', body({ platform: 'aliyun' }), 422],
    ['platform display name instead of code', body({ platform: 'AWS' }), 422],
    ['region of another platform', body({ region: 'westeurope' }), 422],
    ['region display name instead of code', body({ region: 'N. Virginia (us-east-1)' }), 422],
    ['dedicatedFlex (only serverless or dedicated)', body({ deploymentType: 'dedicatedFlex' }), 422],
    [
      'serverless in a dedicated-only region',
      body({ deploymentType: 'serverless', region: 'us-east-2' }),
      422,
    ],
    ['serverless on Azure', body({ deploymentType: 'serverless', platform: 'azure', region: 'eastus' }), 422],
    ['serverless with 2000 connections', body({ deploymentType: 'serverless', connections: 2000 }), 422],
    ['dedicated with 999 connections', body({ connections: 999 }), 422],
    ['dedicated with 10001 connections', body({ connections: 10_001 }), 422],
    ['connections as a string', body({ connections: '1000' }), 422],
    ['a deploymentName (seed 000 has no name field)', body({ deploymentName: 'line-7' }), 422],
    ['an undocumented field', body({ tps: 1000 }), 422],
    ['dedicated on Azure in a region code of AWS', body({ platform: 'azure', region: 'us-east-1' }), 422],
  ];
  it.each(invalid)('refuses %s', async (_name, payload, status) => {
    const before = ctx.sim.deployments().length;
    expect((await client.call('POST', '/deployments', { body: payload })).status).toBe(status);
    expect(ctx.sim.deployments()).toHaveLength(before);
  });

  const valid: [string, Record<string, unknown>][] = [
    ['serverless in AWS Frankfurt', { deploymentType: 'serverless', region: 'eu-central-1' }],
    [
      'serverless in Google Cloud Singapore',
      { deploymentType: 'serverless', platform: 'gcp', region: 'asia-southeast1' },
    ],
    [
      'dedicated on Azure with 10000 connections',
      { platform: 'azure', region: 'japaneast', connections: 10_000 },
    ],
  ];
  it.each(valid)('accepts %s', async (_name, overrides) => {
    expect((await client.call('POST', '/deployments', { body: body(overrides) })).status).toBe(201);
  });

  // The gateway's own transcription of the same table (src/platform/regions.ts): the two must agree.
  const combinations = Object.entries(CREATABLE_REGIONS).flatMap(([platform, regions]) =>
    regions.dedicated.flatMap((region) =>
      (['dedicated', 'serverless'] as const).map((type) => ({
        platform,
        region,
        type,
        offered: regions[type].includes(region),
      })),
    ),
  );
  it('accepts every platform × region × type seed 000 offers and refuses every other', async () => {
    const outcomes = [];
    for (const { platform, region, type, offered } of combinations) {
      const payload = body({ platform, region, deploymentType: type });
      const { status } = await client.call('POST', '/deployments', { body: payload });
      outcomes.push({ platform, region, type, accepted: status === 201, offered });
    }
    expect(outcomes.filter((o) => o.accepted !== o.offered)).toEqual([]);
    expect(outcomes.filter((o) => o.platform === 'azure' && o.accepted)).toHaveLength(8);
  });
});

describe('POST /deployments success', () => {
  it('answers 201 with the seed 000 create shape: codes, regionLabel, spec, status pending', async () => {
    const response = await client.call('POST', '/deployments', { body: body({}) });
    expect(response.status).toBe(201);
    const created = response.json() as Record<string, unknown>;
    expect(Object.keys(created).sort()).toEqual(
      [
        'createAt',
        'deploymentID',
        'deploymentName',
        'deploymentType',
        'freeTrial',
        'platform',
        'ports',
        'projectID',
        'region',
        'regionLabel',
        'spec',
        'status',
        'subscription',
        'tls',
        'userID',
      ].sort(),
    );
    expect(created).toMatchObject({
      createAt: '2025-04-17 15:30',
      deploymentName: `deployment-${created.deploymentID}`,
      deploymentType: 'dedicated',
      platform: 'aws',
      region: 'us-east-1',
      regionLabel: 'N. Virginia (us-east-1)',
      projectID: null,
      status: 'pending',
      spec: { connections: 1000, deploymentVersion: 'v5' },
    });
    expect(created.deploymentID).toMatch(/^[a-z][a-z0-9]{7}$/);
  });

  it('lists the new deployment in the default project and brings it to running with a broker API', async () => {
    const created = (await client.call('POST', '/deployments', { body: body({}) })).json() as {
      deploymentID: string;
    };
    const id = created.deploymentID;
    const listed = (await client.call('GET', '/deployments')).json() as Record<string, unknown>[];
    expect(listed.find((item) => item.deploymentID === id)).toMatchObject({
      deploymentName: `deployment-${id}`,
      projectName: 'default',
      platform: 'AWS',
      region: 'N. Virginia (us-east-1)',
      version: 'v5',
    });
    const read = async () => (await client.call('GET', `/deployments/${id}`)).json() as { status: string };
    await pollUntil(read, (deployment) => deployment.status === 'running');
    expect(ctx.brokers.isRunning(id)).toBe(true);
    expect(ctx.sim.deployment(id)?.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v5$/);
  });
});
