import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startV4, type V4Harness } from '../helpers/sim-v4.ts';

let sim: V4Harness;

beforeAll(async () => {
  sim = await startV4();
  await sim.connect('online-1');
});

afterAll(() => sim.close());

const post = (path: string, body: unknown) => sim.request('POST', `/api/v4${path}`, { body });

describe('v4 publish', () => {
  const c = { clientid: 'api' };
  it.each([
    ['a plain message', { topic: 'p/1', payload: 'hi', ...c }, { code: 0 }],
    ['a JSON object payload', { topic: 'p/1', payload: { a: 1 }, qos: 1, ...c }, { code: 0 }],
    ['a base64 payload', { topic: 'p/1', payload: 'aGk=', encoding: 'base64', ...c }, { code: 0 }],
    ['no valid topic', { topic: 'p/+', payload: 'x', ...c }, { code: 115, message: 'bad_topic' }],
    ['an empty topic list', { topics: ',', payload: 'x', ...c }, { code: 115, message: 'bad_topic' }],
    [
      'broken base64',
      { topic: 'p/1', payload: '@@', encoding: 'base64', ...c },
      { code: 108, message: 'bad_params' },
    ],
    ['a non-string topic', { topic: 12, payload: 'x', ...c }, { code: 108, message: 'bad_params' }],
    [
      'an unknown property',
      { topic: 'p/1', properties: { nope: 1 }, ...c },
      { code: 108, message: 'bad_params' },
    ],
    [
      'a non-string clientid',
      { topic: 'p/1', clientid: 7 },
      { code: 108, message: 'bad clientid: must be string' },
    ],
    [
      'no clientid (seed 003 marks it required)',
      { topic: 'p/1', payload: 'x' },
      { code: 108, message: 'bad clientid: must be string' },
    ],
  ])('answers %s inside HTTP 200', async (_, body, expected) => {
    const reply = await post('/mqtt/publish', body);
    expect([reply.status, reply.json]).toEqual([200, expected]);
  });

  it('refuses a publish without clientid and delivers nothing', async () => {
    const device = await sim.connect('listener-no-clientid');
    await device.subscribeAsync('p/no-clientid');
    const received: string[] = [];
    device.on('message', (topic) => received.push(topic));
    const refused = await post('/mqtt/publish', { topic: 'p/no-clientid', payload: 'x' });
    expect(refused.json).toEqual({ code: 108, message: 'bad clientid: must be string' });
    await post('/mqtt/publish', { topic: 'p/no-clientid', payload: 'y', ...c });
    await expect.poll(() => received.length).toBe(1);
    await device.endAsync();
  });

  it('returns the message id with a `return` key, ids with `topics`', async () => {
    const one = await post('/mqtt/publish', { topic: 'p/1', payload: 'x', return: true, ...c });
    expect(one.json).toEqual({ code: 0, data: { msgid: expect.stringMatching(/^[0-9A-F]{32}$/) } });
    const many = await post('/mqtt/publish', { topics: 'p/1,p/+,p/2', payload: 'x', return: 1, ...c });
    expect(many.json.data.msgids).toHaveLength(2);
  });

  it('crashes (HTTP 500) on a QoS outside 0..2, as emqx_message:make/6 does', async () => {
    const reply = await post('/mqtt/publish', { topic: 'p/1', payload: 'x', qos: 3, ...c });
    expect([reply.status, reply.text]).toEqual([500, 'Internal Error']);
  });

  it('publish_batch answers one code per element', async () => {
    const reply = await post('/mqtt/publish_batch', [
      { topic: 'p/1', payload: 'a', ...c },
      { topic: 'p/#', payload: 'b', ...c },
      { topics: 'p/1,p/2', payload: 'c', ...c },
      { topic: 'p/1', payload: '%%', encoding: 'base64', ...c },
      'not an object',
      { topic: 'p/1', payload: 'no clientid' },
    ]);
    expect(reply.json).toEqual({
      code: 0,
      data: [
        { topic: 'p/1', code: 0 },
        { topic: 'p/#', code: 115 },
        { topic: 'p/1,p/2', code: 0 },
        { code: 108, message: 'bad_params' },
        { code: 108, message: 'bad_params' },
        { topic: 'p/1', code: 108 },
      ],
    });
  });
});

