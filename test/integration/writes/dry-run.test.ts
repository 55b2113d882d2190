import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { forgetCachedReads, type Stack, startStack } from '../../helpers/stack.ts';
import { connectDevice, mutate, result, V4, V5 } from '../broker/mutations/helpers.ts';

/**
 * Dry runs (CONTRACT §6) of every mutation the outline lists with `dryRun`, on v5 and, where the write exists
 * there, v4: nothing but reads reaches the simulator (its request log is the oracle: no non-GET request to a
 * deployment, no platform POST), the answer says what the write would do and `dryRun: true`, the audit line
 * says `dryRun`; roles, the broad-write policy, projects and validation still refuse; and a dry run neither
 * counts against the write budget nor takes a platform quota slot.
 */

const STOPPED_V4 = 'f3a4b5c6';
const SERVERLESS = 'c9d0e1f2';
const SUBSCRIBED = 'dry/sub/#';
const RETAINED = 'dry/kept';

let stack: Stack;
const devices = new Map<string, MqttClient>();
const rules = new Map<string, string>();
let dryRuns = 0;
/** Non-GET requests seen right after each dry run (the log is cleared before each test). */
let dryRunWrites = 0;

const deviceOf = (id: string) => `dry-device-${id}`;
const banned = (id: string) => `dry-banned-${id}`;

/** Every request that could have changed something: a non-GET to any target. */
const writes = () => stack.sim.requestLog.entries().filter((e) => e.method !== 'GET');
const reads = (id: string) => stack.sim.requestLog.entries({ target: id, method: 'GET' });
const auditLines = () =>
  stack.logs[0]!.lines.map((line) => JSON.parse(line)).filter((line) => line.audit === true);

/** Runs one dry run as `token` and checks the invariants every dry run shares: no write, an audit line. */
async function dryRun<T = any>(
  operation: string,
  query: string,
  variables: Record<string, unknown>,
  token: string = stack.tokens.operator,
): Promise<T> {
  const answer = await mutate<T & { __typename: string }>(stack, query, variables, token);
  dryRuns++;
  dryRunWrites += writes().length;
  expect(writes()).toEqual([]);
  const line = auditLines().at(-1);
  expect(line).toMatchObject({ operation, dryRun: true });
  // A batch where some items would fail is 'partial', as the write's line would be.
  if (answer.__typename.endsWith('Success')) expect(['success', 'partial']).toContain(line.outcome);
  return answer;
}

const KICK = `mutation($id: String!, $clientId: String!) {
  kickClient(deploymentId: $id, clientId: $clientId, dryRun: true) ${result('KickClientSuccess', 'dryRun clientId wasConnected')}
}`;
const KICKS = `mutation($id: String!, $ids: [String!]!) {
  kickClients(deploymentId: $id, clientIds: $ids, dryRun: true) {
    __typename
    ... on KickClientsSuccess { dryRun results { __typename ... on KickClientSuccess { clientId wasConnected dryRun } ... on Error { code } } }
    ... on Error { code message }
    ... on BadUserInputError { field }
  }
}`;
const CREATE_BAN = `mutation($id: String!, $input: BanInput!, $why: String) {
  createBan(deploymentId: $id, input: $input, dryRun: true, justification: $why) ${result('CreateBanSuccess', 'dryRun ban { kind who by reason until }')}
}`;
const DELETE_BAN = `mutation($id: String!, $who: String!) {
  deleteBan(deploymentId: $id, kind: CLIENT_ID, who: $who, dryRun: true) ${result('DeleteBanSuccess', 'dryRun kind who')}
}`;
const CLEAR_BANS = `mutation($id: String!, $why: String) {
  clearBans(deploymentId: $id, dryRun: true, justification: $why) ${result('ClearBansSuccess', 'dryRun deploymentId bans')}
}`;
const DELETE_RULE = `mutation($id: String!, $rule: String!) {
  deleteRule(deploymentId: $id, id: $rule, dryRun: true) ${result('DeleteRuleSuccess', 'dryRun id')}
}`;
const DELETE_RETAINED = `mutation($id: String!, $topic: String!) {
  deleteRetainedMessage(deploymentId: $id, topic: $topic, dryRun: true) ${result('DeleteRetainedMessageSuccess', 'dryRun topic')}
}`;
const CLEAR_RETAINED = `mutation($id: String!, $why: String) {
  clearRetainedMessages(deploymentId: $id, dryRun: true, justification: $why) ${result('ClearRetainedMessagesSuccess', 'dryRun retainedBefore')}
}`;
const UNSUBSCRIBE = `mutation($id: String!, $clientId: String!, $topic: String!) {
  unsubscribeClient(deploymentId: $id, clientId: $clientId, topic: $topic, dryRun: true) ${result('MqttSubscriptionChange', 'dryRun clientId topic qos')}
}`;
const STOP = `mutation($id: String!) {
  stopDeployment(deploymentId: $id, dryRun: true) ${result('StopDeploymentSuccess', 'dryRun deployment { deploymentId status }')}
}`;

