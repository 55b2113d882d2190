import { readFileSync } from 'node:fs';
import { buildSchema, GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchSchema } from '../helpers/schema-calls.ts';
import { type Stack, startStack } from '../helpers/stack.ts';
import { closeOf, connectDevice, mutate, result, V4, V5 } from './broker/mutations/helpers.ts';

/**
 * Regression tests for a schema that promised what it could not do (issue "Trust what is there", item 6):
 * each is named after the bug it pins.
 */

const SERVERLESS = 'c9d0e1f2';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.sim.requestLog.clear());

describe('the topic-subscription type no longer poses as the root subscription type', () => {
  it('the printed SDL builds and its topic subscriptions are MqttSubscription, not the root Subscription', () => {
    const schema = buildSchema(readFileSync('schema/schema.graphql', 'utf8'));
    expect(schema.getSubscriptionType()?.name).not.toBe('MqttSubscription');
    const mqttSubscription = schema.getType('MqttSubscription') as GraphQLObjectType;
    expect(Object.keys(mqttSubscription.getFields())).toEqual(
      expect.arrayContaining(['clientId', 'topic', 'qos', 'node', 'shareGroup']),
    );
    for (const name of ['MqttSubscriptionConnection', 'MqttSubscriptionEdge', 'MqttSubscriptionFilter']) {
      expect(schema.getType(name), name).toBeDefined();
    }
    // A type named Subscription is only ever the root subscription type.
    const named = schema.getType('Subscription');
    if (named) expect(schema.getSubscriptionType()).toBe(named);
  });
});

describe('broker lists that page forward only do not offer backward paging', () => {
  it('no broker connection on Deployment takes last or before; the deployments list still does', async () => {
    const schema = await fetchSchema(stack);
    const fields = (schema.getType('Deployment') as GraphQLObjectType).getFields();
    const onDeployment = Object.values(fields).filter((f) => String(f.type).endsWith('Connection'));
    expect(onDeployment.map((f) => f.name)).toEqual(
      expect.arrayContaining(['clients', 'subscriptions', 'rules', 'bans', 'retainedMessages', 'routes']),
    );
    // Every broker connection anywhere in the schema (also a client's session queues), not only Deployment's.
    const connections = Object.values(schema.getTypeMap())
      .filter(
        (type): type is GraphQLObjectType => type instanceof GraphQLObjectType && !type.name.startsWith('__'),
      )
      .filter((type) => type !== schema.getQueryType())
      .flatMap((type) => Object.values(type.getFields()).map((field) => ({ type, field })))
      .filter(({ field }) => String(field.type).endsWith('Connection'));
    expect(connections.map(({ field }) => field.name)).toEqual(
      expect.arrayContaining(['mqueueMessages', 'inflightMessages']),
    );
    for (const { type, field } of connections) {
      const args = field.args.map((a) => a.name);
      const name = `${type.name}.${field.name}`;
      expect(args, name).toEqual(expect.arrayContaining(['first', 'after']));
      expect(args, name).not.toContain('last');
      expect(args, name).not.toContain('before');
    }
    const deployments = schema.getQueryType()?.getFields().deployments;
    expect(deployments?.args.map((a) => a.name)).toEqual(expect.arrayContaining(['last', 'before']));
  });
});

describe('ClientFilter.connState was a free string that accepted three values', () => {
  it('is an enum: DISCONNECTED finds a lingering persistent session, a free string is refused before any call', async () => {
    const device = await connectDevice(stack, V5, 'conn-state-session', { clean: false });
    const closed = closeOf(device);
    await device.endAsync();
    await closed;
    const query = (state: string) => `{ deployment(deploymentId: "${V5}") {
      clients(first: 10, filter: { connState: ${state} }) { edges { node { clientId connected } } } } }`;
    const { body } = await stack.gql(query('DISCONNECTED'), { token: stack.tokens.viewer });
    expect(body.errors).toBeUndefined();
    expect(body.data.deployment.clients.edges.map((e: any) => e.node)).toContainEqual({
      clientId: 'conn-state-session',
      connected: false,
    });
    stack.sim.requestLog.clear();
    const refused = await stack.gql(query('"connected"'), { token: stack.tokens.viewer });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(stack.sim.requestLog.count()).toBe(0);
  });
});

