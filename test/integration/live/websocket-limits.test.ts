import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { wsClient, wsSubscribe } from '../../helpers/live.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';

/** The request limits of HTTP hold over WebSocket too: the per-caller rate limit and the body size. */

const REQUESTS = 3;
const MAX_BODY_BYTES = 2048;
const TOTAL = '{ deployments { totalCount } }';

describe('WebSocket request limits', () => {
  let stack: Stack;
  const clients: Array<ReturnType<typeof wsClient>> = [];

  beforeAll(async () => {
    stack = await startStack({
      configure: (config) => {
        config.security = {
          rateLimit: { requests: REQUESTS, windowSeconds: 60 },
          maxBodyBytes: MAX_BODY_BYTES,
        };
      },
    });
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await stack?.close();
  });

  // Bug: operations over WebSocket never met the per-caller rate limit, which only HTTP requests counted against.
  it('counts every operation against the caller’s rate limit, shared with HTTP (was: unlimited over WebSocket)', async () => {
    const client = wsClient(stack.urls[0]!, stack.tokens.viewer);
    clients.push(client);
    expect((await stack.gql(TOTAL, { token: stack.tokens.viewer })).status).toBe(200);
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < REQUESTS; i++) {
      const operation = wsSubscribe(client, TOTAL);
      await operation.done;
      codes.push(operation.results[0]?.errors?.[0]?.extensions?.code);
    }
    expect(codes).toEqual([undefined, undefined, 'RATE_LIMITED']);
    // Another caller has its own window.
    expect((await stack.gql(TOTAL, { token: stack.tokens.operator })).status).toBe(200);
  });

  // Bug: a WebSocket message could be as large as ws's default (100 MiB) whatever security.maxBodyBytes said.
  it('closes a socket whose message is larger than security.maxBodyBytes, 1009 (was: 100 MiB accepted)', async () => {
    const socket = new WebSocket(`${stack.urls[0]!.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(
      JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(MAX_BODY_BYTES) } }),
    );
    expect(await closed).toBe(1009);
  });
});
