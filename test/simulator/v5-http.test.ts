import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimBrokerHarness, startSimBroker } from '../helpers/sim-broker.ts';

/** §1.2: authentication, generic error shapes, 404/405/400/415. */
describe('v5 API transport (docs/emqx-api.md §1.2)', () => {
  let sim: SimBrokerHarness;
  let serverless: SimBrokerHarness;

  beforeAll(async () => {
    sim = await startSimBroker();
    serverless = await startSimBroker({ serverless: true });
  });
  afterAll(async () => {
    await sim.close();
    await serverless.close();
  });

  it('401 AUTHORIZATION_HEADER_ERROR with WWW-Authenticate when no Authorization header is sent', async () => {
    const reply = await sim.request('GET', '/clients', { auth: null });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({
      code: 'AUTHORIZATION_HEADER_ERROR',
      message: 'Support authorization: basic/bearer ',
    });
    expect(reply.headers.get('www-authenticate')).toBe('Basic Realm="emqx-dashboard"');
  });

  it.each([
    ['wrong secret', () => ({ user: sim.app.appId, pass: 'nope' })],
    ['unknown key', () => ({ user: 'someone', pass: sim.app.appSecret })],
  ])('401 BAD_API_KEY_OR_SECRET for a %s', async (_, auth) => {
    const reply = await sim.request('GET', '/nodes', { auth: auth() });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ code: 'BAD_API_KEY_OR_SECRET', message: 'Check api_key/api_secret' });
  });

  it('404 NOT_FOUND "Request Path Not Found" as JSON with Accept: application/json', async () => {
    const reply = await sim.request('GET', '/no/such/path');
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual({ code: 'NOT_FOUND', message: 'Request Path Not Found' });
  });

  it('404 answers HTML without Accept: application/json', async () => {
    const reply = await sim.request('GET', '/no/such/path', { headers: { accept: 'text/html' } });
    expect(reply.status).toBe(404);
    expect(reply.headers.get('content-type')).toContain('text/html');
  });

  it('405 with an empty body and an Allow header for a wrong method on an existing path', async () => {
    const reply = await sim.request('PATCH', '/clients');
    expect(reply.status).toBe(405);
    expect(reply.text).toBe('');
    expect(reply.headers.get('allow')).toContain('GET');
  });

  it('400 BAD_REQUEST "Invalid json message received" for a body that is not JSON', async () => {
    const reply = await sim.request('POST', '/publish', {
      raw: '{"topic": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ code: 'BAD_REQUEST', message: 'Invalid json message received' });
  });

  it.each([
    ['POST', '/rules'],
    ['PUT', '/rules/r1'],
    ['POST', '/rule_test'],
  ])('415 UNSUPPORTED_MEDIA_TYPE on %s %s without a JSON content type', async (method, path) => {
    const reply = await sim.request(method, path, { raw: '{"sql":"SELECT * FROM \\"t\\""}' });
    expect(reply.status).toBe(415);
    expect(reply.json).toEqual({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'content-type:application/json Required',
    });
  });

  it('400 BAD_REQUEST for an out-of-range limit', async () => {
    const reply = await sim.request('GET', '/clients?limit=10001');
    expect(reply.status).toBe(400);
    expect(reply.json.code).toBe('BAD_REQUEST');
  });

  it.each(['/clients', '/subscriptions'])('serverless keeps %s', async (path) => {
    const reply = await serverless.request('GET', path);
    expect(reply.status).toBe(200);
    expect(reply.json.meta).toMatchObject({ page: 1, limit: 100, hasnext: false });
  });

  it.each(['/banned', '/rules', '/nodes', '/mqtt/retainer/messages', '/alarms'])(
    'serverless answers 404 NOT_FOUND for %s',
    async (path) => {
      const reply = await serverless.request('GET', path);
      expect(reply.status).toBe(404);
      expect(reply.json).toEqual({ code: 'NOT_FOUND', message: 'Request Path Not Found' });
    },
  );
});
