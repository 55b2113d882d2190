import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../helpers/stack.ts';

/** Production posture: what reaches EMQX from a caller, and what a browser may make the gateway do. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LIST = '{ deployments { totalCount } }';

/** A pass-through in front of the simulated platform that records the headers the gateway sends. */
async function startHeaderProxy() {
  const seen: IncomingHttpHeaders[] = [];
  const state = { target: '' };
  const server: Server = createServer(async (req, res) => {
    seen.push(req.headers);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const upstream = await request(`${state.target}${req.url}`, {
      method: req.method as 'GET',
      headers: { authorization: req.headers.authorization ?? '', accept: 'application/json' },
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const body = Buffer.from(await upstream.body.arrayBuffer());
    res
      .writeHead(upstream.statusCode, { 'content-type': String(upstream.headers['content-type'] ?? '') })
      .end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, state, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('what reaches EMQX', () => {
  let stack: Stack;
  let proxy: Awaited<ReturnType<typeof startHeaderProxy>>;
  beforeAll(async () => {
    proxy = await startHeaderProxy();
    stack = await startStack({
      configure: (config) => {
        const platform = new URL(config.platform.apiUrl);
        proxy.state.target = platform.origin;
        config.platform.apiUrl = `${proxy.url}${platform.pathname}`;
      },
    });
  });
  afterAll(async () => {
    await stack.close();
    await proxy.close();
  });

  async function listWith(requestId: string | undefined) {
    await stack.gateways[0]!.services.cache.invalidate('deployments:list');
    proxy.seen.length = 0;
    const response = await request(`${stack.urls[0]}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${stack.tokens.viewer}`,
        ...(requestId === undefined ? {} : { 'x-request-id': requestId }),
      },
      body: JSON.stringify({ query: LIST }),
    });
    expect((await response.body.json()) as any).toMatchObject({ data: { deployments: { totalCount: 5 } } });
    expect(proxy.seen).toHaveLength(1);
    return proxy.seen[0]!;
  }

  it('sends the platform credentials, never the caller’s Authorization', async () => {
    const headers = await listWith(undefined);
    const basic = Buffer.from(`${stack.sim.platform.apiKey}:${stack.sim.platform.apiSecret}`).toString(
      'base64',
    );
    expect(headers.authorization).toBe(`Basic ${basic}`);
    expect(JSON.stringify(headers)).not.toContain(stack.tokens.viewer);
  });

  it('forwards a well-formed request ID and replaces any other with a fresh one', async () => {
    const good = `req-${randomUUID()}`;
    expect((await listWith(good))['x-request-id']).toBe(good);
    for (const bad of ['has spaces', 'x'.repeat(200), '<script>', 'a\tb', '']) {
      const forwarded = (await listWith(bad))['x-request-id'];
      expect(forwarded, JSON.stringify(bad)).toMatch(UUID);
    }
    expect((await listWith(undefined))['x-request-id']).toMatch(UUID);
  });

  it('masks upstream failures: no upstream body, stack or internals in the response', async () => {
    stack.sim.faults.set('platform', {
      status: 500,
      body: '{"message":"Error: boom\\n    at Object.<anonymous> (/srv/app.js:1:1)"}',
    });
    try {
      await stack.gateways[0]!.services.cache.invalidate('deployments:list');
      const { body } = await stack.gql(LIST);
      const error = body.errors?.[0];
      expect(error?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(JSON.stringify(body)).not.toMatch(/boom|app\.js|stack|originalError|exception/);
    } finally {
      stack.sim.faults.clear();
    }
  });

  it('sends no CORS headers when no origin is configured', async () => {
    const response = await request(`${stack.urls[0]}/graphql`, {
      method: 'POST',
      headers: {
        origin: 'https://evil.example',
        'content-type': 'application/json',
        authorization: `Bearer ${stack.tokens.viewer}`,
      },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    await response.body.text();
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves GET queries to a caller with a bearer token', async () => {
    const response = await request(`${stack.urls[0]}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { authorization: `Bearer ${stack.tokens.viewer}`, accept: 'application/json' },
    });
    expect(((await response.body.json()) as any).data.__typename).toBe('Query');
  });
});

describe('a hardened gateway (auth off on loopback, GraphiQL and introspection off, one CORS origin)', () => {
  const ORIGIN = 'https://console.example.com';
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      configure: (config) => {
        config.auth = { mode: 'none' };
        config.security = { graphiql: false, introspection: false, cors: { origins: [ORIGIN] } };
      },
    });
  });
  afterAll(() => stack.close());

  const call = async (path: string, init: Parameters<typeof request>[1] = {}) => {
    const response = await request(`${stack.urls[0]}${path}`, init);
    return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
  };
  const json = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };

  it('refuses introspection and stops suggesting field names, but still answers __typename', async () => {
    const schema = await call('/graphql', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ query: '{ __schema { types { name } } }' }),
    });
    expect(schema.text).toContain('security.introspection');
    expect(JSON.parse(schema.text).data).toBeUndefined();
    const typo = await call('/graphql', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ query: '{ deploymentz { totalCount } }' }),
    });
    expect(typo.text).toContain('Cannot query field');
    expect(typo.text).not.toContain('Did you mean');
    const typename = await call('/graphql', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(JSON.parse(typename.text).data.__typename).toBe('Query');
  });

  it('does not serve GraphiQL', async () => {
    const page = await call('/graphql', { headers: { accept: 'text/html' } });
    expect(page.text).not.toContain('GraphiQL');
  });

  it('answers a preflight from the configured origin only, without credentials', async () => {
    const preflight = (origin: string) =>
      call('/graphql', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    const allowed = await preflight(ORIGIN);
    expect(allowed.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(String(allowed.headers['access-control-allow-headers'])).toContain('authorization');
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
    const other = await preflight('https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses requests a cross-site page could send without a preflight, with no upstream call', async () => {
    stack.sim.requestLog.clear();
    const body = JSON.stringify({
      query: 'mutation { stopDeployment(deploymentId: "a1b2c3d4") { __typename } }',
    });
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const forged = await call('/graphql', { method: 'POST', headers: { 'content-type': type }, body });
      expect(forged.status, type).toBe(403);
      expect(JSON.parse(forged.text).errors[0].extensions.code).toBe('FORBIDDEN');
    }
    const get = await call(`/graphql?query=${encodeURIComponent(LIST)}`);
    expect(get.status).toBe(403);
    expect(stack.sim.requestLog.count()).toBe(0);
    const marked = await call(`/graphql?query=${encodeURIComponent(LIST)}`, {
      headers: { 'x-graphql-csrf': '1', accept: 'application/json' },
    });
    expect(JSON.parse(marked.text).data.deployments.totalCount).toBe(5);
    const mutationByGet = await call(
      `/graphql?query=${encodeURIComponent('mutation { stopDeployment(deploymentId: "a1b2c3d4") { __typename } }')}`,
      {
        headers: { 'x-graphql-csrf': '1' },
      },
    );
    expect(mutationByGet.status).toBe(405);
    expect(stack.sim.requestLog.count({ method: 'POST' })).toBe(0);
  });
});
