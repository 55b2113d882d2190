import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  gatewayConnections,
  gatewayFilters,
  type LiveSubscription,
  sseSubscribe,
} from '../../helpers/live.ts';
import { waitFor } from '../../helpers/sim-broker.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * Who may open which stream, and how many: roles, project scoping and the stream limits refuse with a code
 * before anything is subscribed on the broker.
 */

const V5 = 'a1b2c3d4';
const MESSAGES = `subscription($id: String!, $filter: String!) {
  mqttMessages(deploymentId: $id, topicFilter: $filter) { topic payload } }`;
const CLIENT_EVENTS = `subscription($id: String!) { clientEvents(deploymentId: $id) { kind clientId } }`;

describe('live data access and limits', () => {
  let stack: Stack;
  const open: LiveSubscription[] = [];
  const sim = () => stack.sim.deployment(V5)!;

  const subscribe = async (token: string, query: string, variables: Record<string, unknown>) => {
    const sub = await sseSubscribe(stack.urls[0]!, token, query, variables);
    open.push(sub);
    return sub;
  };
  /** The single result of a refused subscription (the stream ends after it). */
  const refusal = async (sub: LiveSubscription) => {
    await sub.done;
    expect(sub.results).toHaveLength(1);
    return sub.results[0]!.errors?.[0];
  };

  beforeAll(async () => {
    stack = await startStack({ configure: (config) => (config.live = { idleCloseSeconds: 0 }) });
  });
  afterAll(async () => {
    for (const sub of open) sub.close();
    await stack?.close();
  });

  it("refuses a viewer's mqttMessages with FORBIDDEN and subscribes nothing", async () => {
    const sub = await subscribe(stack.tokens.viewer, MESSAGES, { id: V5, filter: 'sensors/#' });
    expect((await refusal(sub))?.extensions?.code).toBe('FORBIDDEN');
    expect(await gatewayFilters(sim())).toEqual([]);
    expect(gatewayConnections(sim())).toBe(0);
  });

  it("answers NOT_FOUND for another project's deployment and subscribes nothing", async () => {
    // stagingOperator may only see the staging project; a1b2c3d4 is in production.
    for (const [query, variables] of [
      [MESSAGES, { id: V5, filter: 'sensors/#' }],
      [CLIENT_EVENTS, { id: V5 }],
    ] as const) {
      const sub = await subscribe(stack.tokens.stagingOperator, query, variables);
      const error = await refusal(sub);
      expect(error?.extensions?.code).toBe('NOT_FOUND');
      expect(error?.message).toContain(V5);
    }
    expect(await gatewayFilters(sim())).toEqual([]);
    expect(gatewayConnections(sim())).toBe(0);
  });

  it('refuses a shared subscription filter with BAD_USER_INPUT', async () => {
    const sub = await subscribe(stack.tokens.operator, MESSAGES, { id: V5, filter: '$share/g/sensors/#' });
    expect((await refusal(sub))?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(gatewayConnections(sim())).toBe(0);
  });

  it('refuses the 11th stream of one caller (limits.maxStreamsPerCaller) and admits it once one ends', async () => {
    const ten: LiveSubscription[] = [];
    for (let i = 0; i < 10; i++)
      ten.push(await subscribe(stack.tokens.operator, MESSAGES, { id: V5, filter: `l/${i}` }));
    await waitFor(async () => (await gatewayFilters(sim())).length === 10);

    const eleventh = await subscribe(stack.tokens.operator, MESSAGES, { id: V5, filter: 'l/10' });
    const error = await refusal(eleventh);
    expect(error?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'maxStreamsPerCaller' });
    expect(await gatewayFilters(sim())).not.toContain('l/10');

    // The limit is per caller: another caller still gets a stream.
    const admins = await subscribe(stack.tokens.admin, MESSAGES, { id: V5, filter: 'l/admin' });
    await waitFor(async () => (await gatewayFilters(sim())).includes('l/admin'));
    expect(admins.results).toEqual([]);

    ten[0]!.close();
    await waitFor(async () => !(await gatewayFilters(sim())).includes('l/0'));
    const again = await subscribe(stack.tokens.operator, MESSAGES, { id: V5, filter: 'l/10' });
    await waitFor(async () => (await gatewayFilters(sim())).includes('l/10'));
    expect(again.results).toEqual([]);
    for (const sub of [...ten, admins, again]) sub.close();
    await waitFor(() => gatewayConnections(sim()) === 0);
  });
});
