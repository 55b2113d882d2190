import { type GraphQLSchema, getNamedType, isInterfaceType, isObjectType, isUnionType } from 'graphql';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultSeed } from '../../../src/simulator/seed.ts';
import {
  dummyValue,
  fetchSchema,
  type Overrides,
  rootCalls,
  selectionOf,
} from '../../helpers/schema-calls.ts';
import { forgetCachedReads, type Stack, startStack } from '../../helpers/stack.ts';

/**
 * The canary sweep: every platform and broker secret carries a marker; every query and mutation of the live
 * schema is driven against every running broker version, healthy and with upstream error bodies that echo
 * the secrets back; neither the marker nor any Basic-auth value built from the secrets may appear in a
 * single response or log line.
 */

const MARKER = `CANARY${crypto.randomUUID().replaceAll('-', '')}`;
const RUNNING = ['a1b2c3d4', 'e5f6a7b8'];
/** Quotas out of the way: the sweep is about secrets, and spent quotas would hide the upstream paths. */
const ENDPOINTS = [
  'listDeployments',
  'getDeployment',
  'startDeployment',
  'stopDeployment',
  'createDeployment',
];
const generous = Object.fromEntries(ENDPOINTS.map((e) => [e, { limit: 100_000, windowSeconds: 3600 }]));

