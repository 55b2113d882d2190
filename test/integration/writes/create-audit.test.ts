import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Stack, startStack } from '../../helpers/stack.ts';
import { mutate, result } from '../broker/mutations/helpers.ts';

/**
 * createDeployment names no deployment in its arguments; its audit line must still say which deployment it
 * made once the platform answers, also when a keyed repeat answers the recorded result (after the one create
 * an hour is spent, so the repeat must not be refused RATE_LIMITED either).
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const CREATE = `mutation($key: String) {
  createDeployment(
    input: { platform: "aws", region: "us-east-1", connections: 1000, deploymentType: DEDICATED }
    idempotencyKey: $key
  ) ${result('CreateDeploymentSuccess', 'deployment { deploymentId status }')}
}`;
const auditLines = () =>
  stack.logs[0]!.lines.map((line) => JSON.parse(line)).filter((line) => line.audit === true);

it("createDeployment's audit line names the new deploymentId, on the first run and on a keyed repeat", async () => {
  const key = `create-${crypto.randomUUID()}`;
  const created = await mutate(stack, CREATE, { key }, stack.tokens.admin);
  expect(created).toMatchObject({ __typename: 'CreateDeploymentSuccess', deployment: { status: 'PENDING' } });
  const id = created.deployment.deploymentId as string;
  expect(id).toMatch(/^[a-z0-9]{8}$/);
  expect(auditLines().at(-1)).toMatchObject({
    operation: 'createDeployment',
    outcome: 'success',
    deploymentId: id,
  });

  const repeat = await mutate(stack, CREATE, { key }, stack.tokens.admin);
  expect(repeat).toEqual(created);
  expect(auditLines().at(-1)).toMatchObject({
    operation: 'createDeployment',
    deploymentId: id,
    repeat: true,
  });
  expect(stack.sim.requestLog.entries({ target: 'platform', method: 'POST' })).toHaveLength(1);
});