/** What the deployment holds now, read past the gateway's cache (state the dry runs must leave alone). */
async function holdings(id: string) {
  await forgetCachedReads(stack);
  const { body } = await stack.gql(
    `query($id: String!, $client: String!, $rule: String!) { deployment(deploymentId: $id) {
      client(clientId: $client) { connected subscriptions { topic } }
      bans(first: 100) { edges { node { who } } }
      rule(id: $rule) { id }
    } }`,
    { variables: { id, client: deviceOf(id), rule: rules.get(id) } },
  );
  expect(body.errors).toBeUndefined();
  const deployment = body.data.deployment;
  return {
    connected: deployment.client?.connected ?? false,
    subscriptions: (deployment.client?.subscriptions ?? []).map((s: { topic: string }) => s.topic),
    bans: deployment.bans.edges.map((e: { node: { who: string } }) => e.node.who).sort(),
    rule: deployment.rule?.id ?? null,
  };
}

const snapshots = new Map<string, Awaited<ReturnType<typeof holdings>>>();

beforeAll(async () => {
  stack = await startStack();
  for (const id of [V5, V4]) {
    const device = await connectDevice(stack, id, deviceOf(id));
    await device.subscribeAsync(SUBSCRIBED, { qos: 1 });
    await device.publishAsync(`${RETAINED}/${id}`, 'kept', { qos: 1, retain: true });
    devices.set(id, device);
    const ban = await mutate(
      stack,
      `mutation($id: String!, $who: String!) { createBan(deploymentId: $id, input: { kind: CLIENT_ID, who: $who }) { __typename } }`,
      { id, who: banned(id) },
    );
    expect(ban.__typename).toBe('CreateBanSuccess');
    const rule = await mutate(
      stack,
      `mutation($id: String!) { createRule(deploymentId: $id, input: { sql: "SELECT * FROM \\"dry/#\\"", actions: [] }) ${result('CreateRuleSuccess', 'rule { id }')} }`,
      { id },
    );
    expect(rule.__typename, JSON.stringify(rule)).toBe('CreateRuleSuccess');
    rules.set(id, rule.rule.id);
  }
  // A second retained message on v5, so the count a clear previews is not a lucky 1.
  await devices.get(V5)!.publishAsync(`${RETAINED}/second`, 'kept', { qos: 1, retain: true });
  for (const id of [V5, V4]) snapshots.set(id, await holdings(id));
});
afterAll(async () => {
  await Promise.all([...devices.values()].map((device) => device.endAsync(true)));
  console.info(`dry runs: ${dryRuns} answered (v5, v4 and the platform), ${dryRunWrites} writes sent`);
  await stack?.close();
});
beforeEach(() => stack.sim.requestLog.clear());

