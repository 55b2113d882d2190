import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { type Stack, startStack } from '../helpers/stack.ts';

const START = `mutation($id: String!) { startDeployment(deploymentId: $id) {
  __typename
  ... on StartDeploymentSuccess { deployment { deploymentId status } }
  ... on Error { code message }
  ... on RateLimitedError { retryAfterSeconds }
  ... on UpstreamError { upstreamCode }
} }`;
const STOP = START.replaceAll('startDeployment', 'stopDeployment').replace(
  'StartDeploymentSuccess',
  'StopDeploymentSuccess',
);
const CREATE = `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) {
  __typename
  ... on CreateDeploymentSuccess { deployment { deploymentId name status type projectName version } }
  ... on Error { code message }
  ... on BadUserInputError { field }
  ... on RateLimitedError { retryAfterSeconds }
} }`;

const writes = (stack: Stack) => stack.sim.requestLog.entries({ target: 'platform', method: 'POST' });

describe('deployment lifecycle mutations', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      configure: (config) => {
        config.platform.quotas = {
          startDeployment: { limit: 2, windowSeconds: 3600 },
          createDeployment: { limit: 1, windowSeconds: 3600 },
        };
        config.cache.deploymentsTtlSeconds = 0.2;
      },
    });
  });
  afterAll(() => stack.close());

  it('refuses viewer and operator with FORBIDDEN and makes no upstream call', async () => {
    for (const token of [stack.tokens.viewer, stack.tokens.operator]) {
      for (const [query, variables] of [
        [START, { id: 'f3a4b5c6' }],
        [STOP, { id: 'a1b2c3d4' }],
        [
          CREATE,
          { input: { platform: 'aws', region: 'us-east-1', connections: 1000, deploymentType: 'DEDICATED' } },
        ],
      ] as const) {
        const { body } = await stack.gql(query, { token, variables });
        const result = Object.values(body.data)[0] as any;
        expect(result).toMatchObject({ __typename: 'GatewayError', code: 'FORBIDDEN' });
      }
    }
    expect(stack.sim.requestLog.count()).toBe(0);
  });

  it('starts a stopped deployment: one POST, STARTING at once, RUNNING once the platform says so', async () => {
    const { body } = await stack.gql(START, { variables: { id: 'f3a4b5c6' } });
    expect(body.data.startDeployment).toEqual({
      __typename: 'StartDeploymentSuccess',
      deployment: { deploymentId: 'f3a4b5c6', status: 'STARTING' },
    });
    expect(writes(stack).map((e) => e.rawPath)).toEqual(['/public_api/v1/deployments/f3a4b5c6/start']);
    const seen = await stack.gql('{ deployment(deploymentId: "f3a4b5c6") { status } }');
    expect(['STARTING', 'RUNNING']).toContain(seen.body.data.deployment.status);
    let status = seen.body.data.deployment.status;
    for (let i = 0; i < 100 && status !== 'RUNNING'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await stack.gql('{ deployment(deploymentId: "f3a4b5c6") { status } }')).body.data.deployment
        .status;
    }
    expect(status).toBe('RUNNING');
  });

  it('stops a running deployment and shows STOPPING at once', async () => {
    const { body } = await stack.gql(STOP, { variables: { id: 'a1b2c3d4' } });
    expect(body.data.stopDeployment.deployment).toEqual({ deploymentId: 'a1b2c3d4', status: 'STOPPING' });
  });

  it('refuses a start that the fresh status already makes pointless, without spending quota', async () => {
    stack.sim.requestLog.clear();
    const { body } = await stack.gql(START, { variables: { id: 'e5f6a7b8' } });
    expect(body.data.startDeployment).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(writes(stack)).toHaveLength(0);
  });

  it('refuses start/stop of a Serverless deployment with NOT_SUPPORTED', async () => {
    stack.sim.requestLog.clear();
    const { body } = await stack.gql(STOP, { variables: { id: 'c9d0e1f2' } });
    expect(body.data.stopDeployment).toMatchObject({ code: 'NOT_SUPPORTED' });
    expect(writes(stack)).toHaveLength(0);
  });

  it('answers NOT_FOUND for an unknown deployment without a write', async () => {
    stack.sim.requestLog.clear();
    const { body } = await stack.gql(START, { variables: { id: 'zzzz9999' } });
    expect(body.data.startDeployment).toMatchObject({ code: 'NOT_FOUND' });
    expect(writes(stack)).toHaveLength(0);
  });

  it('maps a platform 422 to UPSTREAM_ERROR and does not retry', async () => {
    stack.sim.requestLog.clear();
    stack.sim.faults.set('platform', { method: 'POST', status: 422, body: '{"code":"INVALID_STATE"}' });
    const { body } = await stack.gql(START, { variables: { id: 'd7e8f9a0' } });
    stack.sim.faults.clear();
    expect(body.data.startDeployment).toMatchObject({
      __typename: 'UpstreamError',
      code: 'UPSTREAM_ERROR',
      upstreamCode: 'INVALID_STATE',
    });
    expect(writes(stack)).toHaveLength(1);
  });

  it('refuses the third start under a quota of 2 with RATE_LIMITED and no upstream call', async () => {
    stack.sim.requestLog.clear();
    const { body } = await stack.gql(START, { variables: { id: 'd7e8f9a0' } });
    expect(body.data.startDeployment).toMatchObject({ __typename: 'RateLimitedError', code: 'RATE_LIMITED' });
    expect(body.data.startDeployment.retryAfterSeconds).toBeGreaterThan(3000);
    expect(writes(stack)).toHaveLength(0);
  });

  it('validates create input before any call', async () => {
    stack.sim.requestLog.clear();
    const bad = [
      { platform: 'oracle', region: 'us-east-1', connections: 1000, deploymentType: 'DEDICATED' },
      { platform: 'aws', region: 'US EAST', connections: 1000, deploymentType: 'DEDICATED' },
      { platform: 'aws', region: 'us-east-1', connections: 10, deploymentType: 'DEDICATED' },
      { platform: 'aws', region: 'us-east-1', connections: 2000, deploymentType: 'SERVERLESS' },
      {
        platform: 'aws',
        region: 'us-east-1',
        connections: 1000,
        deploymentType: 'DEDICATED',
        name: 'x'.repeat(65),
      },
    ];
    for (const input of bad) {
      const { body } = await stack.gql(CREATE, { variables: { input } });
      expect(body.data.createDeployment).toMatchObject({
        __typename: 'BadUserInputError',
        code: 'BAD_USER_INPUT',
      });
      expect(body.data.createDeployment.field).toMatch(/^input/);
    }
    expect(writes(stack)).toHaveLength(0);
  });

  it('creates a deployment shown as PENDING at once, then refuses a second create under a quota of 1', async () => {
    stack.sim.requestLog.clear();
    const input = {
      platform: 'aws',
      region: 'us-east-1',
      connections: 1000,
      deploymentType: 'DEDICATED',
    };
    const { body } = await stack.gql(CREATE, { variables: { input } });
    expect(body.data.createDeployment).toMatchObject({
      __typename: 'CreateDeploymentSuccess',
      deployment: { status: 'PENDING', type: 'DEDICATED', version: 'V5' },
    });
    const sent = writes(stack);
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!.body)).toEqual({
      platform: 'aws',
      region: 'us-east-1',
      connections: 1000,
      deploymentType: 'dedicated',
    });
    const id = body.data.createDeployment.deployment.deploymentId;
    const listed = await stack.gql('query($id: String!) { deployment(deploymentId: $id) { name } }', {
      variables: { id },
    });
    expect(listed.body.data.deployment.name).toBe(`deployment-${id}`);
    const second = await stack.gql(CREATE, { variables: { input } });
    expect(second.body.data.createDeployment).toMatchObject({ code: 'RATE_LIMITED' });
    expect(writes(stack)).toHaveLength(1);
  });
});

