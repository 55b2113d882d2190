import { describe, expect, it } from 'vitest';
import { type BrokerRequest, brokerPath, createBrokerCall } from '../../../src/broker/call.ts';
import type { BrokerVersion } from '../../../src/broker/model.ts';
import { RateLimitedError, UpstreamError, UpstreamUnavailableError } from '../../../src/errors.ts';
import type { HttpClient, UpstreamCall, UpstreamReply } from '../../../src/http/client.ts';

/** The one broker call: what each status and envelope means, per version (docs/emqx-api.md §1.2, §1.4, §4.12). */

const SECRET = 'app-secret-1234';

function callWith(version: BrokerVersion, reply: Partial<UpstreamReply>) {
  const sent: UpstreamCall[] = [];
  const http: HttpClient = {
    async call(call) {
      sent.push(call);
      return { status: 200, headers: {}, body: undefined, ...reply };
    },
    close: async () => undefined,
  };
  const call = createBrokerCall({
    deploymentId: 'd1',
    version,
    config: { apiUrl: `https://h:8443/api/${version}/`, apiKey: 'app-id', apiSecret: SECRET },
    http,
    scrub: (text) => text.replaceAll(SECRET, '***'),
  });
  return { call, sent };
}

const get = (overrides: Partial<BrokerRequest> = {}): BrokerRequest => ({
  domain: 'clients',
  method: 'GET',
  path: brokerPath`/clients/${'a/b c'}`,
  ...overrides,
});

describe('brokerPath', () => {
  it('encodes every value as one segment and keeps a value-free route', () => {
    expect(brokerPath`/clients/${'a/b c'}/subscriptions`).toEqual({
      path: '/clients/a%2Fb%20c/subscriptions',
      route: '/clients/{}/subscriptions',
    });
    expect(brokerPath`/authentication/${'password_based:built_in_database'}/users`.path).toBe(
      '/authentication/password_based:built_in_database/users',
    );
  });

  it.each(['.', '..', '%2e%2e', '%2E%2E', '../x', 'a/../b', '', '\ud800', 'a\r\nb'])(
    'read paths escaped their route: %j is BAD_USER_INPUT, not a %%2E-encoded dot segment undici resolves',
    (value) => {
      expect(() => brokerPath`/clients/${value}`).toThrow(
        expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      );
    },
  );

  it('refuses a template whose value would not fill a whole segment (a programming error)', () => {
    expect(() => brokerPath`/clients/x${'a'}`).toThrow(/whole segment/);
  });

  it('keeps : and @ raw, because EMQX 4.4 looks rule ids and node names up without decoding them', () => {
    expect(brokerPath`/rules/${'rule:7fdb2c9e'}`.path).toBe('/rules/rule:7fdb2c9e');
    expect(brokerPath`/nodes/${'emqx@10.0.0.1'}/clients`.path).toBe('/nodes/emqx@10.0.0.1/clients');
    expect(brokerPath`/clients/${'a?b#c%d'}`.path).toBe('/clients/a%3Fb%23c%25d');
  });
});

describe('v4 broker call', () => {
  it('sends Basic credentials to the base URL plus the encoded path, reads only idempotently', async () => {
    const { call, sent } = callWith('v4', { body: { code: 0, data: [] } });
    expect(await call(get())).toEqual({ status: 200, body: { code: 0, data: [] } });
    expect(sent[0]).toMatchObject({
      api: 'broker',
      endpoint: 'GET /clients/{}',
      url: 'https://h:8443/api/v4/clients/a%2Fb%20c',
      credentials: { user: 'app-id', password: SECRET },
      idempotent: true,
    });
  });

  it('turns an error inside HTTP 200 into UPSTREAM_ERROR with the v4 code', async () => {
    const { call } = callWith('v4', { body: { code: 112, message: `not_found ${SECRET}` } });
    const error = await call(get()).catch((e) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamCode: '112' });
    expect(error.message).not.toContain(SECRET);
  });

  it('answers a rule-engine code 404 as a 404 reply when the caller accepts it', async () => {
    const { call } = callWith('v4', { body: { code: 404, message: 'Not Found' } });
    expect((await call(get({ accept: [404] }))).status).toBe(404);
    await expect(call(get())).rejects.toMatchObject({ upstreamCode: '404' });
  });

  it('maps the plain-text 401 and 5xx', async () => {
    await expect(callWith('v4', { status: 401, body: 'UNAUTHORIZED' }).call(get())).rejects.toMatchObject({
      upstreamCode: 'UNAUTHORIZED',
    });
    await expect(callWith('v4', { status: 502, body: 'Bad gateway' }).call(get())).rejects.toBeInstanceOf(
      UpstreamUnavailableError,
    );
  });
});

describe('v5 broker call', () => {
  it('accepts 201 and an empty 204, and writes are not idempotent', async () => {
    const { call, sent } = callWith('v5', { status: 204 });
    expect(await call(get({ method: 'DELETE' }))).toEqual({ status: 204, body: undefined });
    expect(sent[0]!.idempotent).toBe(false);
    expect(
      (await callWith('v5', { status: 201, body: { id: 'r' } }).call(get({ method: 'POST' }))).status,
    ).toBe(201);
  });

  it('answers 404 as a reply when accepted, else UPSTREAM_ERROR with the EMQX code', async () => {
    const notFound = { status: 404, body: { code: 'CLIENTID_NOT_FOUND', message: 'Client ID not found' } };
    expect((await callWith('v5', notFound).call(get({ accept: [404] }))).status).toBe(404);
    await expect(callWith('v5', notFound).call(get())).rejects.toMatchObject({
      upstreamCode: 'CLIENTID_NOT_FOUND',
    });
  });

  it('maps 400 with reason_code, 429 and 503', async () => {
    await expect(
      callWith('v5', { status: 400, body: { reason_code: 144, message: 'topic_name_invalid' } }).call(get()),
    ).rejects.toMatchObject({ upstreamCode: '144' });
    await expect(
      callWith('v5', { status: 429, headers: { 'retry-after': '7' }, body: {} }).call(get()),
    ).rejects.toMatchObject({ retryAfterSeconds: 7 });
    await expect(callWith('v5', { status: 429, body: {} }).call(get())).rejects.toBeInstanceOf(
      RateLimitedError,
    );
    await expect(
      callWith('v5', { status: 503, body: { code: 'SERVICE_UNAVAILABLE', message: 'request timeout' } }).call(
        get(),
      ),
    ).rejects.toBeInstanceOf(UpstreamUnavailableError);
  });
});
