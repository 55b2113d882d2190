import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * `server.managementPort`: /healthz, /readyz and /metrics move to their own port, so the public port (the one a
 * Service or an ingress exposes) serves GraphQL only and metrics are not public.
 */

const get = async (url: string, headers: Record<string, string> = {}) => {
  const response = await request(url, { headers });
  return { status: response.statusCode, text: await response.body.text() };
};

describe('with a management port', () => {
  let stack: Stack;
  let management: string;
  beforeAll(async () => {
    stack = await startStack({
      configure: (config) => {
        config.server.managementPort = 0;
      },
    });
    management = `http://127.0.0.1:${stack.gateways[0]!.managementAddress()!.port}`;
  });
  afterAll(() => stack?.close());

  it('serves the probes and metrics there, and nothing else', async () => {
    expect(await get(`${management}/healthz`)).toEqual({ status: 200, text: 'ok' });
    const ready = await get(`${management}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toMatchObject({ status: 'ready' });
    const metrics = await get(`${management}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('gateway_circuit_breaker_state');
    expect((await get(`${management}/graphql?query=%7B__typename%7D`)).status).toBe(404);
  });

  it('the public port answers 404 for them and still serves GraphQL', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      expect((await get(`${stack.urls[0]}${path}`)).status, path).toBe(404);
    }
    const { body } = await stack.gql('{ __typename }');
    expect(body.data).toEqual({ __typename: 'Query' });
  });
});

describe('without one', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it('serves the probes and metrics on the public port', async () => {
    expect(stack.gateways[0]!.managementAddress()).toBeNull();
    expect((await get(`${stack.urls[0]}/healthz`)).status).toBe(200);
    expect((await get(`${stack.urls[0]}/readyz`)).status).toBe(200);
    expect((await get(`${stack.urls[0]}/metrics`)).status).toBe(200);
  });
});
