import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../../helpers/stack.ts';
import { connectDevice, mutate, result, V4, V5, writesTo } from './helpers.ts';

/**
 * Maintenance writes through GraphQL: clearing authorization caches, v4 plugins, testing a stored rule. The
 * simulator's request log shows exactly what was sent; real MQTT clients show the effect.
 */

const CLEAR_CACHE = `mutation($id: String!, $clientId: String) {
  clearAuthorizationCache(deploymentId: $id, clientId: $clientId) ${result('ClearAuthorizationCacheSuccess', 'clientId')}
}`;
const SET_RULES = `mutation($id: String!, $who: String, $rules: [AuthzRuleInput!]!) {
  setAuthzRules(deploymentId: $id, kind: CLIENT_ID, who: $who, rules: $rules) { __typename }
}`;
const DELETE_RULES = `mutation($id: String!, $who: String) {
  deleteAuthzRules(deploymentId: $id, kind: CLIENT_ID, who: $who) { __typename }
}`;
const SET_PLUGIN = `mutation($id: String!, $node: String!, $plugin: String!, $enabled: Boolean!) {
  setPluginEnabled(deploymentId: $id, node: $node, plugin: $plugin, enabled: $enabled)
    ${result('SetPluginEnabledSuccess', 'change { node plugin enabled changed }')}
}`;
const RELOAD_PLUGIN = `mutation($id: String!, $node: String!, $plugin: String!) {
  reloadPlugin(deploymentId: $id, node: $node, plugin: $plugin) ${result('ReloadPluginSuccess', 'change { plugin changed }')}
}`;
const TEST_RULE = `mutation($id: String!, $ruleId: String!, $message: RuleTestInput!) {
  testRule(deploymentId: $id, id: $ruleId, message: $message) ${result('TestRuleSuccess', 'matched output')}
}`;

let stack: Stack;
const devices: MqttClient[] = [];
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await Promise.all(devices.map((d) => d.endAsync(true)));
  await stack?.close();
});
beforeEach(() => stack.sim.requestLog.clear());

const device = async (id: string, clientId: string) => {
  const client = await connectDevice(stack, id, clientId);
  devices.push(client);
  return client;
};

/** `METHOD path` and the JSON body of every write the deployment got. */
const sent = (id: string) =>
  writesTo(stack, id).map((w) => [`${w.method} ${w.rawPath}`, w.body ? JSON.parse(w.body) : null]);

const nodeOf = async (id: string): Promise<string> =>
  (await stack.gql(`{ deployment(deploymentId: "${id}") { nodes { name } } }`)).body.data.deployment.nodes[0]
    .name;

