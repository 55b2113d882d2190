import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../../helpers/stack.ts';
import { connectDevice, connectRefusal, mutate, nextMessage, result, V4, V5, writesTo } from './helpers.ts';

const USER = 'userId isSuperuser';
const CREATE_USER = `mutation($id: String!, $input: AuthnUserInput!) {
  createAuthnUser(deploymentId: $id, input: $input) ${result('CreateAuthnUserSuccess', `user { ${USER} }`)}
}`;
const UPDATE_USER = `mutation($id: String!, $userId: String!, $password: String!, $isSuperuser: Boolean) {
  updateAuthnUser(deploymentId: $id, userId: $userId, password: $password, isSuperuser: $isSuperuser) ${result('UpdateAuthnUserSuccess', `user { ${USER} }`)}
}`;
const DELETE_USER = `mutation($id: String!, $userId: String!) {
  deleteAuthnUser(deploymentId: $id, userId: $userId) ${result('DeleteAuthnUserSuccess', 'userId')}
}`;
const IMPORT = `mutation($id: String!, $users: [AuthnUserInput!]!) {
  importAuthnUsers(deploymentId: $id, users: $users) ${result('ImportAuthnUsersSuccess', 'total success override skipped failed')}
}`;
const SET_RULES = `mutation($id: String!, $kind: AuthzRuleKind!, $who: String, $rules: [AuthzRuleInput!]!, $justification: String) {
  setAuthzRules(deploymentId: $id, kind: $kind, who: $who, rules: $rules, justification: $justification) ${result('SetAuthzRulesSuccess', 'ruleSet { kind who rules { topic permission action qos retain } }')}
}`;
const DELETE_RULES = `mutation($id: String!, $kind: AuthzRuleKind!, $who: String, $justification: String) {
  deleteAuthzRules(deploymentId: $id, kind: $kind, who: $who, justification: $justification) ${result('DeleteAuthzRulesSuccess', 'kind who')}
}`;
const USERS = `query($id: String!) { deployment(deploymentId: $id) { authnUsers(first: 100) { edges { node { userId } } } } }`;

const AUTHN = '/api/v5/authentication/password_based%3Abuilt_in_database';
const AUTHZ = '/api/v5/authorization/sources/built_in_database/rules';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.sim.requestLog.clear());

const sent = (id = V5) =>
  writesTo(stack, id).map((w) => [w.method, w.rawPath, w.query, w.body ? JSON.parse(w.body) : null]);
const login = (username: string, password: string) => ({ username, password });

/** Publishes `topic` then a marker from `publisher`; answers which `listener` got first. */
async function firstHeard(publisher: MqttClient, listener: MqttClient, topic: string) {
  const first = nextMessage(listener);
  await publisher.publishAsync(topic, 'x', { qos: 1 });
  await publisher.publishAsync('auth/marker', 'm', { qos: 1 });
  return (await first).topic;
}

