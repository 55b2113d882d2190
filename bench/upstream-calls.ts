import { request } from 'undici';
import type { Simulator } from '../src/simulator/index.ts';
import { DEPLOYMENTS } from './fleet.ts';

/** Upstream calls of one dashboard query, by endpoint, from the simulator's request log. */
export interface CallCount {
  broker: number;
  platform: number;
  byEndpoint: Record<string, number>;
}

export async function gql(url: string, token: string, query: string): Promise<any> {
  const response = await request(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const body = (await response.body.json()) as any;
  if (body.errors) throw new Error(`query failed: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body;
}

export async function countCalls(sim: Simulator, run: () => Promise<unknown>): Promise<CallCount> {
  sim.requestLog.clear();
  await run();
  const entries = sim.requestLog.entries();
  const byEndpoint: Record<string, number> = {};
  for (const e of entries) {
    const route = e.rawPath.replace(/^\/api\/v[45]/, '').replace(/^\/public_api\/v1/, 'platform ');
    const key = `GET ${route}`;
    byEndpoint[key] = (byEndpoint[key] ?? 0) + 1;
  }
  const broker = entries.filter((e) => (DEPLOYMENTS as readonly string[]).includes(e.target)).length;
  return { broker, platform: entries.filter((e) => e.target === 'platform').length, byEndpoint };
}