describe('lifecycle writes that fail in transit', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      configure: (config) => {
        config.upstream.timeoutMs = 300;
      },
    });
  });
  afterAll(() => stack.close());

  it('answers OUTCOME_UNKNOWN when the platform hangs after the start was sent, with exactly one request', async () => {
    await stack.gql('{ deployments { totalCount } }');
    stack.sim.requestLog.clear();
    stack.sim.faults.set('platform', { method: 'POST', hang: true });
    const { body } = await stack.gql(START, { variables: { id: 'f3a4b5c6' } });
    stack.sim.faults.clear();
    expect(body.data.startDeployment).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(stack.sim.requestLog.entries({ target: 'platform', method: 'POST' })).toHaveLength(1);
  });

  it('answers UPSTREAM_UNAVAILABLE when the platform fails with a 5xx', async () => {
    stack.sim.faults.set('platform', { method: 'POST', status: 503 });
    const { body } = await stack.gql(STOP, { variables: { id: 'a1b2c3d4' } });
    stack.sim.faults.clear();
    expect(body.data.stopDeployment).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('answers UPSTREAM_ERROR when the platform answers outside its documented shape', async () => {
    await stack.gateways[0]!.services.cache.invalidate('deployments:list');
    stack.sim.faults.set('platform', { method: 'GET', status: 200, body: '[{"deploymentID": 42}]' });
    const { body } = await stack.gql('{ deployments { totalCount } }');
    stack.sim.faults.clear();
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstreamCode: 'CONTRACT_MISMATCH',
    });
    expect(stack.logs[0]!.text()).toContain('platform API answered outside its contract');
  });
});

