import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveSubscription, sseSubscribe } from '../../helpers/live.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * deploymentStatusChanges: a startDeployment caller waits for RUNNING without polling, fed by what the shared
 * deployments catalog reads anyway, so listeners add no platform call of their own.
 */

const STOPPED_V4 = 'f3a4b5c6';
const TTL_SECONDS = 1;
const CHANGES = `subscription($id: String) {
  deploymentStatusChanges(deploymentId: $id) { deploymentId status projectName } }`;
const START = `mutation($id: String!) { startDeployment(deploymentId: $id) {
  __typename ... on StartDeploymentSuccess { deployment { status } } ... on Error { code message } } }`;

describe('deploymentStatusChanges', () => {
  let stack: Stack;
  const open: LiveSubscription[] = [];
  const subscribe = async (variables: Record<string, unknown>, token = stack.tokens.viewer, gateway = 0) => {
    const sub = await sseSubscribe(stack.urls[gateway]!, token, CHANGES, variables);
    open.push(sub);
    return sub;
  };
  const statuses = (sub: LiveSubscription) =>
    sub.results.map((r) => r.data?.deploymentStatusChanges?.status ?? r.errors?.[0]?.extensions?.code);
  const platformCalls = (since: number) =>
    stack.sim.requestLog.entries({ target: 'platform' }).filter((entry) => entry.at >= since);

  beforeAll(async () => {
    stack = await startStack({
      simulator: { delays: { startMs: 1500, stopMs: 100, createMs: 100 } },
      configure: (config) => {
        config.cache.deploymentsTtlSeconds = TTL_SECONDS;
      },
    });
  });
  afterAll(async () => {
    for (const sub of open) sub.close();
    await stack?.close();
  });

  it('pushes STARTING then RUNNING after startDeployment, with no platform call beyond the catalog refresh', async () => {
    // Three listeners (one for every deployment): the platform must not hear about any of them.
    const listeners = [
      await subscribe({ id: STOPPED_V4 }),
      await subscribe({ id: STOPPED_V4 }),
      await subscribe({}),
    ];
    const started = Date.now();
    const reply = await stack.gql(START, { variables: { id: STOPPED_V4 }, token: stack.tokens.admin });
    expect(reply.body.data.startDeployment).toEqual({
      __typename: 'StartDeploymentSuccess',
      deployment: { status: 'STARTING' },
    });
    for (const sub of listeners) {
      await sub.waitFor(2, 15_000);
      expect(statuses(sub).slice(0, 2)).toEqual(['STARTING', 'RUNNING']);
      expect(sub.results[1]!.data.deploymentStatusChanges).toEqual({
        deploymentId: STOPPED_V4,
        status: 'RUNNING',
        projectName: 'staging',
      });
    }
    expect(stack.sim.deployment(STOPPED_V4)!.status).toBe('running');
    const elapsedWindows = Math.ceil((Date.now() - started) / (TTL_SECONDS * 1000));
    const calls = platformCalls(started);
    const lists = calls.filter((c) => c.method === 'GET' && c.rawPath.endsWith('/deployments'));
    // The start itself, and list reads at the catalog's own pace (one per TTL window at most, whoever listens).
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(calls.length).toBe(1 + lists.length);
    expect(lists.length).toBeLessThanOrEqual(elapsedWindows + 1);
  });

  it("shows a project-scoped caller only its projects' changes and NOT_FOUND for another project's", async () => {
    const hidden = await subscribe({ id: 'a1b2c3d4' }, stack.tokens.stagingOperator);
    await hidden.done;
    expect(statuses(hidden)).toEqual(['NOT_FOUND']);
  });

  // Bug: at shutdown only MQTT-fed streams were ended; deploymentStatusChanges streams held their connections
  // open until the drain timeout cut them, without telling the caller why.
  it('ends every open stream with UPSTREAM_UNAVAILABLE when the gateway shuts down', async () => {
    const gateway = await stack.addGateway();
    const index = stack.gateways.indexOf(gateway);
    const sub = await subscribe({ id: STOPPED_V4 }, stack.tokens.viewer, index);
    await gateway.close(60_000);
    await sub.done;
    expect(statuses(sub)).toEqual(['UPSTREAM_UNAVAILABLE']);
    stack.gateways.splice(index, 1);
  });
});