describe('setAuthzRules echoed its input, not what authzRules reads back', () => {
  const SET = `mutation($rules: [AuthzRuleInput!]!) {
    setAuthzRules(deploymentId: "${V5}", kind: USERNAME, who: "echo-user", rules: $rules)
      ${result('SetAuthzRulesSuccess', 'ruleSet { who rules { topic permission action qos retain } }')}
  }`;
  const READ = `{ deployment(deploymentId: "${V5}") {
    authzRules(kind: USERNAME, first: 50) { edges { node { who rules { topic permission action qos retain } } } } } }`;

  it('the echo of rules left without qos and retain equals the stored rules read back', async () => {
    const rules = [
      { topic: 'echo/a/#', permission: 'DENY', action: 'PUBLISH' },
      { topic: 'echo/b', permission: 'ALLOW', action: 'ALL', qos: [1], retain: true },
    ];
    const answer = await mutate(stack, SET, { rules });
    expect(answer.ruleSet.rules).toEqual([
      { topic: 'echo/a/#', permission: 'DENY', action: 'PUBLISH', qos: [0, 1, 2], retain: null },
      { topic: 'echo/b', permission: 'ALLOW', action: 'ALL', qos: [1], retain: true },
    ]);
    const { body } = await stack.gql(READ, { token: stack.tokens.viewer });
    const stored = body.data.deployment.authzRules.edges.find((e: any) => e.node.who === 'echo-user');
    expect(stored.node.rules).toEqual(answer.ruleSet.rules);
  });
});

describe('kickClient said wasConnected: true for a disconnected persistent session', () => {
  const KICK = `mutation($id: String!, $clientId: String!) {
    kickClient(deploymentId: $id, clientId: $clientId) ${result('KickClientSuccess', 'clientId wasConnected')}
  }`;

  it.each([V5, V4])('on %s a lingering session says false, a live client true', async (id) => {
    const lingering = await connectDevice(stack, id, `gone-${id}`, { clean: false });
    const closed = closeOf(lingering);
    await lingering.endAsync();
    await closed;
    const answer = await mutate(stack, KICK, { id, clientId: `gone-${id}` });
    if (answer.__typename === 'KickClientSuccess') {
      expect(answer).toMatchObject({ wasConnected: false });
    } else {
      // v4 refuses to kick a session without a connection; either way it must not claim a connection.
      expect(answer.code).toBe('NOT_FOUND');
    }

    const live = await connectDevice(stack, id, `live-${id}`);
    const liveClosed = closeOf(live);
    expect(await mutate(stack, KICK, { id, clientId: `live-${id}` })).toMatchObject({ wasConnected: true });
    await liveClosed;
  });
});

describe('Serverless refusals named internal methods ("The listRules API")', () => {
  it('names the feature in user words', async () => {
    const { body } = await stack.gql(`{ deployment(deploymentId: "${SERVERLESS}") {
      rules(first: 5) { totalCount } bans(first: 5) { totalCount } stats { connections } } }`);
    const messages = body.errors!.map((e: any) => e.message as string);
    expect(messages).toHaveLength(3);
    for (const message of messages) {
      expect(message).toMatch(/not available on EMQX Cloud Serverless/);
      expect(message).not.toMatch(/\b(list|get)[A-Z]\w+|\bAPI\b/);
    }
    expect(messages.join(' ')).toMatch(/rule engine/);
  });
});

describe('platform was "aws" in a create result and "AWS" in the list', () => {
  const CREATE = `mutation { createDeployment(input: {
      platform: "aws", region: "us-east-1", connections: 1000, deploymentType: DEDICATED }) {
    __typename ... on CreateDeploymentSuccess { deployment { deploymentId platform } } ... on Error { code message } } }`;

  it('a created deployment is spelled as the list spells it', async () => {
    const { body } = await stack.gql(CREATE);
    const created = body.data.createDeployment.deployment;
    expect(created.platform).toBe('AWS');
    const listed = await stack.gql(`{ deployments(first: 50) { edges { node { deploymentId platform } } } }`);
    const awsInList = listed.body.data.deployments.edges
      .map((e: any) => e.node)
      .filter((d: any) => d.platform.toLowerCase() === 'aws');
    expect(awsInList.length).toBeGreaterThan(0);
    expect(new Set(awsInList.map((d: any) => d.platform))).toEqual(new Set([created.platform]));
  });
});