describe('a lifecycle change seen from another replica', () => {
  let redis: TestRedis;
  let stack: Stack;
  beforeAll(async () => {
    redis = await startRedis();
    stack = await startStack({ redisUrl: redis.url });
    await stack.addGateway();
  });
  afterAll(async () => {
    await stack.close();
    await redis.stop();
  });

  it('shows STOPPING on the second replica at once, without asking the platform again', async () => {
    const status = async (gateway: number) =>
      (await stack.gql('{ deployment(deploymentId: "a1b2c3d4") { status } }', { gateway })).body.data
        .deployment.status;
    expect(await status(1)).toBe('RUNNING');
    const { body } = await stack.gql(STOP, { variables: { id: 'a1b2c3d4' }, gateway: 0 });
    expect(body.data.stopDeployment.deployment.status).toBe('STOPPING');
    stack.sim.requestLog.clear();
    expect(await status(1)).toBe('STOPPING');
    expect(stack.sim.requestLog.count({ target: 'platform' })).toBe(0);
  });
});

describe('lifecycle mutations wrote no audit line', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  const auditOf = (operation: string) =>
    stack.logs[0]!.lines.map((l) => JSON.parse(l)).filter((l) => l.audit && l.operation === operation);

  it('start, stop and create each write one line: success, refusal by role, and refused input', async () => {
    await stack.gql(START, { variables: { id: 'f3a4b5c6' } });
    await stack.gql(STOP, { variables: { id: 'a1b2c3d4' }, token: stack.tokens.operator });
    await stack.gql(CREATE, {
      variables: {
        input: { platform: 'aws', region: 'us-east-1', connections: 5, deploymentType: 'DEDICATED' },
      },
    });
    expect(auditOf('startDeployment')).toEqual([
      expect.objectContaining({
        caller: 'admin-key',
        role: 'admin',
        deploymentId: 'f3a4b5c6',
        outcome: 'success',
      }),
    ]);
    expect(auditOf('stopDeployment')).toEqual([
      expect.objectContaining({
        role: 'operator',
        deploymentId: 'a1b2c3d4',
        outcome: 'rejected',
        code: 'FORBIDDEN',
      }),
    ]);
    expect(auditOf('createDeployment')).toEqual([
      expect.objectContaining({ role: 'admin', outcome: 'rejected', code: 'BAD_USER_INPUT' }),
    ]);
    expect(writes(stack)).toHaveLength(1);
  });
});

describe('a start decided on a stale view spent a start call that EMQX refused', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      configure: (config) => {
        config.cache.deploymentsTtlSeconds = 0.05;
      },
    });
  });
  afterAll(() => stack.close());

  it('waits for the fresh list and refuses the start of a running deployment with no write', async () => {
    const source = async () =>
      (await stack.gql('{ deployment(deploymentId: "e5f6a7b8") { status freshness { source } } }')).body.data
        .deployment;
    expect((await source()).status).toBe('RUNNING');
    // A slow platform keeps the expired list stale while its background refresh runs.
    stack.sim.faults.set('platform', { method: 'GET', delayMs: 400 });
    let seen = await source();
    const deadline = Date.now() + 10_000;
    while (seen.freshness.source !== 'STALE' && Date.now() < deadline) seen = await source();
    expect(seen.freshness.source).toBe('STALE');
    stack.sim.requestLog.clear();
    const { body } = await stack.gql(START, { variables: { id: 'e5f6a7b8' } });
    stack.sim.faults.clear();
    expect(body.data.startDeployment).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(writes(stack)).toHaveLength(0);
  });
});
