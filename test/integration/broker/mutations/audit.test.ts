import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Stack, startStack } from '../../../helpers/stack.ts';
import { connectDevice, mutate, V4, V5 } from './helpers.ts';

/** The audit trail: one pino line per broker mutation, `audit: true`, never a payload or a secret. */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const auditLines = () =>
  stack.logs[0]!.lines.map((line) => JSON.parse(line)).filter((line) => line.audit === true);

it('writes exactly one line per mutation with who, where, what, outcome and duration, and no payload', async () => {
  const canary = `payload-canary-${crypto.randomUUID()}`;
  const before = auditLines().length;
  await mutate(
    stack,
    `mutation { publish(deploymentId: "${V5}", input: { topic: "audit/t", payload: "${canary}" }) { __typename } }`,
  );
  const lines = auditLines().slice(before);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toEqual({
    level: 30,
    time: expect.any(Number),
    service: 'emqx-cloud-gateway',
    audit: true,
    caller: 'operator-key',
    role: 'operator',
    requestId: expect.any(String),
    deploymentId: V5,
    operation: 'publish',
    target: ['audit/t'],
    outcome: 'success',
    durationMs: expect.any(Number),
    msg: 'broker mutation',
  });
  expect(stack.logs[0]!.text()).not.toContain(canary);
  expect(stack.logs[0]!.text()).not.toContain(Buffer.from(canary).toString('base64'));
});

it('records a batch with failed items as partial, with item counts', async () => {
  const device = await connectDevice(stack, V4, 'audit-dev');
  await mutate(
    stack,
    `mutation { kickClients(deploymentId: "${V4}", clientIds: ["audit-dev", "ghost"]) { __typename } }`,
  );
  expect(auditLines().at(-1)).toMatchObject({
    operation: 'kickClients',
    target: ['audit-dev', 'ghost'],
    outcome: 'partial',
    items: { total: 2, failed: 1 },
  });
  await device.endAsync(true);
});

it('records refusals and upstream errors with their code', async () => {
  await mutate(stack, `mutation { kickClient(deploymentId: "${V5}", clientId: "..") { __typename } }`);
  expect(auditLines().at(-1)).toMatchObject({
    operation: 'kickClient',
    outcome: 'rejected',
    code: 'BAD_USER_INPUT',
  });
  await mutate(stack, `mutation { kickClient(deploymentId: "${V5}", clientId: "nobody") { __typename } }`);
  expect(auditLines().at(-1)).toMatchObject({
    operation: 'kickClient',
    target: ['nobody'],
    outcome: 'error',
    code: 'NOT_FOUND',
  });
  await mutate(
    stack,
    `mutation { clearBans(deploymentId: "${V4}", justification: "audit test") { __typename } }`,
    {},
    stack.tokens.admin,
  );
  expect(auditLines().at(-1)).toMatchObject({
    operation: 'clearBans',
    outcome: 'error',
    code: 'NOT_SUPPORTED',
    justification: 'audit test',
  });
});
