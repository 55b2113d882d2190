import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EXAMPLES } from '../../src/demo/examples.ts';
import { type Demo, startDemo } from '../../src/demo/start.ts';
import { waitForDemoDevices } from '../helpers/demo-devices.ts';

/**
 * Every ```graphql example of the README, and every tab the demo's GraphiQL opens with, run as written
 * against a fresh demo as its admin: no error, no error member of a result union, and every connection in
 * the answer has something in it (the demo is meant to show data, not empty lists), and its reported cost is
 * within the default limit.
 */

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
/** Subscriptions stream over SSE: test/integration/live/demo.test.ts runs those. */
const isSubscription = (query: string) => /^subscription\b/m.test(query.replace(/^\s*#.*$/gm, '').trim());
const README_EXAMPLES = [...README.matchAll(/```graphql\n([\s\S]*?)```/g)]
  .map((match) => match[1]!)
  .filter((query) => !isSubscription(query));

/** Every `__typename` and every connection's edge count in an answer. */
function walk(
  value: unknown,
  found: { typenames: string[]; edgeCounts: Array<[string, number]> },
  path = '',
) {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) walk(item, found, `${path}.${index}`);
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === '__typename') found.typenames.push(String(child));
    if (key === 'edges' && Array.isArray(child)) found.edgeCounts.push([path, child.length]);
    walk(child, found, `${path}.${key}`);
  }
}

async function run(demo: Demo, query: string) {
  const response = await fetch(`${demo.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${demo.tokens.admin}` },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      data?: unknown;
      errors?: unknown[];
      extensions?: { cost?: { requested: number; limit: number } };
    },
  };
}

async function expectRunsAsWritten(demo: Demo, query: string) {
  const { status, body } = await run(demo, query);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  expect(status).toBe(200);
  // Within the default cost limit, and told so.
  expect(body.extensions?.cost?.limit).toBe(10_000);
  expect(body.extensions!.cost!.requested).toBeLessThanOrEqual(10_000);
  const found = { typenames: [] as string[], edgeCounts: [] as Array<[string, number]> };
  walk(body.data, found);
  expect(found.typenames.filter((name) => name.endsWith('Error'))).toEqual([]);
  expect(found.edgeCounts.filter(([, count]) => count === 0)).toEqual([]);
}

function suiteAgainstFreshDemo(name: string, examples: string[], more?: (demo: () => Demo) => void) {
  describe(name, () => {
    let demo: Demo;
    beforeAll(async () => {
      demo = await startDemo({
        port: 0,
        logLevel: 'silent',
        simulator: { delays: { startMs: 50, stopMs: 50, createMs: 50 } },
        devices: { intervalMs: 200, watchMs: 50 },
      });
      // The examples are about a fleet with devices in it: ask once they are all there.
      await waitForDemoDevices(demo.sim, demo.devices);
    });
    afterAll(() => demo?.close());

    it('has examples to run', () => {
      expect(examples.length).toBeGreaterThanOrEqual(4);
    });

    it.each(examples.map((query, index) => [index + 1, query] as const))(
      'example %i runs as written',
      (_, query) => expectRunsAsWritten(demo, query),
    );

    more?.(() => demo);
  });
}

suiteAgainstFreshDemo('README examples against the demo', README_EXAMPLES);
const CREATE = `mutation {
  createDeployment(input: { platform: "aws", region: "us-east-1", connections: 1000, deploymentType: DEDICATED }) {
    __typename
    ... on CreateDeploymentSuccess { deployment { deploymentId status } }
  }
}`;

suiteAgainstFreshDemo(
  "the demo GraphiQL's example tabs",
  DEMO_EXAMPLES.filter((query) => !isSubscription(query)),
  (demo) => {
    it('explains why a deployment created in the demo has no broker data, and what a real setup does', async () => {
      const created = await run(demo(), CREATE);
      expect(created.body.data).toMatchObject({
        createDeployment: { __typename: 'CreateDeploymentSuccess' },
      });
      const id = (created.body.data as any).createDeployment.deployment.deploymentId as string;
      const { body } = await run(
        demo(),
        `{ deployment(deploymentId: "${id}") { deploymentId clients(first: 1) { totalCount } } }`,
      );
      expect(body.errors).toEqual([
        expect.objectContaining({
          path: ['deployment', 'clients'],
          extensions: expect.objectContaining({ code: 'BROKER_NOT_CONFIGURED' }),
          message: expect.stringContaining(
            `does not hand out broker credentials; add the deployment's API address and App ID / App Secret under deployments.${id}`,
          ),
        }),
      ]);
    });
  },
);