describe.each([V5, V4])('on %s', (id) => {
  it('kickClient says the client is connected now, and leaves it connected', async () => {
    const answer = await dryRun('kickClient', KICK, { id, clientId: deviceOf(id) });
    expect(answer).toEqual({
      __typename: 'KickClientSuccess',
      dryRun: true,
      clientId: deviceOf(id),
      wasConnected: true,
    });
    expect(reads(id).length).toBeGreaterThan(0);
    expect(devices.get(id)!.connected).toBe(true);
  });

  it('kickClient of a client EMQX does not know is NOT_FOUND, as the kick would be', async () => {
    const answer = await dryRun('kickClient', KICK, { id, clientId: 'nobody-here' });
    expect(answer).toMatchObject({ __typename: 'GatewayError', code: 'NOT_FOUND' });
  });

  it('kickClients says which of the IDs are connected now', async () => {
    const answer = await dryRun('kickClients', KICKS, { id, ids: [deviceOf(id), 'nobody-here'] });
    expect(answer).toEqual({
      __typename: 'KickClientsSuccess',
      dryRun: true,
      results: [
        { __typename: 'KickClientSuccess', clientId: deviceOf(id), wasConnected: true, dryRun: true },
        { __typename: 'GatewayError', code: 'NOT_FOUND' },
      ],
    });
  });

  it('createBan answers the ban it would store, by the caller', async () => {
    const answer = await dryRun('createBan', CREATE_BAN, {
      id,
      input: { kind: 'CLIENT_ID', who: 'would-be-banned', reason: 'dry' },
    });
    expect(answer).toEqual({
      __typename: 'CreateBanSuccess',
      dryRun: true,
      ban: { kind: 'CLIENT_ID', who: 'would-be-banned', by: 'operator-key', reason: 'dry', until: null },
    });
  });

  it('createBan with an expiry answers it as the write would store it', async () => {
    const until = '2099-01-01T00:00:00Z';
    const answer = await dryRun('createBan', CREATE_BAN, {
      id,
      input: { kind: 'USERNAME', who: 'mallory', until },
    });
    expect(answer.ban).toMatchObject({ kind: 'USERNAME', who: 'mallory', reason: null });
    expect(Date.parse(answer.ban.until)).toBe(Date.parse(until));
  });

  it('deleteBan of an existing ban answers it', async () => {
    const answer = await dryRun('deleteBan', DELETE_BAN, { id, who: banned(id) });
    expect(answer).toEqual({
      __typename: 'DeleteBanSuccess',
      dryRun: true,
      kind: 'CLIENT_ID',
      who: banned(id),
    });
  });

  it('deleteRule of an existing rule answers it; an unknown one is NOT_FOUND', async () => {
    const rule = rules.get(id)!;
    expect(await dryRun('deleteRule', DELETE_RULE, { id, rule })).toEqual({
      __typename: 'DeleteRuleSuccess',
      dryRun: true,
      id: rule,
    });
    expect(await dryRun('deleteRule', DELETE_RULE, { id, rule: 'no-such-rule' })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('deleteRetainedMessage answers the topic', async () => {
    expect(
      await dryRun('deleteRetainedMessage', DELETE_RETAINED, { id, topic: `${RETAINED}/${id}` }),
    ).toEqual({
      __typename: 'DeleteRetainedMessageSuccess',
      dryRun: true,
      topic: `${RETAINED}/${id}`,
    });
  });

  it('unsubscribeClient answers the subscription it would remove', async () => {
    expect(
      await dryRun('unsubscribeClient', UNSUBSCRIBE, { id, clientId: deviceOf(id), topic: SUBSCRIBED }),
    ).toEqual({
      __typename: 'MqttSubscriptionChange',
      dryRun: true,
      clientId: deviceOf(id),
      topic: SUBSCRIBED,
      qos: null,
    });
  });

  it('stopDeployment answers the current status (RUNNING), with no platform call but reads', async () => {
    const answer = await dryRun('stopDeployment', STOP, { id }, stack.tokens.admin);
    expect(answer).toEqual({
      __typename: 'StopDeploymentSuccess',
      dryRun: true,
      deployment: { deploymentId: id, status: 'RUNNING' },
    });
    expect(stack.sim.requestLog.entries({ target: 'platform', method: 'POST' })).toEqual([]);
  });

  it('left the client, its subscription, the bans and the rule as they were', async () => {
    expect(await holdings(id)).toEqual(snapshots.get(id));
    expect(snapshots.get(id)).toMatchObject({
      connected: true,
      subscriptions: [SUBSCRIBED],
      rule: rules.get(id),
    });
    expect(snapshots.get(id)!.bans).toContain(banned(id));
  });
});

describe('v5 only', () => {
  it('clearBans (broad: admin with a reason) says how many bans exist now', async () => {
    const answer = await dryRun('clearBans', CLEAR_BANS, { id: V5, why: 'preview' }, stack.tokens.admin);
    expect(answer).toEqual({
      __typename: 'ClearBansSuccess',
      dryRun: true,
      deploymentId: V5,
      bans: snapshots.get(V5)!.bans.length,
    });
    expect(answer.bans).toBeGreaterThan(0);
  });

  it('clearRetainedMessages (broad) says how many messages are retained now', async () => {
    await forgetCachedReads(stack);
    const { body } = await stack.gql(
      `{ deployment(deploymentId: "${V5}") { retainedMessages(first: 100) { totalCount edges { node { topic } } } } }`,
    );
    const retained = body.data.deployment.retainedMessages;
    expect(retained.edges.map((e: any) => e.node.topic)).toEqual(
      expect.arrayContaining([`${RETAINED}/${V5}`, `${RETAINED}/second`]),
    );
    stack.sim.requestLog.clear();
    const answer = await dryRun(
      'clearRetainedMessages',
      CLEAR_RETAINED,
      { id: V5, why: 'preview' },
      stack.tokens.admin,
    );
    expect(answer).toEqual({
      __typename: 'ClearRetainedMessagesSuccess',
      dryRun: true,
      retainedBefore: retained.edges.length,
    });
  });

  it('deleteBan dry run of a ban that does not exist answers NOT_FOUND, as the v5 delete would', async () => {
    expect(await dryRun('deleteBan', DELETE_BAN, { id: V5, who: 'never-banned' })).toMatchObject({
      __typename: 'GatewayError',
      code: 'NOT_FOUND',
    });
  });

  it('deleteRetainedMessage of a topic with nothing retained is NOT_FOUND, as the delete would be', async () => {
    expect(
      await dryRun('deleteRetainedMessage', DELETE_RETAINED, { id: V5, topic: 'dry/nothing' }),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('what the write would refuse, the dry run refuses too', () => {
  it.each([
    ['clearBans', CLEAR_BANS],
    ['clearRetainedMessages', CLEAR_RETAINED],
  ])('%s on v4 is NOT_SUPPORTED', async (operation, query) => {
    const answer = await dryRun(operation, query, { id: V4, why: 'preview' }, stack.tokens.admin);
    expect(answer).toMatchObject({ code: 'NOT_SUPPORTED' });
  });

  it('createBan of a regex on v4 is NOT_SUPPORTED', async () => {
    const answer = await dryRun(
      'createBan',
      CREATE_BAN,
      { id: V4, input: { kind: 'CLIENT_ID_REGEX', who: '^dry' }, why: 'preview' },
      stack.tokens.admin,
    );
    expect(answer).toMatchObject({ code: 'NOT_SUPPORTED' });
  });

  it('stopDeployment of a stopped deployment is BAD_USER_INPUT, of a Serverless one NOT_SUPPORTED', async () => {
    expect(await dryRun('stopDeployment', STOP, { id: STOPPED_V4 }, stack.tokens.admin)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'deploymentId',
    });
    expect(await dryRun('stopDeployment', STOP, { id: SERVERLESS }, stack.tokens.admin)).toMatchObject({
      code: 'NOT_SUPPORTED',
    });
  });
});

describe('a dry run still enforces roles, the broad-write policy, projects and validation', () => {
  const call = async (query: string, variables: Record<string, unknown>, token: string) => {
    const answer = await mutate(stack, query, variables, token);
    expect(stack.sim.requestLog.count()).toBe(0);
    return answer;
  };

  it('roles: a viewer cannot preview a kick, an operator cannot preview a stop', async () => {
    expect(await call(KICK, { id: V5, clientId: deviceOf(V5) }, stack.tokens.viewer)).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await call(STOP, { id: V5 }, stack.tokens.operator)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('broad writes: an operator is FORBIDDEN, an admin without a justification BAD_USER_INPUT', async () => {
    for (const [query, variables] of [
      [CLEAR_BANS, { id: V5 }],
      [CLEAR_RETAINED, { id: V5 }],
      [CREATE_BAN, { id: V5, input: { kind: 'CLIENT_ID_REGEX', who: '.*' } }],
      [CREATE_BAN, { id: V5, input: { kind: 'PEER_HOST_NET', who: '0.0.0.0/0' } }],
    ] as const) {
      expect(await call(query, { ...variables, why: 'I mean it' }, stack.tokens.operator)).toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(await call(query, variables, stack.tokens.admin)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'justification',
      });
    }
  });

  it('a refused dry run’s audit line says dryRun, so it does not read as an attempted write', async () => {
    expect(await call(CLEAR_BANS, { id: V5 }, stack.tokens.admin)).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(auditLines().at(-1)).toMatchObject({ operation: 'clearBans', outcome: 'rejected', dryRun: true });
    expect(await call(KICKS, { id: V5, ids: [] }, stack.tokens.operator)).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect(auditLines().at(-1)).toMatchObject({
      operation: 'kickClients',
      outcome: 'rejected',
      dryRun: true,
    });
  });

  it('projects: a deployment outside the caller’s projects is NOT_FOUND', async () => {
    expect(await call(KICK, { id: V5, clientId: deviceOf(V5) }, stack.tokens.stagingOperator)).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('validation: bad input is BAD_USER_INPUT naming the argument', async () => {
    expect(await call(KICKS, { id: V5, ids: [] }, stack.tokens.operator)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'clientIds',
    });
    expect(
      await call(
        CREATE_BAN,
        { id: V5, input: { kind: 'CLIENT_ID', who: 'x', until: '2001-01-01T00:00:00Z' } },
        stack.tokens.operator,
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.until' });
    expect(
      await call(UNSUBSCRIBE, { id: V5, clientId: deviceOf(V5), topic: 'a/#/b' }, stack.tokens.operator),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'topic',
    });
  });
});

describe('budgets and quotas', () => {
  it('dry runs do not count toward the write budget: 2 × kickClients(100) previews and a publish pass together', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `budget-${i}`);
    const { body } = await stack.gql(
      `mutation($ids: [String!]!) {
        a: kickClients(deploymentId: "${V5}", clientIds: $ids, dryRun: true) { __typename }
        b: kickClients(deploymentId: "${V5}", clientIds: $ids, dryRun: true) { __typename }
        c: publish(deploymentId: "${V5}", input: { topic: "dry/budget", payload: "x" }) { __typename }
      }`,
      { variables: { ids }, token: stack.tokens.operator },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      a: { __typename: 'KickClientsSuccess' },
      b: { __typename: 'KickClientsSuccess' },
      c: { __typename: 'PublishSuccess' },
    });
    // 200 previewed kicks and one publish: the publish is the only write.
    expect(writes().map((w) => w.rawPath)).toEqual(['/api/v5/publish']);
  });
});

describe('a stopDeployment dry run takes no platform quota slot', () => {
  let quotaStack: Stack;
  beforeAll(async () => {
    quotaStack = await startStack({
      configure: (config) => {
        config.platform.quotas = { stopDeployment: { limit: 1, windowSeconds: 3600 } };
      },
    });
  });
  afterAll(() => quotaStack?.close());

  const remaining = async () => {
    const { body } = await quotaStack.gql('{ upstreamQuotas { endpoint remaining } }');
    return body.data.upstreamQuotas.find((q: { endpoint: string }) => q.endpoint === 'stopDeployment')
      .remaining;
  };
  const stop = (id: string, dry: boolean) =>
    mutate(
      quotaStack,
      `mutation($id: String!, $dry: Boolean) { stopDeployment(deploymentId: $id, dryRun: $dry) ${result('StopDeploymentSuccess', 'dryRun deployment { status }')} }`,
      { id, dry },
      quotaStack.tokens.admin,
    );
  const platformWrites = () => quotaStack.sim.requestLog.entries({ target: 'platform', method: 'POST' });

  it('three previews leave the one slot; the real stop takes it; a preview then says RATE_LIMITED', async () => {
    expect(await remaining()).toBe(1);
    for (let i = 0; i < 3; i++) {
      expect(await stop(V5, true)).toEqual({
        __typename: 'StopDeploymentSuccess',
        dryRun: true,
        deployment: { status: 'RUNNING' },
      });
    }
    expect(platformWrites()).toEqual([]);
    expect(await remaining()).toBe(1);
    expect(await stop(V5, false)).toEqual({
      __typename: 'StopDeploymentSuccess',
      dryRun: false,
      deployment: { status: 'STOPPING' },
    });
    expect(platformWrites()).toHaveLength(1);
    expect(await remaining()).toBe(0);
    // The quota is checked (not taken) by a preview: another stop now would be refused, and so is its preview.
    expect(await stop(V4, true)).toMatchObject({ __typename: 'RateLimitedError', code: 'RATE_LIMITED' });
    expect(platformWrites()).toHaveLength(1);
    console.info(
      `stopDeployment: 3 dry runs + 1 stop → ${platformWrites().length} platform POST, quota 1 → 0`,
    );
  });
});
