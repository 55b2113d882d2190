import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../helpers/stack.ts';

/**
 * A canary platform secret, set through `${ENV}` interpolation, must never leave the process: not in a
 * response, not in a log line at debug level, not as the Basic-auth value built from it — even when EMQX
 * echoes it back in an error body.
 */
describe('secrets never reach responses or logs', () => {
  let stack: Stack;
  const canary = `canary-${crypto.randomUUID()}`;
  let basic: string;

  beforeAll(async () => {
    stack = await startStack({
      simulator: { credentials: { apiSecret: canary } },
      env: { PLATFORM_SECRET: canary },
      configure: (config) => {
        config.platform.apiSecret = '${PLATFORM_SECRET}';
      },
    });
    basic = Buffer.from(`${stack.sim.platform.apiKey}:${canary}`).toString('base64');
  });
  afterAll(() => stack.close());

  it('keeps the canary out of every response and log line, across success and upstream failures', async () => {
    const bodies: string[] = [];
    const run = async (query: string) => bodies.push(JSON.stringify((await stack.gql(query)).body));
    await run('{ deployments { totalCount } upstreamQuotas { endpoint remaining } }');
    const echo = JSON.stringify({
      code: 'UNAUTHORIZED',
      message: `bad credentials ${canary} / Basic ${basic}`,
    });
    for (const status of [401, 403, 500]) {
      stack.sim.faults.set('platform', { status, body: echo });
      await stack.gateways[0]!.services.cache.invalidate('deployments:list');
      await run('{ deployments { totalCount } }');
      await run(
        'mutation { startDeployment(deploymentId: "f3a4b5c6") { __typename ... on Error { code message } } }',
      );
    }
    stack.sim.faults.clear();
    expect(bodies.some((b) => b.includes('UPSTREAM_ERROR'))).toBe(true);
    const everything = [...bodies, stack.logs[0]!.text()].join('\n');
    expect(stack.logs[0]!.lines.length).toBeGreaterThan(5);
    expect(everything).not.toContain(canary);
    expect(everything).not.toContain(basic);
    for (const token of Object.values(stack.tokens)) expect(everything).not.toContain(token);
  });
});
