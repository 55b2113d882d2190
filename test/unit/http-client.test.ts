import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.ts';

/** The one function that performs upstream calls: what it repeats, and what it never does. */
describe('createHttpClient', () => {
  let received = 0;
  const server = createServer((request) => {
    received++;
    request.socket.destroy();
  });
  let url = '';
  const client = createHttpClient({ logger: pino({ level: 'silent' }), timeoutMs: 2000 });

  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.close();
    await client.close();
  });

  const call = (idempotent: boolean) =>
    client.call({
      api: 'platform',
      endpoint: 'listDeployments',
      method: idempotent ? 'GET' : 'POST',
      url: `${url}/deployments`,
      credentials: { user: 'k', password: 's' },
      idempotent,
    });

  it('regression: does not repeat a read the server received (it would count twice against the quota)', async () => {
    received = 0;
    await expect(call(true)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(received).toBe(1);
  });

  it('answers OUTCOME_UNKNOWN for a write the server received but never answered, sent once', async () => {
    received = 0;
    await expect(call(false)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(received).toBe(1);
  });
});