describe('clearAuthorizationCache', () => {
  /** Publishes to gate/1 then a marker; whether the gate message reached the watcher first. */
  async function gatePasses(publisher: MqttClient, watcher: MqttClient): Promise<boolean> {
    const topics: string[] = [];
    const markerSeen = new Promise<void>((resolve) => {
      const onMessage = (topic: string) => {
        topics.push(topic);
        if (topic !== 'marker/1') return;
        watcher.off('message', onMessage);
        resolve();
      };
      watcher.on('message', onMessage);
    });
    await publisher.publishAsync('gate/1', 'through', { qos: 1 });
    await publisher.publishAsync('marker/1', 'after', { qos: 1 });
    await markerSeen;
    return topics.includes('gate/1');
  }

  it('v5: a new deny rule reaches a connected client only once its cache is cleared', async () => {
    const watcher = await device(V5, 'gate-watch');
    await watcher.subscribeAsync(['gate/#', 'marker/#'], { qos: 1 });
    const publisher = await device(V5, 'gate-pub');
    expect(await gatePasses(publisher, watcher)).toBe(true);
    const deny = [{ topic: 'gate/#', permission: 'DENY', action: 'PUBLISH' }];
    await mutate(stack, SET_RULES, { id: V5, who: 'gate-pub', rules: deny });
    expect(await gatePasses(publisher, watcher)).toBe(true);
    stack.sim.requestLog.clear();

    expect(await mutate(stack, CLEAR_CACHE, { id: V5, clientId: 'gate-pub' })).toEqual({
      __typename: 'ClearAuthorizationCacheSuccess',
      clientId: 'gate-pub',
    });
    expect(sent(V5)).toEqual([['DELETE /api/v5/clients/gate-pub/authorization/cache', null]]);
    expect(await gatePasses(publisher, watcher)).toBe(false);

    await mutate(stack, DELETE_RULES, { id: V5, who: 'gate-pub' });
    expect(await gatePasses(publisher, watcher)).toBe(false);
    stack.sim.requestLog.clear();
    expect(await mutate(stack, CLEAR_CACHE, { id: V5 })).toEqual({
      __typename: 'ClearAuthorizationCacheSuccess',
      clientId: null,
    });
    expect(sent(V5)).toEqual([['DELETE /api/v5/authorization/cache', null]]);
    expect(await gatePasses(publisher, watcher)).toBe(true);
  });

  it('v4: DELETE /clients/{clientid}/acl_cache and the cluster-wide DELETE /acl-cache', async () => {
    const client = await device(V4, 'acl-1');
    await client.publishAsync('acl/1', 'x', { qos: 1 });
    expect((await mutate(stack, CLEAR_CACHE, { id: V4, clientId: 'acl-1' })).__typename).toBe(
      'ClearAuthorizationCacheSuccess',
    );
    expect((await mutate(stack, CLEAR_CACHE, { id: V4 })).clientId).toBeNull();
    expect(sent(V4)).toEqual([
      ['DELETE /api/v4/clients/acl-1/acl_cache', null],
      ['DELETE /api/v4/acl-cache', null],
    ]);
  });

  it.each([
    ['v4', V4],
    ['v5', V5],
  ])('%s: a client that is not connected is NOT_FOUND', async (_version, id) => {
    expect(await mutate(stack, CLEAR_CACHE, { id, clientId: 'nobody-here' })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuses a bad client ID and a viewer without any call', async () => {
    expect(await mutate(stack, CLEAR_CACHE, { id: V5, clientId: '..' })).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    const viewer = await mutate(stack, CLEAR_CACHE, { id: V5 }, stack.tokens.viewer);
    expect(viewer).toMatchObject({ __typename: 'GatewayError', code: 'FORBIDDEN' });
    expect(sent(V5)).toEqual([]);
  });
});

describe('setPluginEnabled and reloadPlugin (v4)', () => {
  const RULES = `{ deployment(deploymentId: "${V4}") { rules { totalCount } } }`;
  const PLUGINS = `{ deployment(deploymentId: "${V4}") { plugins { name enabled } } }`;
  const ruleEngineEnabled = async () =>
    (await stack.gql(PLUGINS)).body.data.deployment.plugins.find(
      (p: { name: string }) => p.name === 'emqx_rule_engine',
    ).enabled;

  it('unloads and loads a plugin on a node, with the effect on its API and the plugin list', async () => {
    const node = await nodeOf(V4);
    expect(await ruleEngineEnabled()).toBe(true);
    const operator = stack.tokens.operator;
    const off = await mutate(
      stack,
      SET_PLUGIN,
      { id: V4, node, plugin: 'emqx_rule_engine', enabled: false },
      operator,
    );
    expect(off).toEqual({
      __typename: 'SetPluginEnabledSuccess',
      change: { node, plugin: 'emqx_rule_engine', enabled: false, changed: true },
    });
    expect(await ruleEngineEnabled()).toBe(false);
    expect((await stack.gql(RULES)).body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');

    const again = await mutate(
      stack,
      SET_PLUGIN,
      { id: V4, node, plugin: 'emqx_rule_engine', enabled: false },
      operator,
    );
    expect(again.change.changed).toBe(false);
    const on = await mutate(
      stack,
      SET_PLUGIN,
      { id: V4, node, plugin: 'emqx_rule_engine', enabled: true },
      operator,
    );
    expect(on.change).toMatchObject({ enabled: true, changed: true });
    expect((await stack.gql(RULES)).body.data.deployment.rules.totalCount).toBeGreaterThanOrEqual(0);
    expect(sent(V4)).toEqual([
      [`PUT /api/v4/nodes/${node}/plugins/emqx_rule_engine/unload`, null],
      [`PUT /api/v4/nodes/${node}/plugins/emqx_rule_engine/unload`, null],
      [`PUT /api/v4/nodes/${node}/plugins/emqx_rule_engine/load`, null],
    ]);
  });

  it('reloads a plugin', async () => {
    const node = await nodeOf(V4);
    const reloaded = await mutate(
      stack,
      RELOAD_PLUGIN,
      { id: V4, node, plugin: 'emqx_web_hook' },
      stack.tokens.operator,
    );
    expect(reloaded).toEqual({
      __typename: 'ReloadPluginSuccess',
      change: { plugin: 'emqx_web_hook', changed: true },
    });
    expect(sent(V4)).toEqual([[`PUT /api/v4/nodes/${node}/plugins/emqx_web_hook/reload`, null]]);
  });

  it('an unknown plugin or node is NOT_FOUND; v5 is NOT_SUPPORTED', async () => {
    const node = await nodeOf(V4);
    const operator = stack.tokens.operator;
    for (const args of [
      { node, plugin: 'emqx_no_such_plugin' },
      { node, plugin: 'emqx' },
      { node: 'emqx@10.9.9.9', plugin: 'emqx_web_hook' },
    ]) {
      expect(await mutate(stack, RELOAD_PLUGIN, { id: V4, ...args }, operator)).toMatchObject({
        code: 'NOT_FOUND',
      });
    }
    const v5 = await mutate(
      stack,
      RELOAD_PLUGIN,
      { id: V5, node: await nodeOf(V5), plugin: 'emqx_web_hook' },
      operator,
    );
    expect(v5).toMatchObject({ code: 'NOT_SUPPORTED' });
    expect(sent(V5)).toEqual([]);
  });

  it('needs the operator role and a well-formed node, before any call', async () => {
    const node = await nodeOf(V4);
    const args = { id: V4, node, plugin: 'emqx_web_hook', enabled: false };
    const viewer = await mutate(stack, SET_PLUGIN, args, stack.tokens.viewer);
    expect(viewer).toMatchObject({ __typename: 'GatewayError', code: 'FORBIDDEN' });
    const bad = await mutate(
      stack,
      SET_PLUGIN,
      { id: V4, node: '../x', plugin: 'emqx_web_hook', enabled: true },
      stack.tokens.operator,
    );
    expect(bad).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(sent(V4)).toEqual([]);
  });
});

describe('testRule (v5 POST /rules/{id}/test)', () => {
  it('runs the stored rule against a sample, sending only the test', async () => {
    const created = await mutate(
      stack,
      `mutation { createRule(deploymentId: "${V5}", id: "temp_alert", input: {
        sql: "SELECT payload.t AS t FROM \\"sensors/#\\" WHERE payload.t > 30", actions: [] }) { __typename } }`,
    );
    expect(created.__typename).toBe('CreateRuleSuccess');
    stack.sim.requestLog.clear();
    const hot = await mutate(stack, TEST_RULE, {
      id: V5,
      ruleId: 'temp_alert',
      message: { topic: 'sensors/1', payload: '{"t": 35}', clientId: 'probe' },
    });
    expect(hot).toEqual({ __typename: 'TestRuleSuccess', matched: true, output: { t: 35 } });
    const cold = await mutate(stack, TEST_RULE, {
      id: V5,
      ruleId: 'temp_alert',
      message: { topic: 'sensors/1', payload: '{"t": 20}' },
    });
    expect(cold).toEqual({ __typename: 'TestRuleSuccess', matched: false, output: null });
    expect(sent(V5)).toEqual([
      [
        'POST /api/v5/rules/temp_alert/test',
        {
          context: {
            event_type: 'message_publish',
            topic: 'sensors/1',
            payload: '{"t": 35}',
            qos: 0,
            clientid: 'probe',
          },
          stop_action_after_template_rendering: true,
        },
      ],
      [
        'POST /api/v5/rules/temp_alert/test',
        {
          context: { event_type: 'message_publish', topic: 'sensors/1', payload: '{"t": 20}', qos: 0 },
          stop_action_after_template_rendering: true,
        },
      ],
    ]);
  });

  it('an unknown rule is NOT_FOUND; v4 is NOT_SUPPORTED without a call', async () => {
    const message = { topic: 't/1', payload: 'x' };
    expect(await mutate(stack, TEST_RULE, { id: V5, ruleId: 'no_such_rule', message })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await mutate(stack, TEST_RULE, { id: V4, ruleId: 'rule:1', message })).toMatchObject({
      code: 'NOT_SUPPORTED',
    });
    expect(sent(V4)).toEqual([]);
  });
});
