import type { AddressInfo } from 'node:net';
import { createServer, Socket as NetSocket, type Server, type Socket } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayConnections, gatewayFilters } from '../../helpers/live.ts';
import { waitFor } from '../../helpers/sim-broker.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * A caller that goes away while its stream is still being set up (the MQTT connection is opening) must not
 * leave its topic filter behind: a TCP relay in front of the broker holds the gateway's connection until the
 * caller is gone.
 */

const V5 = 'a1b2c3d4';
const MESSAGES = `subscription($id: String!, $filter: String!) {
  mqttMessages(deploymentId: $id, topicFilter: $filter) { topic payload } }`;

/** Accepts connections at once but relays them to `target()` only after `release()`. */
function heldRelay(target: () => number) {
  const held: Socket[] = [];
  let released = false;
  const relay = (client: Socket) => {
    const upstream = new NetSocket();
    upstream.connect(target(), '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  };
  const server: Server = createServer((client) => {
    client.pause();
    if (released) relay(client);
    else held.push(client);
  });
  return {
    server,
    held: () => held.length,
    release() {
      released = true;
      for (const client of held.splice(0)) relay(client);
    },
  };
}

describe('a caller gone during stream setup', () => {
  let stack: Stack;
  let relay: ReturnType<typeof heldRelay>;
  const sim = () => stack.sim.deployment(V5)!;

  beforeAll(async () => {
    relay = heldRelay(() => sim().mqttPort()!);
    await new Promise<void>((resolve) => relay.server.listen(0, '127.0.0.1', resolve));
    const port = (relay.server.address() as AddressInfo).port;
    stack = await startStack({
      configure: (config) => {
        config.deployments[V5].mqtt.url = `mqtt://127.0.0.1:${port}`;
        config.upstream.connectTimeoutMs = 30_000;
        config.live = { idleCloseSeconds: 0 };
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await new Promise<void>((resolve) => relay.server.close(() => resolve()));
  });

  async function openStreams() {
    const response = await request(`${stack.urls[0]}/metrics`);
    const text = await response.body.text();
    return Number(/^gateway_live_streams\{field="mqttMessages"\} (\d+)/m.exec(text)?.[1] ?? 0);
  }

  // Bug: the stream's release was attached only after the subscription was granted, so a stream closed before
  // then kept its listener on the shared link for good (filter subscribed, connection never idle).
  it('releases the filter and the connection of a stream whose caller left before it was subscribed', async () => {
    const controller = new AbortController();
    const pending = request(`${stack.urls[0]}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${stack.tokens.operator}`,
      },
      body: JSON.stringify({ query: MESSAGES, variables: { id: V5, filter: 'setup/abort' } }),
      signal: controller.signal,
    }).catch(() => null);
    await waitFor(() => relay.held() === 1);
    expect(await openStreams()).toBe(1);
    controller.abort();
    await pending;
    await waitFor(async () => (await openStreams()) === 0);

    relay.release();
    // The connection opens (the subscription was on its way) and then closes, with nothing left subscribed.
    await waitFor(() => gatewayConnections(sim()) === 1);
    await waitFor(() => gatewayConnections(sim()) === 0);
    expect(await gatewayFilters(sim())).toEqual([]);
  });
});
