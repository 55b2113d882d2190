import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../../helpers/stack.ts';
import { connectDevice, connectRefusal, mutate, result, V4, V5, writesTo } from './helpers.ts';

const CREATE = `mutation($id: String!, $input: BanInput!, $justification: String) {
  createBan(deploymentId: $id, input: $input, justification: $justification) ${result('CreateBanSuccess', 'ban { kind who by reason at until }')}
}`;
const DELETE = `mutation($id: String!, $kind: BanKind!, $who: String!) {
  deleteBan(deploymentId: $id, kind: $kind, who: $who) ${result('DeleteBanSuccess', 'kind who')}
}`;
const CLEAR = `mutation($id: String!, $justification: String) { clearBans(deploymentId: $id, justification: $justification) ${result('ClearBansSuccess', 'deploymentId')} }`;
const BANS = `query($id: String!) { deployment(deploymentId: $id) { bans(first: 50) { edges { node { kind who } } } } }`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.sim.requestLog.clear());

/** Regex, wide-CIDR and clear-all bans are broad writes (CONTRACT §6): an admin with a reason. */
const broad = (variables: Record<string, unknown>) =>
  [{ ...variables, justification: 'test: v5-only ban kinds' }, stack.tokens.admin] as const;

const inAnHour = () => new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000);

describe.each([
  { version: 'v5', id: V5 },
  { version: 'v4', id: V4 },
])('bans on $version', ({ version, id }) => {
  const api = `/api/${version}`;

  it('createBan refuses the client on reconnect and deleteBan lets it back', async () => {
    const clientId = `banned-${version}`;
    const until = inAnHour();
    const created = await mutate(stack, CREATE, {
      id,
      input: { kind: 'CLIENT_ID', who: clientId, reason: 'stolen device', until: until.toISOString() },
    });
    expect(created).toMatchObject({
      __typename: 'CreateBanSuccess',
      ban: {
        kind: 'CLIENT_ID',
        who: clientId,
        by: 'operator-key',
        reason: 'stolen device',
        until: until.toISOString(),
      },
    });
    const [write] = writesTo(stack, id);
    expect([write?.method, write?.rawPath, write?.query]).toEqual(['POST', `${api}/banned`, '']);
    const untilSeconds = until.getTime() / 1000;
    expect(JSON.parse(write!.body)).toEqual(
      version === 'v5'
        ? {
            as: 'clientid',
            who: clientId,
            by: 'operator-key',
            reason: 'stolen device',
            until: until.toISOString().replace('.000Z', 'Z'),
          }
        : {
            who: clientId,
            as: 'clientid',
            by: 'operator-key',
            reason: 'stolen device',
            at: expect.any(Number),
            until: untilSeconds,
          },
    );
    expect(await connectRefusal(stack, id, clientId)).toBeInstanceOf(Error);
    const listed = (await stack.gql(BANS, { variables: { id } })).body.data.deployment.bans.edges;
    expect(listed.map((e: any) => e.node)).toContainEqual({ kind: 'CLIENT_ID', who: clientId });

    stack.sim.requestLog.clear();
    expect(await mutate(stack, DELETE, { id, kind: 'CLIENT_ID', who: clientId })).toEqual({
      __typename: 'DeleteBanSuccess',
      kind: 'CLIENT_ID',
      who: clientId,
    });
    expect(writesTo(stack, id).map((w) => [w.method, w.rawPath, w.query, w.body])).toEqual([
      ['DELETE', `${api}/banned/clientid/${clientId}`, '', ''],
    ]);
    expect(await connectRefusal(stack, id, clientId)).toBeNull();
  });

  it('a ban on an address is sent with the address as one encoded segment when deleted', async () => {
    await mutate(stack, CREATE, { id, input: { kind: 'PEER_HOST', who: '::1' } });
    const deleted = await mutate(stack, DELETE, { id, kind: 'PEER_HOST', who: '::1' });
    expect(deleted.__typename).toBe('DeleteBanSuccess');
    expect(writesTo(stack, id).at(-1)?.rawPath).toBe(`${api}/banned/peerhost/%3A%3A1`);
  });

  it('without until, the ban never expires', async () => {
    const created = await mutate(stack, CREATE, {
      id,
      input: { kind: 'USERNAME', who: `forever-${version}` },
    });
    const body = JSON.parse(writesTo(stack, id)[0]!.body);
    if (version === 'v5') {
      expect(body.until).toBe('infinity');
      expect(created.ban.until).toBeNull();
    } else {
      // EMQX 4.4 bans for five minutes by default and has no permanent ban: the gateway sends year 9999.
      expect(body.until).toBe(253_402_300_799);
      expect(created.ban.until).toBe('9999-12-31T23:59:59.000Z');
    }
    await mutate(stack, DELETE, { id, kind: 'USERNAME', who: `forever-${version}` });
  });
});

describe('v5-only kinds', () => {
  it('a client ID regex ban refuses every matching client', async () => {
    await mutate(
      stack,
      CREATE,
      ...broad({ id: V5, input: { kind: 'CLIENT_ID_REGEX', who: '^evil-[0-9]+$' } }),
    );
    expect(await connectRefusal(stack, V5, 'evil-42')).toBeInstanceOf(Error);
    expect(await connectRefusal(stack, V5, 'good-42')).toBeNull();
    await mutate(stack, DELETE, { id: V5, kind: 'CLIENT_ID_REGEX', who: '^evil-[0-9]+$' });
    expect(await connectRefusal(stack, V5, 'evil-42')).toBeNull();
  });

  it('v4 answers NOT_SUPPORTED for regex and CIDR kinds, without calling EMQX', async () => {
    for (const kind of ['CLIENT_ID_REGEX', 'USERNAME_REGEX', 'PEER_HOST_NET']) {
      const who = kind === 'PEER_HOST_NET' ? '10.0.0.0/8' : '^x$';
      expect(await mutate(stack, CREATE, ...broad({ id: V4, input: { kind, who } }))).toMatchObject({
        code: 'NOT_SUPPORTED',
      });
      expect(await mutate(stack, DELETE, { id: V4, kind, who })).toMatchObject({ code: 'NOT_SUPPORTED' });
    }
    expect(writesTo(stack, V4)).toEqual([]);
  });

  it('clearBans removes every ban on v5 (DELETE /banned) and is NOT_SUPPORTED on v4', async () => {
    await mutate(stack, CREATE, ...broad({ id: V5, input: { kind: 'PEER_HOST_NET', who: '127.0.0.0/8' } }));
    expect(await connectRefusal(stack, V5, 'anyone')).toBeInstanceOf(Error);
    stack.sim.requestLog.clear();
    expect(await mutate(stack, CLEAR, ...broad({ id: V5 }))).toEqual({
      __typename: 'ClearBansSuccess',
      deploymentId: V5,
    });
    expect(writesTo(stack, V5).map((w) => [w.method, w.rawPath])).toEqual([['DELETE', '/api/v5/banned']]);
    const device = await connectDevice(stack, V5, 'anyone');
    await device.endAsync();
    expect(await mutate(stack, CLEAR, ...broad({ id: V4 }))).toMatchObject({ code: 'NOT_SUPPORTED' });
  });

  it('deleting a ban v5 does not have is NOT_FOUND', async () => {
    expect(await mutate(stack, DELETE, { id: V5, kind: 'CLIENT_ID', who: 'nobody' })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
