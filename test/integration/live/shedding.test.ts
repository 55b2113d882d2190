import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayFilters, type LiveSubscription, sseSubscribe } from '../../helpers/live.ts';
import { waitFor } from '../../helpers/sim-broker.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * Open streams are bounded by the stream limits (limits.maxStreams), not by the load shedder's in-flight count:
 * a subscription stays open for minutes, and counting it as a request in flight would shed every query once
 * server.maxInFlight streams were open (256 by default, below the 1000 streams a replica admits).
 */

const V5 = 'a1b2c3d4';
const MAX_IN_FLIGHT = 3;
const MESSAGES = `subscription($id: String!, $filter: String!) {
  mqttMessages(deploymentId: $id, topicFilter: $filter) { topic } }`;

describe('open streams and the load shedder', () => {
  let stack: Stack;
  const open: Array<LiveSubscription & { status: number }> = [];

  beforeAll(async () => {
    stack = await startStack({
      configure: (config) => {
        config.server.maxInFlight = MAX_IN_FLIGHT;
      },
    });
  });
  afterAll(async () => {
    for (const sub of open) sub.close();
    await stack?.close();
  });

  // Bug: an SSE stream held its in-flight slot for as long as it was open, so server.maxInFlight open
  // subscriptions made the replica answer every query 503 OVERLOADED.
  it('answers queries while more streams are open than server.maxInFlight', async () => {
    for (let i = 0; i <= MAX_IN_FLIGHT; i++) {
      open.push(
        await sseSubscribe(stack.urls[0]!, stack.tokens.operator, MESSAGES, { id: V5, filter: `shed/${i}` }),
      );
    }
    await waitFor(async () => (await gatewayFilters(stack.sim.deployment(V5)!)).length === MAX_IN_FLIGHT + 1);
    expect(open.map((sub) => sub.status)).toEqual(Array(MAX_IN_FLIGHT + 1).fill(200));
    const reply = await stack.gql('{ deployments { totalCount } }');
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({ deployments: { totalCount: 5 } });
  });
});
