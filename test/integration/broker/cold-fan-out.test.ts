import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../helpers/stack.ts';
import { connectDevices, type Devices } from './devices.ts';

/**
 * A cold page of clients whose subscriptions the query asks for reads the deployment's subscription table at
 * the same time as the page, not after it: while the page is held up at EMQX, the table has been asked for.
 * The number of calls is unchanged (the table is read once and answers every client of the page).
 */

const V5 = 'a1b2c3d4';
const QUERY = `{ deployment(deploymentId: "${V5}") {
  clients(first: 10) { edges { node { clientId subscriptions { topic qos } } } } } }`;

describe('cold fan-out of a client page and its subscriptions', () => {
  let stack: Stack;
  let devices: Devices;
  beforeAll(async () => {
    stack = await startStack({
      configure: (config) => {
        config.upstream = { ...config.upstream, timeoutMs: 2_000 };
      },
    });
    devices = await connectDevices(stack, V5, [
      { clientId: 'fan-1', topics: [{ topic: 'fan/1', qos: 1 }] },
      { clientId: 'fan-2', topics: [{ topic: 'fan/2', qos: 0 }] },
      { clientId: 'fan-3', topics: [{ topic: 'fan/3', qos: 2 }] },
    ]);
    await stack.gql('{ deployments { totalCount } }'); // the catalog is warm; the broker reads are not
  });
  afterAll(async () => {
    await devices?.close();
    await stack?.close();
  });

  it('asks for the subscription table while the page of clients is still being answered', async () => {
    stack.sim.requestLog.clear();
    stack.sim.faults.set(V5, { hang: true, pathIncludes: '/clients' });
    let answered = false;
    const answer = stack.gql(QUERY, { token: stack.tokens.viewer }).finally(() => {
      answered = true;
    });
    const asked = () => stack.sim.requestLog.count({ target: V5, pathIncludes: '/subscriptions' });
    // Bounded by the answer, which the upstream timeout bounds while the page hangs.
    while (!answered && asked() === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    expect(asked()).toBe(1);
    stack.sim.faults.clear(V5);
    await answer;
  });

  it('answers every client from one read of the table, in one page call and one table call', async () => {
    stack.sim.faults.clear();
    stack.sim.requestLog.clear();
    const { body } = await stack.gql(QUERY.replace('first: 10', 'first: 9'), { token: stack.tokens.viewer });
    expect(body.errors).toBeUndefined();
    const nodes = (body.data as any).deployment.clients.edges.map((e: any) => e.node);
    expect(nodes.find((n: any) => n.clientId === 'fan-3').subscriptions).toEqual([
      { topic: 'fan/3', qos: 2 },
    ]);
    const calls = stack.sim.requestLog.entries({ target: V5 }).map((e) => e.rawPath);
    expect(calls.filter((path) => path.includes('/subscriptions')).length).toBeLessThanOrEqual(1);
    expect(
      calls.filter((path) => path.startsWith('/api/v5/clients/') || path.includes('/clients/fan')),
    ).toEqual([]);
  });
});
