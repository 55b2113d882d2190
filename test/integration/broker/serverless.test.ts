import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * Serverless deployments expose only clients, subscriptions and publish; the gateway refuses the rest with
 * NOT_SUPPORTED before any call, instead of passing EMQX's 404 on as an upstream error.
 */
describe('a Serverless deployment', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  const brokerCalls = () => stack.sim.requestLog.count({ target: 'c9d0e1f2' });

  it('answers NOT_SUPPORTED for stats, rules, bans and retained with no broker call, and serves clients', async () => {
    await stack.gql('{ deployments { totalCount } }');
    stack.sim.requestLog.clear();
    const { body } = await stack.gql(`{ deployment(deploymentId: "c9d0e1f2") {
      stats { connections }
      rules(first: 5) { totalCount }
      bans(first: 5) { totalCount }
      retainedMessages(first: 5) { totalCount }
    } }`);
    const codes = Object.fromEntries(body.errors!.map((e: any) => [e.path.at(-1), e.extensions.code]));
    expect(codes).toEqual({
      stats: 'NOT_SUPPORTED',
      rules: 'NOT_SUPPORTED',
      bans: 'NOT_SUPPORTED',
      retainedMessages: 'NOT_SUPPORTED',
    });
    expect(brokerCalls()).toBe(0);

    const clients = await stack.gql(
      '{ deployment(deploymentId: "c9d0e1f2") { clients(first: 5) { totalCount } } }',
    );
    expect(clients.body.errors).toBeUndefined();
    expect(clients.body.data.deployment.clients.totalCount).toBe(0);
    expect(brokerCalls()).toBe(1);
  });

  it('refuses a ban mutation with NOT_SUPPORTED and no call', async () => {
    stack.sim.requestLog.clear();
    const { body } = await stack.gql(
      `mutation { createBan(deploymentId: "c9d0e1f2", input: { kind: CLIENT_ID, who: "dev-1" }) {
        __typename ... on Error { code }
      } }`,
      { token: stack.tokens.operator },
    );
    expect(body.data.createBan).toMatchObject({ code: 'NOT_SUPPORTED' });
    expect(brokerCalls()).toBe(0);
  });
});