describe('canary secrets never leave the gateway', () => {
  let stack: Stack;
  let schema: GraphQLSchema;
  const responses: string[] = [];
  /** The marker first: every secret carries it, so it also finds a secret cut in half. */
  const needles: string[] = [MARKER];

  beforeAll(async () => {
    const seed = createDefaultSeed();
    seed.deployments = seed.deployments.map((d) => ({
      ...d,
      appId: `id${d.id}${MARKER}`,
      appSecret: `${MARKER}broker${d.id}`,
    }));
    stack = await startStack({
      simulator: { seed, credentials: { apiSecret: `${MARKER}platform` }, quotas: generous },
      env: { PLATFORM_SECRET: `${MARKER}platform`, JWT_SECRET: `${MARKER}jwt-secret-padding-0123456789` },
      configure: (config) => {
        config.platform.apiSecret = '${PLATFORM_SECRET}';
        config.platform.quotas = generous;
        config.auth.jwt = { secret: '${JWT_SECRET}', issuer: 'https://idp.test', audience: 'emqx-gateway' };
        config.security = {
          rateLimit: { requests: 100_000 },
          query: { maxCost: 1_000_000, maxTokens: 50_000 },
        };
      },
    });
    const pairs = [
      [stack.sim.platform.apiKey, stack.sim.platform.apiSecret],
      ...stack.sim.deployments().map((d) => [d.appId, d.appSecret]),
    ];
    for (const [user, password] of pairs) {
      needles.push(Buffer.from(`${user}:${password}`).toString('base64'), `${user}:${password}`);
    }
    needles.push(...Object.values(stack.tokens));
    schema = await fetchSchema(stack);
  });
  afterAll(() => stack.close());

  async function send(query: string, variables: Record<string, unknown> = {}, token = stack.tokens.admin) {
    const { status, body } = await stack.gql(query, { variables, token });
    responses.push(JSON.stringify(body));
    return { status, body };
  }

  /** Every field of Deployment, one query each, so that one failing field cannot hide another. */
  function deploymentCalls(deploymentId: string, overrides: Overrides) {
    const type = schema.getType('Deployment');
    if (!isObjectType(type)) throw new Error('Deployment is not an object type');
    return Object.values(type.getFields()).map((field) => {
      const select = selectionOf(schema, getNamedType(field.type), 3, overrides);
      const args = field.args.filter((a) => a.type.toString().endsWith('!') || a.name in overrides);
      const declared = args.map((a) => `$${a.name}: ${a.type}`);
      const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const variables: Record<string, unknown> = { deploymentId };
      for (const a of args) variables[a.name] = dummyValue(a.type, a.name, overrides);
      const query = `query($deploymentId: String!${declared.length ? `, ${declared.join(', ')}` : ''}) {
        deployment(deploymentId: $deploymentId) { ${field.name}${passed ? `(${passed})` : ''} ${select} } }`;
      return { field: field.name, query, variables };
    });
  }

  const resultSelection = (type: Parameters<typeof selectionOf>[1]) =>
    isUnionType(type) || isInterfaceType(type) || isObjectType(type) ? selectionOf(schema, type, 2, {}) : '';

  async function driveEverything() {
    const overrides: Overrides = { first: 3, clientId: 'sensor-01', topic: 't/1', id: 'rule-1' };
    for (const call of rootCalls(schema, 'query', { ...overrides, deploymentId: RUNNING[0] }, (t) =>
      selectionOf(schema, t, 3, overrides),
    ))
      await send(call.query, call.variables);
    for (const deploymentId of RUNNING) {
      for (const call of deploymentCalls(deploymentId, overrides)) await send(call.query, call.variables);
      for (const call of rootCalls(
        schema,
        'mutation',
        { deploymentId, clientId: 'sensor-01' },
        resultSelection,
      ))
        await send(call.query, call.variables);
    }
  }

  async function withFaults(faults: Array<[string, { status: number; body: string }]>) {
    for (const [target, fault] of faults) stack.sim.faults.set(target, fault);
    await forgetCachedReads(stack);
    try {
      await driveEverything();
    } finally {
      stack.sim.faults.clear();
    }
  }

  /** What EMQX might answer when it echoes the credentials it was sent: the pair, and the Basic header. */
  const echoOf = (user: string, password: string) =>
    JSON.stringify(
      `bad credentials ${user}:${password} (Authorization: Basic ${Buffer.from(`${user}:${password}`).toString('base64')})`,
    );

  it('drives every query and mutation, healthy and failing, without leaking a secret', async () => {
    const platform = echoOf(stack.sim.platform.apiKey, stack.sim.platform.apiSecret);
    const broker = (id: string) => {
      const d = stack.sim.deployment(id)!;
      return echoOf(d.appId, d.appSecret);
    };
    await driveEverything();
    await withFaults([['platform', { status: 500, body: `{"message":${platform}}` }]]);
    await withFaults([['platform', { status: 401, body: `{"code":"UNAUTHORIZED","message":${platform}}` }]]);
    await withFaults(
      RUNNING.map((id) => [id, { status: 500, body: `{"code":"INTERNAL","message":${broker(id)}}` }]),
    );
    await withFaults(
      RUNNING.map((id) => [id, { status: 400, body: `{"code":"BAD_REQUEST","message":${broker(id)}}` }]),
    );
    await withFaults([['e5f6a7b8', { status: 200, body: `{"code":106,"message":${broker('e5f6a7b8')}}` }]]);
    await withFaults([['e5f6a7b8', { status: 401, body: broker('e5f6a7b8') }]]);

    for (const authorization of [
      `Bearer ${stack.sim.platform.apiSecret}`,
      `Basic ${needles[1]}`,
      'Bearer a.b.c',
    ]) {
      const response = await request(`${stack.urls[0]}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: '{ deployments { totalCount } }' }),
      });
      responses.push(await response.body.text());
    }

    const all = responses.join('\n');
    expect(responses.length).toBeGreaterThan(200);
    expect(all).toContain('UPSTREAM_ERROR');
    expect(all).toContain('UPSTREAM_UNAVAILABLE');
    // The generated documents are all valid, so the sweep really reached every resolver.
    expect(all).not.toMatch(/GRAPHQL_(VALIDATION|PARSE)_FAILED|"limit":"max/);
    const logs = stack.logs.map((log) => log.text()).join('\n');
    expect(logs.length).toBeGreaterThan(10_000);
    // Every secret carries the marker, so the marker alone also catches a secret cut in half.
    for (const needle of needles) {
      expect(all.includes(needle), `a response contains ${needle.slice(0, 12)}…`).toBe(false);
      expect(logs.includes(needle), `a log line contains ${needle.slice(0, 12)}…`).toBe(false);
    }
    // Seven sweeps of every field, one request at a time: the run grows with the schema.
  }, 180_000);

  // describe() in src/broker/call.ts used to cut an upstream message to 300 characters and then scrub
  // it, so a secret straddling the cut survived in part (an App Secret prefix).
  it('regression: a long EMQX error message is scrubbed before it is cut, leaving no part of a secret', async () => {
    const d = stack.sim.deployment('a1b2c3d4')!;
    // The cut falls three characters past the marker, inside the App Secret.
    const padding = 'x'.repeat(300 - 'bad credentials '.length - MARKER.length - 3);
    stack.sim.faults.set(d.id, {
      status: 400,
      body: JSON.stringify({ code: 'BAD_REQUEST', message: `bad credentials ${padding}${d.appSecret}` }),
    });
    try {
      await stack.sim.setStatus(d.id, 'running');
      await forgetCachedReads(stack);
      const { body } = await send(
        'query($id: String!) { deployment(deploymentId: $id) { stats { __typename } } }',
        {
          id: d.id,
        },
      );
      expect(JSON.stringify(body)).toContain('UPSTREAM_ERROR');
      expect(JSON.stringify(body)).not.toContain(MARKER);
    } finally {
      stack.sim.faults.clear();
    }
  });
});
