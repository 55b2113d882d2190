import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type BrokerRequest, brokerPath, createBrokerCall } from '../../../src/broker/call.ts';
import type { BrokerVersion } from '../../../src/broker/model.ts';
import {
  OutcomeUnknownError,
  RateLimitedError,
  UpstreamError,
  UpstreamUnavailableError,
} from '../../../src/errors.ts';
import type { HttpClient, UpstreamCall, UpstreamReply } from '../../../src/http/client.ts';
import { createLogger } from '../../../src/logger.ts';

/** The one broker call: what each status and envelope means, per version (docs/emqx-api.md §1.2, §1.4, §4.12). */

const SECRET = 'app-secret-1234';

function callWith(version: BrokerVersion, reply: Partial<UpstreamReply>) {
  const sent: UpstreamCall[] = [];
  const logged: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logged.push(String(chunk));
      done();
    },
  });
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
    logger: createLogger({ level: 'info', destination }),
  });
  return { call, sent, logged };
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

describe('what a caller sees of an EMQX answer', () => {
  const INTERNAL = 'connection to db-internal.corp.local:5432 refused at /opt/emqx/lib/emqx_authn.erl';

  it.each([
    ['v5', { status: 400, body: { code: 'BAD_REQUEST', message: INTERNAL } }, '400 BAD_REQUEST'],
    [
      'v5',
      { status: 503, body: { code: 'SERVICE_UNAVAILABLE', message: INTERNAL } },
      '503 SERVICE_UNAVAILABLE',
    ],
    ['v4', { status: 200, body: { code: 102, message: INTERNAL } }, '200 102'],
    ['v4', { status: 500, body: INTERNAL }, '500'],
  ] as const)(
    'EMQX free text naming internal hosts reached callers in error messages (%s): now code and status only',
    async (version, reply, said) => {
      const { call, logged } = callWith(version, reply);
      const error = await call(get()).catch((e) => e);
      expect(error.message).toBe(`EMQX (d1) answered ${said}`);
      expect(JSON.stringify(error.extensions)).not.toContain('db-internal');
      // The text stays in the log line, for operators.
      expect(logged.join('')).toContain('db-internal.corp.local:5432');
    },
  );

  it('keeps secrets out of the logged text too', async () => {
    const { call, logged } = callWith('v5', { status: 400, body: { code: 'X', message: `bad ${SECRET}` } });
    await call(get()).catch(() => undefined);
    expect(logged.join('')).not.toContain(SECRET);
  });

  it('masks connector secrets EMQX echoes in its text, sent or not, before logging it', async () => {
    const { call, logged } = callWith('v5', {
      status: 400,
      body: {
        code: 'BAD_REQUEST',
        message: 'bad config {"password":"sent-pass-1"}; password echo-2, token: t-3',
      },
    });
    await call(get({ method: 'POST', body: { config: { password: 'sent-pass-1' } } })).catch(() => undefined);
    const line = logged.join('');
    for (const secret of ['sent-pass-1', 'echo-2', 't-3']) expect(line).not.toContain(secret);
    expect(line).toContain('bad config');
  });

  it('keeps a v4 Erlang atom message as the code (already_started) but no other text', async () => {
    await expect(
      callWith('v4', { body: { message: 'already_started' } }).call(get({ method: 'PUT' })),
    ).rejects.toMatchObject({ upstreamCode: 'already_started' });
    const error = await callWith('v4', { body: { message: INTERNAL } })
      .call(get({ method: 'PUT' }))
      .catch((e) => e);
    expect(error.upstreamCode).toBe('ERROR');
  });

  it.each(['v4', 'v5'] as const)(
    'a truncated or non-JSON 200 was INTERNAL_SERVER_ERROR (%s): now UPSTREAM_UNAVAILABLE for a read, OUTCOME_UNKNOWN for a write',
    async (version) => {
      for (const body of ['{"code":0,"data":[{"clientid":"a"', '<html><body>502 Bad Gateway</body></html>']) {
        await expect(callWith(version, { status: 200, body }).call(get())).rejects.toBeInstanceOf(
          UpstreamUnavailableError,
        );
        for (const method of ['POST', 'PUT', 'DELETE'] as const) {
          await expect(callWith(version, { status: 200, body }).call(get({ method }))).rejects.toBeInstanceOf(
            OutcomeUnknownError,
          );
        }
      }
    },
  );
});
