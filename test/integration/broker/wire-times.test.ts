import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../helpers/stack.ts';
import { mutate, result, V4 } from './mutations/helpers.ts';

/**
 * Times are read in the unit their wire format uses (CONTRACT.md §5), never guessed from the size of the
 * number: v4 bans carry epoch seconds, and an unset v4 text field arrives as the word "undefined".
 */

const CREATE = `mutation($id: String!, $input: BanInput!) {
  createBan(deploymentId: $id, input: $input) ${result('CreateBanSuccess', 'ban { who until }')}
}`;
const BANS = `query($id: String!) {
  deployment(deploymentId: $id) { bans(first: 50) { edges { node { kind who by reason at until } } } }
}`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

async function v4Ban(who: string) {
  const { body } = await stack.gql(BANS, { variables: { id: V4 } });
  expect(body.errors).toBeUndefined();
  return body.data.deployment.bans.edges.map((e: any) => e.node).find((b: any) => b.who === who);
}

describe('v4 ban times', () => {
  it('a v4 ban that never expires (until 253402300799 s) reads back as 9999-12-31, not 1978-01-11', async () => {
    const before = Date.now();
    await mutate(stack, CREATE, { id: V4, input: { kind: 'CLIENT_ID', who: 'forever-v4' } });
    const listed = stack.sim.requestLog.entries({ target: V4, method: 'POST', pathIncludes: '/banned' });
    expect(JSON.parse(listed.at(-1)!.body).until).toBe(253_402_300_799);

    const ban = await v4Ban('forever-v4');
    expect(ban.until).toBe('9999-12-31T23:59:59.000Z');
    const at = Date.parse(ban.at);
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('a v4 ban created without a reason (EMQX says "undefined") reads back with reason null', async () => {
    await mutate(stack, CREATE, { id: V4, input: { kind: 'USERNAME', who: 'no-reason-v4' } });
    const ban = await v4Ban('no-reason-v4');
    expect(ban).toMatchObject({ kind: 'USERNAME', who: 'no-reason-v4', reason: null });
  });
});
