import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../../helpers/stack.ts';
import { connectDevice, mutate, result, V4, V5, writesTo } from './helpers.ts';

/**
 * The two deployment-wide wipes (seed 004): `clearRetainedMessages` and `clearAuthzRules`. Both are broad
 * writes (an admin with a justification; the refusals are in test/integration/writes/broad.test.ts); here the
 * exact request EMQX gets and the effect a real client sees, and NOT_SUPPORTED on v4 with no call.
 */

const CLEAR_RETAINED = `mutation($id: String!, $dryRun: Boolean) {
  clearRetainedMessages(deploymentId: $id, dryRun: $dryRun, justification: "maintenance window")
    ${result('ClearRetainedMessagesSuccess', 'retainedBefore dryRun')}
}`;
const CLEAR_AUTHZ = `mutation($id: String!) {
  clearAuthzRules(deploymentId: $id, justification: "reset before re-import")
    ${result('ClearAuthzRulesSuccess', 'deploymentId')}
}`;
const RETAINED = `query($id: String!) { deployment(deploymentId: $id) { retainedMessages(first: 50) { totalCount } } }`;
const RULES = `query($id: String!) { deployment(deploymentId: $id) { authzRules(kind: USERNAME, first: 50) { edges { node { who } } } } }`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.sim.requestLog.clear());

const admin = <T = any>(query: string, variables: Record<string, unknown>) =>
  mutate<T>(stack, query, variables, stack.tokens.admin);

describe('clearRetainedMessages', () => {
  it('sends DELETE /api/v5/mqtt/retainer/messages once; a new subscriber then gets no retained message', async () => {
    const device = await connectDevice(stack, V5, 'retainer-1');
    for (const n of [1, 2, 3])
      await device.publishAsync(`clear/retained/${n}`, `v${n}`, { retain: true, qos: 1 });
    await device.endAsync();
    const before = await stack.gql(RETAINED, { variables: { id: V5 } });
    expect(before.body.data.deployment.retainedMessages.totalCount).toBeGreaterThanOrEqual(3);

    const preview = await admin(CLEAR_RETAINED, { id: V5, dryRun: true });
    expect(preview).toEqual({
      __typename: 'ClearRetainedMessagesSuccess',
      retainedBefore: before.body.data.deployment.retainedMessages.totalCount,
      dryRun: true,
    });
    expect(writesTo(stack, V5)).toEqual([]);

    const answer = await admin(CLEAR_RETAINED, { id: V5 });
    expect(answer).toEqual({
      __typename: 'ClearRetainedMessagesSuccess',
      retainedBefore: null,
      dryRun: false,
    });
    expect(writesTo(stack, V5).map((e) => `${e.method} ${e.rawPath}`)).toEqual([
      'DELETE /api/v5/mqtt/retainer/messages',
    ]);
    const after = await stack.gql(RETAINED, { variables: { id: V5 } });
    expect(after.body.data.deployment.retainedMessages.totalCount).toBe(0);

    // The effect as a device sees it: subscribing to the topics delivers nothing retained.
    const subscriber = await connectDevice(stack, V5, 'retainer-2');
    const received: string[] = [];
    subscriber.on('message', (topic) => received.push(topic));
    await subscriber.subscribeAsync('clear/retained/#', { qos: 1 });
    // A marker published after the subscription arrives after any retained message would have.
    const marker = new Promise<void>((resolve) =>
      subscriber.on('message', (topic) => topic === 'clear/retained/marker' && resolve()),
    );
    await subscriber.publishAsync('clear/retained/marker', 'm', { qos: 1 });
    await marker;
    await subscriber.endAsync();
    expect(received).toEqual(['clear/retained/marker']);
  });

  it('is NOT_SUPPORTED on v4, with no call', async () => {
    expect(await admin(CLEAR_RETAINED, { id: V4 })).toMatchObject({ code: 'NOT_SUPPORTED' });
    expect(writesTo(stack, V4)).toEqual([]);
  });
});

describe('clearAuthzRules', () => {
  it('sends DELETE …/built_in_database/rules once; every username rule is gone', async () => {
    for (const who of ['wipe-a', 'wipe-b']) {
      await mutate(
        stack,
        `mutation { setAuthzRules(deploymentId: "${V5}", kind: USERNAME, who: "${who}", rules: [{ topic: "t/#", permission: ALLOW, action: ALL }]) { __typename } }`,
      );
    }
    const before = await stack.gql(RULES, { variables: { id: V5 } });
    expect(before.body.data.deployment.authzRules.edges.map((e: any) => e.node.who)).toEqual(
      expect.arrayContaining(['wipe-a', 'wipe-b']),
    );
    stack.sim.requestLog.clear();

    expect(await admin(CLEAR_AUTHZ, { id: V5 })).toEqual({
      __typename: 'ClearAuthzRulesSuccess',
      deploymentId: V5,
    });
    expect(writesTo(stack, V5).map((e) => `${e.method} ${e.rawPath}`)).toEqual([
      'DELETE /api/v5/authorization/sources/built_in_database/rules',
    ]);
    const after = await stack.gql(RULES, { variables: { id: V5 } });
    expect(after.body.data.deployment.authzRules.edges).toEqual([]);
  });

  it('is NOT_SUPPORTED on v4, with no call', async () => {
    expect(await admin(CLEAR_AUTHZ, { id: V4 })).toMatchObject({ code: 'NOT_SUPPORTED' });
    expect(writesTo(stack, V4)).toEqual([]);
  });
});
