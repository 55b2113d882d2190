import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { getParam } from '../../src/simulator/api-v4/http/params.ts';
import { HandlerCrash, ok } from '../../src/simulator/api-v4/http/reply.ts';
import { createRouter, type V4Route } from '../../src/simulator/api-v4/http/router.ts';
import { uriDecode } from '../../src/simulator/api-v4/http/url.ts';
import type { SimRequest } from '../../src/simulator/types.ts';

const app = { appId: 'app', appSecret: 'secret' };
const auth = { authorization: `Basic ${Buffer.from('app:secret').toString('base64')}` };

const request = (
  method: string,
  rawPath: string,
  body = '',
  headers: IncomingHttpHeaders = auth,
): SimRequest => {
  const [path, query = ''] = rawPath.split('?');
  return { method, rawPath: path!, query: new URLSearchParams(query), headers, body: Buffer.from(body) };
};

const echo: V4Route = {
  name: 'echo',
  method: 'GET',
  path: '/things/:bin:id',
  descr: 'Echo',
  app: 'emqx_management',
  handler: ({ bindings, params }) => ok({ id: bindings.id, q: getParam(params, 'q') ?? null }),
};
const nodeScoped: V4Route = {
  ...echo,
  name: 'node_things',
  path: 'nodes/:atom:node/things/',
  handler: ({ bindings }) => ok(bindings.node),
};
const crash: V4Route = {
  ...echo,
  name: 'crash',
  method: 'POST',
  path: '/crash',
  handler: () => {
    throw new HandlerCrash('boom');
  },
};
const plugin: V4Route = { ...echo, name: 'rules', path: '/rules/', app: 'emqx_rule_engine' };

const router = createRouter({
  app,
  routes: [echo, nodeScoped, crash, plugin],
  atomExists: (name) => name === 'emqx@127.0.0.1',
  appActive: (name) => name !== 'emqx_rule_engine',
});

const body = (response: { body?: string | Buffer }) => String(response.body);

describe('v4 router (minirest 0.3 behaviour)', () => {
  it('answers 401 with a plain-text body and the minirest realm when credentials are missing or wrong', async () => {
    for (const headers of [{}, { authorization: 'Basic Zm9vOmJhcg==' }, { authorization: 'Bearer x' }]) {
      const response = await router(request('GET', '/api/v4/things/a', '', headers));
      expect(response.status).toBe(401);
      expect(body(response)).toBe('UNAUTHORIZED');
      expect(response.headers?.['www-authenticate']).toBe('Basic Realm="minirest-server"');
    }
  });

  it('keeps path bindings percent-encoded for the handler and merges query parameters', async () => {
    const response = await router(request('GET', '/api/v4/things/a%2Fb?q=1'));
    expect(response.status).toBe(200);
    expect(JSON.parse(body(response))).toEqual({ code: 0, data: { id: 'a%2Fb', q: '1' } });
  });

  it('answers 404 text/plain "Not found." for unknown paths, wrong methods and unknown atoms', async () => {
    for (const [method, path] of [
      ['GET', '/api/v4/nothing'],
      ['DELETE', '/api/v4/things/a'],
      ['GET', '/api/v4/nodes/other@host/things'],
      ['GET', '/api/v4/nodes/emqx%40127.0.0.1/things'],
      ['GET', '/api/v4/rules'],
    ] as const) {
      const response = await router(request(method, path));
      expect([method, path, response.status, body(response)]).toEqual([method, path, 404, 'Not found.']);
      expect(response.headers?.['content-type']).toBe('text/plain');
    }
  });

  it('ignores empty path segments and trailing slashes like string:tokens/2', async () => {
    const response = await router(request('GET', '/api/v4//nodes/emqx@127.0.0.1/things/'));
    expect(JSON.parse(body(response))).toEqual({ code: 0, data: 'emqx@127.0.0.1' });
  });

  it('answers 400 text/plain "Bad Request" for a body that is not JSON', async () => {
    const response = await router(request('GET', '/api/v4/things/a', '{nope'));
    expect([response.status, body(response)]).toEqual([400, 'Bad Request']);
  });

  it('answers 500 "Internal Error" where the Erlang handler would crash', async () => {
    const response = await router(request('POST', '/api/v4/crash'));
    expect([response.status, body(response)]).toEqual([500, 'Internal Error']);
  });

  it('lists routes on GET /api/v4 with binding types stripped, and refuses other methods there', async () => {
    const response = await router(request('GET', '/api/v4'));
    const listed = JSON.parse(body(response));
    expect(listed.code).toBe(0);
    expect(listed.data).toContainEqual({ name: 'echo', method: 'GET', path: '/things/:id', descr: 'Echo' });
    expect(listed.data).toContainEqual(expect.objectContaining({ path: 'nodes/:node/things/' }));
    const post = await router(request('POST', '/api/v4/'));
    expect([post.status, body(post)]).toEqual([400, 'Bad Request']);
  });

  it('leaves paths outside /api/v4 to the HTTP server (404 without body)', async () => {
    const response = await router(request('GET', '/api/v5/clients'));
    expect(response).toEqual({ status: 404 });
  });
});

describe('uriDecode (emqx_http_lib:uri_decode)', () => {
  it('decodes %XX byte-wise, keeps + and a short trailing escape, crashes on bad hex', () => {
    expect(uriDecode('a%2Fb%E2%82%AC+c')).toBe('a/b€+c');
    expect(uriDecode('abc%4')).toBe('abc%4');
    expect(() => uriDecode('%zz1')).toThrow(HandlerCrash);
  });
});