describe('v4 subscribe and unsubscribe on behalf of a client', () => {
  it.each([
    ['ok', { clientid: 'online-1', topic: 's/1', qos: 1 }, { code: 0 }],
    ['several topics', { clientid: 'online-1', topics: 's/2,s/3' }, { code: 0 }],
    ['an offline client', { clientid: 'ghost', topic: 's/1' }, { code: 112, message: 'channel_not_found' }],
    ['a bad filter', { clientid: 'online-1', topic: 's/#/x' }, { code: 115, message: 'bad_topic' }],
    ['a bad QoS', { clientid: 'online-1', topic: 's/1', qos: 3 }, { code: 116, message: 'bad_qos' }],
    ['no clientid', { topic: 's/1' }, { code: 108, message: 'bad clientid: must be string' }],
  ])('subscribe: %s', async (_, body, expected) => {
    expect((await post('/mqtt/subscribe', body)).json).toEqual(expected);
  });

  it('subscriptions made through the API are listed', async () => {
    const reply = await sim.request('GET', '/api/v4/subscriptions/online-1');
    expect(reply.json.data.map((s: { topic: string }) => s.topic).sort()).toEqual(['s/1', 's/2', 's/3']);
  });

  it.each([
    ['ok', { clientid: 'online-1', topic: 's/3' }, { code: 0 }],
    ['an offline client', { clientid: 'ghost', topic: 's/1' }, { code: 112, message: 'channel_not_found' }],
    ['no topic', { clientid: 'online-1' }, { code: 115, message: 'bad_topic' }],
  ])('unsubscribe: %s', async (_, body, expected) => {
    expect((await post('/mqtt/unsubscribe', body)).json).toEqual(expected);
  });

  it('subscribe_batch and unsubscribe_batch answer {clientid, topic, code} per element', async () => {
    const sub = await post('/mqtt/subscribe_batch', [
      { clientid: 'online-1', topic: 'b/1', qos: 1 },
      { clientid: 'ghost', topic: 'b/1' },
      { clientid: 'online-1', topic: 'b/+/#/x' },
    ]);
    expect(sub.json).toEqual({
      code: 0,
      data: [
        { clientid: 'online-1', topic: 'b/1', code: 0 },
        { clientid: 'ghost', topic: 'b/1', code: 112 },
        { clientid: 'online-1', topic: 'b/+/#/x', code: 115 },
      ],
    });
    const unsub = await post('/mqtt/unsubscribe_batch', [
      { clientid: 'online-1', topic: 'b/1' },
      { topic: 'b/1' },
    ]);
    expect(unsub.json).toEqual({
      code: 0,
      data: [
        { clientid: 'online-1', topic: 'b/1', code: 0 },
        { clientid: 'undefined', topic: 'b/1', code: 108 },
      ],
    });
  });
});

