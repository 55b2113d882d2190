import { Agent, request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFaultStore } from '../../src/simulator/faults.ts';
import { createHttpListener, type HttpListener } from '../../src/simulator/http-listener.ts';
import { createRequestLog } from '../../src/simulator/request-log.ts';
import { json } from '../../src/simulator/types.ts';

const requestLog = createRequestLog();
const faults = createFaultStore();
const clock = { now: 1_700_000_000_000 };
let listener: HttpListener;
let agent: Agent;

beforeAll(async () => {
  listener = await createHttpListener({
    target: 'echo',
    requestLog,
    faults,
    now: () => clock.now,
    handler: (req) => json(200, { method: req.method, rawPath: req.rawPath, x: req.query.get('x') }),
  });
  agent = new Agent();
});
afterAll(async () => {
  await agent.close();
  await listener.close();
});
beforeEach(() => {
  requestLog.clear();
  faults.clear();
  listener.setDown(false);
});

const call = (path: string, options: { method?: string; body?: string; timeoutMs?: number } = {}) =>
  request(`${listener.origin}${path}`, {
    method: (options.method ?? 'GET') as 'GET',
    dispatcher: agent,
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(options.timeoutMs) }),
  });

describe('request log', () => {
  it('records target, method, the raw path and query as sent, the body, the status and the time', async () => {
    const response = await call('/api/v5/clients/a%2Fb?x=1&like_clientid=dev%20', {
      method: 'POST',
      body: '{"k":1}',
    });
    expect(await response.body.json()).toEqual({ method: 'POST', rawPath: '/api/v5/clients/a%2Fb', x: '1' });
    expect(requestLog.entries()).toEqual([
      {
        target: 'echo',
        method: 'POST',
        rawPath: '/api/v5/clients/a%2Fb',
        query: 'x=1&like_clientid=dev%20',
        body: '{"k":1}',
        status: 200,
        at: clock.now,
      },
    ]);
  });

  it('filters by target, method and path fragment', async () => {
    await (await call('/a')).body.dump();
    await (await call('/b', { method: 'DELETE' })).body.dump();
    expect(requestLog.count({ method: 'delete' })).toBe(1);
    expect(requestLog.count({ pathIncludes: '/a' })).toBe(1);
    expect(requestLog.count({ target: 'other' })).toBe(0);
    expect(requestLog.count({ target: 'echo', method: 'GET', pathIncludes: '/b' })).toBe(0);
  });
});

describe('faults', () => {
  it('answers a fixed status, body and headers, only where pathIncludes and method match', async () => {
    faults.set('echo', {
      status: 503,
      body: 'busy',
      headers: { 'retry-after': '7' },
      pathIncludes: '/hit',
      method: 'post',
    });
    const hit = await call('/hit', { method: 'POST' });
    expect([hit.statusCode, hit.headers['retry-after'], await hit.body.text()]).toEqual([503, '7', 'busy']);
    const otherMethod = await call('/hit');
    expect(otherMethod.statusCode).toBe(200);
    await otherMethod.body.dump();
    const otherPath = await call('/miss', { method: 'POST' });
    expect(otherPath.statusCode).toBe(200);
    await otherPath.body.dump();
    expect(requestLog.entries().map((entry) => entry.status)).toEqual([503, 200, 200]);
  });

  it('delays the real answer past a client timeout, and the request is still logged as handled', async () => {
    faults.set('echo', { delayMs: 5000 });
    await expect(call('/slow', { timeoutMs: 100 })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(requestLog.entries({ pathIncludes: '/slow' })).toMatchObject([{ status: 200 }]);
  });

  it('hangs until the client gives up, logged with status 0', async () => {
    faults.set('echo', { hang: true });
    await expect(call('/never', { timeoutMs: 100 })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(requestLog.entries()).toMatchObject([{ rawPath: '/never', status: 0 }]);
  });

  it('answers normally once cleared', async () => {
    faults.set('echo', { status: 500 });
    faults.clear('echo');
    const response = await call('/ok');
    expect(response.statusCode).toBe(200);
    await response.body.dump();
  });
});

describe('down mode', () => {
  it('fails new connections and cuts kept-alive ones, logging nothing, until brought back up', async () => {
    await (await call('/warm')).body.dump();
    listener.setDown(true);
    await expect(call('/gone')).rejects.toMatchObject({
      code: expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET)$/),
    });
    expect(requestLog.count({ pathIncludes: '/gone' })).toBe(0);
    listener.setDown(false);
    const response = await call('/back');
    expect(response.statusCode).toBe(200);
    await response.body.dump();
  });
});

describe('close', () => {
  it('ends hung requests and kept-alive sockets so the process can exit', async () => {
    const own = await createHttpListener({ target: 'own', requestLog, faults, handler: () => json(200, {}) });
    const ownAgent = new Agent();
    await (await request(`${own.origin}/warm`, { dispatcher: ownAgent })).body.dump();
    faults.set('own', { hang: true });
    const hung = request(`${own.origin}/hang`, { dispatcher: ownAgent });
    const failure = expect(hung).rejects.toMatchObject({
      code: expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET)$/),
    });
    await pollLog('/hang');
    await own.close();
    await failure;
    await ownAgent.close();
  });
});

async function pollLog(pathIncludes: string) {
  while (requestLog.count({ pathIncludes }) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
}
