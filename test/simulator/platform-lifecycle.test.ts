import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, createPlatformClient, pollUntil, startTestSimulator } from './platform-helpers.ts';

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

const statusOf = async (id: string) =>
  ((await client.call('GET', `/deployments/${id}`)).json() as { status: string }).status;
const waitForStatus = (id: string, status: string) =>
  pollUntil(
    () => statusOf(id),
    (value) => value === status,
  );

/** Whether the deployment's own API listener answers HTTP at all (a stopped deployment refuses). */
async function brokerApiAnswers(id: string): Promise<boolean> {
  const info = ctx.sim.deployment(id)!;
  try {
    const response = await request(`${info.apiUrl}/nodes`, {
      headers: { authorization: basic(info.appId, info.appSecret) },
    });
    await response.body.dump();
    return true;
  } catch {
    return false;
  }
}

describe('start and stop', () => {
  it('starts a stopped deployment: 201 starting, then running, with its broker up', async () => {
    expect(await brokerApiAnswers('f3a4b5c6')).toBe(false);
    const response = await client.call('POST', '/deployments/f3a4b5c6/start');
    expect(response.status).toBe(201);
    expect(response.json()).toStrictEqual({
      deploymentID: 'f3a4b5c6',
      deploymentName: 'analytics-v4',
      operation: 'starting',
    });
    await waitForStatus('f3a4b5c6', 'running');
    expect(ctx.brokers.isRunning('f3a4b5c6')).toBe(true);
    expect(await brokerApiAnswers('f3a4b5c6')).toBe(true);
  });

  it('stops a running deployment: 201 stopping, its API gone, then stopped', async () => {
    expect(await brokerApiAnswers('e5f6a7b8')).toBe(true);
    const response = await client.call('POST', '/deployments/e5f6a7b8/stop');
    expect(response.status).toBe(201);
    expect(response.json()).toStrictEqual({
      deploymentID: 'e5f6a7b8',
      deploymentName: 'legacy-v4',
      operation: 'stopping',
    });
    await waitForStatus('e5f6a7b8', 'stopped');
    expect(ctx.brokers.isRunning('e5f6a7b8')).toBe(false);
    expect(await brokerApiAnswers('e5f6a7b8')).toBe(false);
  });

  it('starts a dedicatedFlex deployment too', async () => {
    expect((await client.call('POST', '/deployments/d7e8f9a0/start')).status).toBe(201);
    await waitForStatus('d7e8f9a0', 'running');
  });
});

describe('refusals', () => {
  const cases: [string, string, string, number][] = [
    ['start of a running deployment', 'running', 'start', 422],
    ['stop of a stopped deployment', 'stopped', 'stop', 422],
    ['start while starting', 'starting', 'start', 422],
    ['stop while starting', 'starting', 'stop', 422],
    ['start while stopping', 'stopping', 'start', 422],
    ['stop while pending', 'pending', 'stop', 422],
    ['start of a failed deployment', 'failed', 'start', 422],
  ];
  it.each(cases)('answers 422 to %s', async (_name, status, action, expected) => {
    await ctx.sim.setStatus('a1b2c3d4', status);
    expect((await client.call('POST', `/deployments/a1b2c3d4/${action}`)).status).toBe(expected);
    expect(await statusOf('a1b2c3d4')).toBe(status);
  });

  it.each([['start'], ['stop']])(
    'answers 422 to %s of a serverless deployment (dedicated only)',
    async (action) => {
      await ctx.sim.setStatus('c9d0e1f2', action === 'start' ? 'stopped' : 'running');
      expect((await client.call('POST', `/deployments/c9d0e1f2/${action}`)).status).toBe(422);
    },
  );

  it.each([['start'], ['stop']])('answers 404 to %s of an unknown deployment', async (action) => {
    expect((await client.call('POST', `/deployments/zz99zz99/${action}`)).status).toBe(404);
  });
});

describe('setStatus', () => {
  it('forces a state and brings the broker and its API up or down to match', async () => {
    await ctx.sim.setStatus('a1b2c3d4', 'stopped');
    expect(ctx.brokers.isRunning('a1b2c3d4')).toBe(false);
    expect(await brokerApiAnswers('a1b2c3d4')).toBe(false);
    await ctx.sim.setStatus('a1b2c3d4', 'running');
    expect(ctx.brokers.isRunning('a1b2c3d4')).toBe(true);
    expect(await brokerApiAnswers('a1b2c3d4')).toBe(true);
    expect(ctx.sim.deployment('a1b2c3d4')?.status).toBe('running');
  });

  it('is not overwritten by the transition it interrupted', async () => {
    await ctx.sim.setStatus('f3a4b5c6', 'stopped');
    await ctx.sim.setStatus('d7e8f9a0', 'stopped');
    expect((await client.call('POST', '/deployments/f3a4b5c6/start')).status).toBe(201);
    await ctx.sim.setStatus('f3a4b5c6', 'stopped');
    // Same delay, scheduled later: once this one has finished, the interrupted one would have too.
    expect((await client.call('POST', '/deployments/d7e8f9a0/start')).status).toBe(201);
    await waitForStatus('d7e8f9a0', 'running');
    expect(await statusOf('f3a4b5c6')).toBe('stopped');
    expect(ctx.brokers.isRunning('f3a4b5c6')).toBe(false);
  });

  it('can set a status the gateway does not know', async () => {
    await ctx.sim.setStatus('d7e8f9a0', 'migrating');
    expect(await statusOf('d7e8f9a0')).toBe('migrating');
  });
});