describe('v4 plugins', () => {
  const plugin = (name: string, list: Array<{ name: string; active: boolean }>) =>
    list.find((p) => p.name === name);

  it('lists plugins per node with name/description/active/type', async () => {
    const reply = await sim.request('GET', '/api/v4/plugins');
    expect(reply.json.data).toHaveLength(1);
    expect(reply.json.data[0].node).toBe(sim.node);
    expect(plugin('emqx_management', reply.json.data[0].plugins)).toEqual({
      name: 'emqx_management',
      description: 'EMQX Management API and CLI',
      active: true,
      type: 'feature',
    });
    const node = await sim.request('GET', `/api/v4/nodes/${sim.node}/plugins`);
    expect(plugin('emqx_web_hook', node.json.data)).toMatchObject({ active: false });
  });

  it('loads, unloads and reloads with {message}-only errors', async () => {
    const base = `/api/v4/nodes/${sim.node}/plugins`;
    expect((await sim.request('PUT', `${base}/emqx_web_hook/load`)).json).toEqual({ code: 0 });
    expect((await sim.request('PUT', `${base}/emqx_web_hook/load`)).json).toEqual({
      message: 'already_started',
    });
    expect((await sim.request('PUT', `${base}/emqx_web_hook/reload`)).json).toEqual({ code: 0 });
    expect((await sim.request('PUT', '/api/v4/plugins/emqx_web_hook/unload')).json).toEqual({ code: 0 });
    expect((await sim.request('PUT', `${base}/emqx_web_hook/unload`)).json).toEqual({
      message: 'not_started',
    });
    expect((await sim.request('PUT', `${base}/emqx/load`)).json).toEqual({ message: 'not_found' });
    const unknown = await sim.request('PUT', `${base}/emqx_no_such_plugin/load`);
    expect([unknown.status, unknown.text]).toEqual([404, 'Not found.']);
    expect((await sim.request('PUT', '/api/v4/plugins/emqx_web_hook/load')).status).toBe(404);
  });

  it("an unloaded plugin's routes disappear: no rule engine, no /rules", async () => {
    expect((await sim.request('PUT', '/api/v4/plugins/emqx_rule_engine/unload')).json).toEqual({ code: 0 });
    expect((await sim.request('GET', '/api/v4/rules')).text).toBe('Not found.');
    const load = await sim.request('PUT', `/api/v4/nodes/${sim.node}/plugins/emqx_rule_engine/load`);
    expect(load.json).toEqual({ code: 0 });
    expect((await sim.request('GET', '/api/v4/rules')).json.code).toBe(0);
  });
});

describe('v4 listeners', () => {
  it('lists MQTT and HTTP listeners per node', async () => {
    const reply = await sim.request('GET', '/api/v4/listeners');
    const [entry] = reply.json.data;
    expect(entry.node).toBe(sim.node);
    expect(entry.listeners).toContainEqual({
      protocol: 'mqtt:tcp',
      listen_on: `127.0.0.1:${sim.core.mqttPort()}`,
      identifier: 'mqtt:tcp:external',
      acceptors: expect.any(Number),
      max_conns: expect.any(Number),
      current_conns: 1,
      shutdown_count: [],
    });
    const node = await sim.request('GET', `/api/v4/nodes/${sim.node}/listeners`);
    expect(node.json.data).toEqual(entry.listeners);
  });

  it('restarts an MQTT listener; an HTTP one is HTTP 403', async () => {
    expect((await sim.request('PUT', '/api/v4/listeners/mqtt:tcp:external/restart')).json).toEqual({
      code: 0,
    });
    const node = await sim.request('PUT', `/api/v4/nodes/${sim.node}/listeners/mqtt:tcp:external/restart`);
    expect(node.json).toEqual({ code: 0, data: 'Listener restarted.' });
    const http = await sim.request('PUT', '/api/v4/listeners/http:management/restart');
    expect([http.status, http.json]).toEqual([403, 'http_listener_restart_unsupported']);
    const missing = await sim.request('PUT', `/api/v4/nodes/${sim.node}/listeners/mqtt:ws:external/restart`);
    expect(missing.json).toEqual({ message: 'not_found' });
  });
});

describe('v4 metrics and stats', () => {
  it('nests metrics per node in the cluster form, flat per node', async () => {
    const reply = await sim.request('GET', '/api/v4/metrics');
    const [{ node, metrics }] = reply.json.data;
    expect(node).toBe(sim.node);
    expect(metrics['client.connected']).toBeGreaterThanOrEqual(1);
    expect(metrics).toHaveProperty('client.check_acl');
    expect(metrics).toHaveProperty('session.takeovered');
    const flat = await sim.request('GET', `/api/v4/nodes/${sim.node}/metrics`);
    expect(Object.keys(flat.json.data).sort()).toEqual(Object.keys(metrics).sort());
  });

  it('nests stats per node in the cluster form, flat per node', async () => {
    const reply = await sim.request('GET', '/api/v4/stats');
    const [{ node, stats }] = reply.json.data;
    expect(node).toBe(sim.node);
    expect(stats).toMatchObject({ 'connections.count': 1, 'subscriptions.count': 2, 'routes.count': 2 });
    expect(stats['connections.max']).toBeGreaterThanOrEqual(1);
    const flat = await sim.request('GET', `/api/v4/nodes/${sim.node}/stats`);
    expect(flat.json.data).toMatchObject({ 'connections.count': 1 });
  });
});