describe('v5 built-in authentication users', () => {
  it('createAuthnUser lets that user CONNECT; a wrong password is refused', async () => {
    const answer = await mutate(stack, CREATE_USER, {
      id: V5,
      input: { userId: 'meter-7', password: 's3cret-one' },
    });
    expect(answer).toEqual({
      __typename: 'CreateAuthnUserSuccess',
      user: { userId: 'meter-7', isSuperuser: false },
    });
    expect(sent()).toEqual([
      ['POST', `${AUTHN}/users`, '', { user_id: 'meter-7', password: 's3cret-one', is_superuser: false }],
    ]);
    expect(await connectRefusal(stack, V5, 'm7', login('meter-7', 's3cret-one'))).toBeNull();
    expect(await connectRefusal(stack, V5, 'm7', login('meter-7', 'wrong'))).toBeInstanceOf(Error);
    const users = (await stack.gql(USERS, { variables: { id: V5 } })).body.data.deployment.authnUsers.edges;
    expect(users.map((e: any) => e.node.userId)).toContain('meter-7');
  });

  it('a duplicate user is an UPSTREAM_ERROR with EMQX’s code', async () => {
    const answer = await mutate(stack, CREATE_USER, { id: V5, input: { userId: 'meter-7', password: 'x' } });
    expect(answer).toMatchObject({
      __typename: 'UpstreamError',
      code: 'UPSTREAM_ERROR',
      upstreamCode: 'ALREADY_EXISTS',
    });
  });

  it('updateAuthnUser changes the password (and the superuser flag)', async () => {
    const answer = await mutate(stack, UPDATE_USER, {
      id: V5,
      userId: 'meter-7',
      password: 's3cret-two',
      isSuperuser: true,
    });
    expect(answer).toEqual({
      __typename: 'UpdateAuthnUserSuccess',
      user: { userId: 'meter-7', isSuperuser: true },
    });
    expect(sent()).toEqual([
      ['PUT', `${AUTHN}/users/meter-7`, '', { password: 's3cret-two', is_superuser: true }],
    ]);
    expect(await connectRefusal(stack, V5, 'm7', login('meter-7', 's3cret-one'))).toBeInstanceOf(Error);
    expect(await connectRefusal(stack, V5, 'm7', login('meter-7', 's3cret-two'))).toBeNull();
    await mutate(stack, UPDATE_USER, {
      id: V5,
      userId: 'meter-7',
      password: 's3cret-two',
      isSuperuser: false,
    });
  });

  it('importAuthnUsers adds several users in one call', async () => {
    const users = [
      { userId: 'bulk-1', password: 'p1' },
      { userId: 'bulk-2', password: 'p2', isSuperuser: true },
    ];
    const answer = await mutate(stack, IMPORT, { id: V5, users });
    expect(answer.__typename).toBe('ImportAuthnUsersSuccess');
    expect(sent()).toEqual([
      [
        'POST',
        `${AUTHN}/import_users`,
        'type=plain',
        [
          { user_id: 'bulk-1', password: 'p1', is_superuser: false },
          { user_id: 'bulk-2', password: 'p2', is_superuser: true },
        ],
      ],
    ]);
    expect(await connectRefusal(stack, V5, 'b1', login('bulk-1', 'p1'))).toBeNull();
    expect(await connectRefusal(stack, V5, 'b2', login('bulk-2', 'p2'))).toBeNull();
  });

  it('deleteAuthnUser refuses that user afterwards; deleting it again is NOT_FOUND', async () => {
    expect(await mutate(stack, DELETE_USER, { id: V5, userId: 'bulk-1' })).toEqual({
      __typename: 'DeleteAuthnUserSuccess',
      userId: 'bulk-1',
    });
    expect(sent()).toEqual([['DELETE', `${AUTHN}/users/bulk-1`, '', null]]);
    expect(await connectRefusal(stack, V5, 'b1', login('bulk-1', 'p1'))).toBeInstanceOf(Error);
    expect(await mutate(stack, DELETE_USER, { id: V5, userId: 'bulk-1' })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('never writes a password to the log or the audit trail', () => {
    const text = stack.logs[0]!.text();
    for (const secret of ['s3cret-one', 's3cret-two', '"p1"', '"p2"']) expect(text).not.toContain(secret);
    const audit = stack.logs[0]!.lines.map((l) => JSON.parse(l)).filter(
      (l) => l.audit && l.operation === 'createAuthnUser',
    );
    expect(audit[0]).toMatchObject({
      caller: 'operator-key',
      role: 'operator',
      deploymentId: V5,
      target: ['meter-7'],
    });
  });
});

describe('v5 built-in authorization rules', () => {
  it('setAuthzRules for a username denies its PUBLISH; deleteAuthzRules allows it again', async () => {
    const listener = await connectDevice(stack, V5, 'authz-listener');
    await listener.subscribeAsync(['locked/#', 'auth/marker'], { qos: 1 });
    const meter = await connectDevice(stack, V5, 'authz-meter', login('meter-7', 's3cret-two'));
    expect(await firstHeard(meter, listener, 'locked/a')).toBe('locked/a');

    const rules = [{ topic: 'locked/#', permission: 'DENY', action: 'PUBLISH' }];
    const answer = await mutate(stack, SET_RULES, { id: V5, kind: 'USERNAME', who: 'meter-7', rules });
    expect(answer).toMatchObject({
      __typename: 'SetAuthzRulesSuccess',
      ruleSet: { kind: 'USERNAME', who: 'meter-7' },
    });
    expect(sent()).toEqual([
      [
        'PUT',
        `${AUTHZ}/users/meter-7`,
        '',
        {
          username: 'meter-7',
          rules: [{ topic: 'locked/#', permission: 'deny', action: 'publish', retain: 'all' }],
        },
      ],
    ]);
    expect(await firstHeard(meter, listener, 'locked/b')).toBe('auth/marker');

    stack.sim.requestLog.clear();
    expect(await mutate(stack, DELETE_RULES, { id: V5, kind: 'USERNAME', who: 'meter-7' })).toEqual({
      __typename: 'DeleteAuthzRulesSuccess',
      kind: 'USERNAME',
      who: 'meter-7',
    });
    expect(sent()).toEqual([['DELETE', `${AUTHZ}/users/meter-7`, '', null]]);
    expect(await firstHeard(meter, listener, 'locked/c')).toBe('locked/c');
    await Promise.all([meter.endAsync(), listener.endAsync()]);
  });

  it('rules for a client ID deny its SUBSCRIBE; rules for ALL apply to everyone', async () => {
    const rules = [{ topic: 'private/#', permission: 'DENY', action: 'SUBSCRIBE', qos: [0, 1, 2] }];
    await mutate(stack, SET_RULES, { id: V5, kind: 'CLIENT_ID', who: 'nosy', rules });
    expect(sent()[0]?.slice(0, 2)).toEqual(['PUT', `${AUTHZ}/clients/nosy`]);
    const nosy = await connectDevice(stack, V5, 'nosy', login('meter-7', 's3cret-two'));
    // SUBACK 0x80: mqtt.js rejects the subscribe.
    await expect(nosy.subscribeAsync('private/x', { qos: 0 })).rejects.toThrow(/Subscribe error/);
    await nosy.endAsync();

    stack.sim.requestLog.clear();
    const all = [{ topic: 'everyone/#', permission: 'DENY', action: 'ALL' }];
    // Rules for everyone are a broad write (CONTRACT §6): an admin's, with a reason.
    const broad = { justification: 'test: rules for ALL' };
    expect(
      await mutate(stack, SET_RULES, { id: V5, kind: 'ALL', rules: all, ...broad }, stack.tokens.admin),
    ).toMatchObject({
      ruleSet: { kind: 'ALL', who: null },
    });
    expect(sent()).toEqual([
      [
        'POST',
        `${AUTHZ}/all`,
        '',
        { rules: [{ topic: 'everyone/#', permission: 'deny', action: 'all', retain: 'all' }] },
      ],
    ]);
    const other = await connectDevice(stack, V5, 'other', login('meter-7', 's3cret-two'));
    await expect(other.subscribeAsync('everyone/x', { qos: 0 })).rejects.toThrow(/Subscribe error/);
    await other.endAsync();
    await mutate(stack, DELETE_RULES, { id: V5, kind: 'ALL', ...broad }, stack.tokens.admin);
    await mutate(stack, DELETE_RULES, { id: V5, kind: 'CLIENT_ID', who: 'nosy' });
    expect(
      sent()
        .slice(-2)
        .map((w) => [w[0], w[1]]),
    ).toEqual([
      ['DELETE', `${AUTHZ}/all`],
      ['DELETE', `${AUTHZ}/clients/nosy`],
    ]);
  });

  it('who is required for USERNAME and CLIENT_ID, and refused for ALL', async () => {
    const rules = [{ topic: 't', permission: 'ALLOW', action: 'ALL' }];
    expect(await mutate(stack, SET_RULES, { id: V5, kind: 'USERNAME', rules })).toMatchObject({
      field: 'who',
    });
    expect(await mutate(stack, SET_RULES, { id: V5, kind: 'ALL', who: 'x', rules })).toMatchObject({
      field: 'who',
    });
    expect(sent()).toEqual([]);
  });
});

it('v4 has neither: every authn and authz mutation is NOT_SUPPORTED and nothing is sent', async () => {
  const calls: Array<[string, Record<string, unknown>]> = [
    [CREATE_USER, { input: { userId: 'u', password: 'p' } }],
    [UPDATE_USER, { userId: 'u', password: 'p' }],
    [DELETE_USER, { userId: 'u' }],
    [IMPORT, { users: [{ userId: 'u', password: 'p' }] }],
    [SET_RULES, { kind: 'USERNAME', who: 'u', rules: [] }],
    [DELETE_RULES, { kind: 'CLIENT_ID', who: 'c' }],
  ];
  for (const [query, variables] of calls) {
    expect(await mutate(stack, query, { id: V4, ...variables })).toMatchObject({ code: 'NOT_SUPPORTED' });
  }
  expect(writesTo(stack, V4)).toEqual([]);
});
