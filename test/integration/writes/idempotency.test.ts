import type { MqttClient } from 'mqtt';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutcomeUnknownError } from '../../../src/errors.ts';
import { createLogger } from '../../../src/logger.ts';
import { createBudget, withBudget } from '../../../src/resilience/deadline.ts';
import { createIdempotency } from '../../../src/store/idempotency.ts';
import { createRedisStore } from '../../../src/store/redis.ts';
import type { Store } from '../../../src/store/store.ts';
import { type GatewayProcess, spawnGateway } from '../../helpers/process.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { topologyOf } from '../../helpers/redis-topologies.ts';
import { type Stack, stackConfig, startStack } from '../../helpers/stack.ts';
import { closeOf, connectDevice, result, V4, V5, writesTo } from '../broker/mutations/helpers.ts';

/**
 * Idempotency keys (CONTRACT §6) over a real Redis that this file starts, shared by an in-process gateway and a
 * second gateway PROCESS: a repeat of a keyed mutation answers the first result with no upstream call and no
 * platform quota slot, on either replica; the key with other arguments is BAD_USER_INPUT; concurrent repeats
 * make one write; an OUTCOME_UNKNOWN first result is answered again as such; keys are per caller; and with
 * Redis down a keyed write is refused (UPSTREAM_UNAVAILABLE, no write) while an unkeyed one goes through.
 * The simulator's request log counts the writes.
 */

const STOPPED = 'f3a4b5c6';
const TIMEOUT_MS = 800;

let redis: TestRedis;
let stack: Stack;
let replica: GatewayProcess;
/** Subscribed to idem/#, so EMQX gives every publish a message ID (v5 gives none when nobody is subscribed). */
let subscriber: MqttClient;
const measured: string[] = [];

const configure = (config: Record<string, any>) => {
  config.platform.quotas = { startDeployment: { limit: 5, windowSeconds: 3600 } };
  // Short, so a hung write turns into OUTCOME_UNKNOWN quickly.
  config.upstream.timeoutMs = TIMEOUT_MS;
};

/** Sends one GraphQL request to a gateway: 0 is the in-process one, 'process' the second process. */
async function gql(
  where: 0 | 'process',
  query: string,
  variables: Record<string, unknown>,
  token = stack.tokens.operator,
): Promise<any> {
  const url = where === 'process' ? replica.url : stack.urls[0];
  const response = await request(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.body.json()) as any;
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return Object.values(body.data)[0];
}

const PUBLISH = `mutation($key: String, $topic: String!, $payload: String!) {
  publish(deploymentId: "${V5}", input: { topic: $topic, payload: $payload, qos: 1 }, idempotencyKey: $key)
    ${result('PublishSuccess', 'topic messageId delivered')}
}`;
const START = `mutation($key: String, $id: String!) {
  startDeployment(deploymentId: $id, idempotencyKey: $key)
    ${result('StartDeploymentSuccess', 'deployment { deploymentId name status type createdAt }')}
}`;

const publishes = () =>
  stack.sim.requestLog.entries({ target: V5, method: 'POST', pathIncludes: '/publish' });
const starts = () => stack.sim.requestLog.entries({ target: 'platform', method: 'POST' });
const auditLines = () =>
  stack.logs[0]!.lines.map((line) => JSON.parse(line)).filter((line) => line.audit === true);
const replicaAuditLines = () =>
  replica.output.filter((line) => line.includes('"audit":true')).map((line) => JSON.parse(line));
const startQuotaLeft = async () => {
  const { body } = await stack.gql('{ upstreamQuotas { endpoint remaining } }');
  return body.data.upstreamQuotas.find((q: { endpoint: string }) => q.endpoint === 'startDeployment')
    .remaining;
};
let keys = 0;
const newKey = (label: string) => `${label}-${++keys}-${crypto.randomUUID()}`;

beforeAll(async () => {
  redis = await startRedis();
  stack = await startStack({ redisUrl: redis.url, configure, redisCommandTimeoutMs: 2_000 });
  const document = stackConfig(stack.sim, stack.tokens);
  configure(document);
  replica = await spawnGateway(document, { REDIS_URL: redis.url });
  subscriber = await connectDevice(stack, V5, 'idem-subscriber');
  await subscriber.subscribeAsync('idem/#', { qos: 1 });
});
afterAll(async () => {
  console.info(`idempotency write counts:\n  ${measured.join('\n  ')}`);
  await subscriber?.endAsync(true);
  await replica?.stop();
  await stack?.close();
  await redis?.stop();
});
beforeEach(() => {
  stack.sim.faults.clear();
  stack.sim.requestLog.clear();
});

describe('a repeat with the same key', () => {
  it('publish: one write, the same answer again, also from the second gateway process', async () => {
    const variables = { key: newKey('pub'), topic: 'idem/one', payload: 'once' };
    const first = await gql(0, PUBLISH, variables);
    expect(first).toMatchObject({ __typename: 'PublishSuccess', topic: 'idem/one' });
    expect(first.messageId).toEqual(expect.any(String));
    const again = await gql(0, PUBLISH, variables);
    const elsewhere = await gql('process', PUBLISH, variables);
    expect(again).toEqual(first);
    expect(elsewhere).toEqual(first);
    expect(publishes()).toHaveLength(1);
    expect(auditLines().at(-1)).toMatchObject({
      operation: 'publish',
      idempotencyKey: variables.key,
      repeat: true,
    });
    expect(replicaAuditLines().at(-1)).toMatchObject({ operation: 'publish', repeat: true });
    measured.push(`publish × 3 (2 gateways, one key): ${publishes().length} upstream write`);
  });

  it('publish without a key is sent every time (no key, no deduplication)', async () => {
    const variables = { key: null, topic: 'idem/free', payload: 'twice' };
    await gql(0, PUBLISH, variables);
    await gql('process', PUBLISH, variables);
    expect(publishes()).toHaveLength(2);
  });

  it('startDeployment: one platform call and one quota slot, the same answer again on both replicas', async () => {
    const quotaBefore = await startQuotaLeft();
    const variables = { key: newKey('start'), id: STOPPED };
    const first = await gql(0, START, variables, stack.tokens.admin);
    expect(first).toMatchObject({
      __typename: 'StartDeploymentSuccess',
      deployment: { deploymentId: STOPPED, status: 'STARTING' },
    });
    const again = await gql(0, START, variables, stack.tokens.admin);
    const elsewhere = await gql('process', START, variables, stack.tokens.admin);
    expect(again).toEqual(first);
    expect(elsewhere).toEqual(first);
    expect(starts().map((e) => e.rawPath)).toEqual([`/public_api/v1/deployments/${STOPPED}/start`]);
    // The repeats took no slot of the platform's 5 starts an hour.
    expect(await startQuotaLeft()).toBe(quotaBefore - 1);
    measured.push(
      `startDeployment × 3 (2 gateways, one key): ${starts().length} platform POST, quota ${quotaBefore} → ${quotaBefore - 1}`,
    );
  });
});

describe('a batch answer with a failed item', () => {
  it('kickClients on v4 (one DELETE per ID): the repeat answers the same items, the failed one too', async () => {
    const device = await connectDevice(stack, V4, 'idem-kicked');
    const closed = closeOf(device);
    const KICKS = `mutation($key: String, $ids: [String!]!) {
      kickClients(deploymentId: "${V4}", clientIds: $ids, idempotencyKey: $key) {
        __typename
        ... on KickClientsSuccess { results { __typename ... on KickClientSuccess { clientId wasConnected } ... on Error { code message } } }
      }
    }`;
    const variables = { key: newKey('kicks'), ids: ['idem-kicked', 'idem-nobody'] };
    const first = await gql(0, KICKS, variables);
    expect(first.results).toEqual([
      { __typename: 'KickClientSuccess', clientId: 'idem-kicked', wasConnected: true },
      expect.objectContaining({ __typename: 'GatewayError', code: 'NOT_FOUND' }),
    ]);
    await closed;
    const kicks = writesTo(stack, V4).length;
    expect(await gql('process', KICKS, variables)).toEqual(first);
    expect(await gql(0, KICKS, variables)).toEqual(first);
    expect(writesTo(stack, V4)).toHaveLength(kicks);
    measured.push(`kickClients(2 IDs, v4) × 3 (2 gateways, one key): ${kicks} upstream DELETEs`);
  });
});

describe('a repeat that a check depending on the time would now refuse', () => {
  it('createBan whose until has passed since the first run: the repeat answers the first result', async () => {
    const BAN = `mutation($key: String, $until: DateTime) {
      createBan(deploymentId: "${V5}", input: { kind: CLIENT_ID, who: "idem-short-ban", until: $until }, idempotencyKey: $key)
        ${result('CreateBanSuccess', 'ban { kind who until }')}
    }`;
    const until = new Date(Date.now() + 1_500);
    const variables = { key: newKey('ban'), until: until.toISOString() };
    const first = await gql(0, BAN, variables);
    expect(first).toMatchObject({ __typename: 'CreateBanSuccess', ban: { who: 'idem-short-ban' } });
    // The same request once `until` is in the past: as a new request it would be BAD_USER_INPUT.
    while (Date.now() <= until.getTime() + 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await gql(0, BAN, { ...variables, key: newKey('fresh') })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.until',
    });
    expect(await gql(0, BAN, variables)).toEqual(first);
    expect(await gql('process', BAN, variables)).toEqual(first);
    expect(writesTo(stack, V5).filter((w) => w.rawPath.endsWith('/banned'))).toHaveLength(1);
    expect(auditLines().at(-1)).toMatchObject({ operation: 'createBan', outcome: 'success', repeat: true });
  });
});

describe('the same key with other arguments', () => {
  it('is BAD_USER_INPUT naming idempotencyKey, and sends nothing', async () => {
    const key = newKey('other');
    await gql(0, PUBLISH, { key, topic: 'idem/a', payload: 'first' });
    stack.sim.requestLog.clear();
    for (const where of [0, 'process'] as const) {
      expect(await gql(where, PUBLISH, { key, topic: 'idem/a', payload: 'second' })).toMatchObject({
        __typename: 'BadUserInputError',
        code: 'BAD_USER_INPUT',
        field: 'idempotencyKey',
      });
    }
    expect(stack.sim.requestLog.entries().filter((e) => e.method !== 'GET')).toEqual([]);
  });
});

describe('concurrent repeats', () => {
  it('two at once, one per replica, while the first is in flight: one write, both get its answer', async () => {
    // The broker takes 300 ms to answer, so the second arrives while the first is still running.
    stack.sim.faults.set(V5, { method: 'POST', delayMs: 300 });
    const variables = { key: newKey('race'), topic: 'idem/race', payload: 'once' };
    const [a, b] = await Promise.all([gql(0, PUBLISH, variables), gql('process', PUBLISH, variables)]);
    expect(a).toMatchObject({ __typename: 'PublishSuccess' });
    expect(b).toEqual(a);
    expect(publishes()).toHaveLength(1);
    measured.push(`publish × 2 concurrent (2 gateways, one key): ${publishes().length} upstream write`);
  });

  it('ten at once on one replica: one write', async () => {
    stack.sim.faults.set(V5, { method: 'POST', delayMs: 100 });
    const variables = { key: newKey('race10'), topic: 'idem/race10', payload: 'once' };
    const answers = await Promise.all(Array.from({ length: 10 }, () => gql(0, PUBLISH, variables)));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(publishes()).toHaveLength(1);
    measured.push(`publish × 10 concurrent (1 gateway, one key): ${publishes().length} upstream write`);
  });
});

describe('an OUTCOME_UNKNOWN first result', () => {
  it('is the answer to every repeat, in flight or after, with no second write', async () => {
    stack.sim.faults.set(V5, { method: 'POST', hang: true });
    const variables = { key: newKey('unknown'), topic: 'idem/unknown', payload: 'maybe' };
    const first = gql(0, PUBLISH, variables);
    // A repeat on the other replica while the first hangs: it waits for the first run's outcome.
    while (publishes().length === 0) await new Promise((resolve) => setImmediate(resolve));
    const waiting = gql('process', PUBLISH, variables);
    const [firstAnswer, waitingAnswer] = [await first, await waiting];
    expect(firstAnswer, JSON.stringify(firstAnswer)).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(waitingAnswer, JSON.stringify(waitingAnswer)).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    stack.sim.faults.clear();
    // The broker answers again, but the key keeps its outcome: the caller reconciles by reading.
    expect(await gql(0, PUBLISH, variables)).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(await gql('process', PUBLISH, variables)).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(publishes()).toHaveLength(1);
    expect(auditLines().at(-1)).toMatchObject({ outcome: 'unknown', code: 'OUTCOME_UNKNOWN', repeat: true });
    measured.push(`publish hung then × 3 repeats (2 gateways): ${publishes().length} upstream write`);
  });
});

describe('a first run that outlasts the pending window', () => {
  let store: Store;
  /** Pending claims written after the first one: the renewals of a running first run. */
  const renewals: Array<{ deadline: number }> = [];
  let clock = 0;
  /** How many coming reads of the store fail, as a slow Redis answers a busy replica. */
  let failLooks = 0;
  /** Reads of the store that answered. */
  let looks = 0;
  const pendingMs = 40;
  let idempotency: ReturnType<typeof createIdempotency>;
  beforeAll(async () => {
    store = createRedisStore({ topology: topologyOf(redis) });
    for (let i = 0; i < 200 && !store.isReady(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const observed: Store = {
      ...store,
      async get(key) {
        if (failLooks > 0) {
          failLooks--;
          throw new Error('Command timed out');
        }
        const text = await store.get(key);
        looks++;
        return text;
      },
      async set(key, value, ttlMs) {
        await store.set(key, value, ttlMs);
        const record = JSON.parse(value);
        if (record.state === 'pending') renewals.push(record);
      },
    };
    idempotency = createIdempotency({
      store: observed,
      keyPrefix: `test:${crypto.randomUUID()}:`,
      ttlMs: 60_000,
      pendingMs,
      pollMs: 5,
      logger: createLogger({ level: 'silent' }),
      // The clock the deadlines are read on; claims are renewed every half window of real time.
      now: () => clock,
    });
  });
  afterAll(() => store?.close());

  /** A first run that ends when the test says so, counting how often it ran. */
  function firstRun() {
    const state = { runs: 0, finish: (_value: string) => {} };
    const work = () => {
      state.runs++;
      return new Promise<string>((resolve) => {
        state.finish = resolve;
      });
    };
    return { state, work };
  }

  /** Waits (polling, bounded) until the running first run renewed its claim past the clock. */
  async function claimRenewed() {
    for (let i = 0; i < 400 && !renewals.some((r) => r.deadline > clock); i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    return renewals.some((r) => r.deadline > clock);
  }

  it('a repeat answered OUTCOME_UNKNOWN while the first run was still going: it now waits for its answer', async () => {
    const scope = { caller: 'operator-key', field: 'updateRule', key: newKey('long') };
    const { state, work } = firstRun();
    const first = idempotency.run(scope, { id: 'r1' }, work);
    // A read and then the write: the first run takes far longer than one pending window, on a live replica.
    clock += 10 * pendingMs;
    expect(await claimRenewed()).toBe(true);
    const repeat = idempotency.run(scope, { id: 'r1' }, work);
    state.finish('updated');
    expect(await first).toBe('updated');
    expect(await repeat).toBe('updated');
    expect(state.runs).toBe(1);
  });

  it('a waiting repeat whose look at the store failed once gave up with UPSTREAM_UNAVAILABLE: it now looks again', async () => {
    const scope = { caller: 'operator-key', field: 'publish', key: newKey('slow-look') };
    const { state, work } = firstRun();
    const first = idempotency.run(scope, { topic: 't' }, work);
    looks = 0;
    const repeat = idempotency.run(scope, { topic: 't' }, work);
    // Once the repeat has seen the pending first run, its next looks fail.
    for (let i = 0; i < 400 && looks === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    failLooks = 3;
    for (let i = 0; i < 400 && failLooks > 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(failLooks).toBe(0);
    state.finish('published');
    expect(await first).toBe('published');
    expect(await repeat).toBe('published');
    expect(state.runs).toBe(1);
  });

  it('a first run that ends as its request budget runs out still records its outcome', async () => {
    const scope = { caller: 'operator-key', field: 'publish', key: newKey('budget') };
    const budget = createBudget(30);
    // The write gives up exactly when the request's time is up, as an unanswered upstream call does.
    const hung = () =>
      new Promise<string>((_, reject) =>
        budget.signal.addEventListener('abort', () => reject(new OutcomeUnknownError('POST /publish')), {
          once: true,
        }),
      );
    const first = withBudget(budget, () => idempotency.run(scope, { topic: 'b' }, hung));
    await expect(first).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    const recorded = await idempotency.recorded<string>(scope, { topic: 'b' });
    expect(recorded).not.toBeNull();
    expect(() => recorded!()).toThrow(/was not retried/);
  });

  it('a repeat whose own request budget ran out while it waited answered "store unreachable": now OUTCOME_UNKNOWN', async () => {
    const scope = { caller: 'operator-key', field: 'publish', key: newKey('waiter-budget') };
    const { state, work } = firstRun();
    const first = idempotency.run(scope, { topic: 'w' }, work);
    looks = 0;
    const repeat = withBudget(createBudget(50), () => idempotency.run(scope, { topic: 'w' }, work));
    await expect(repeat).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(looks).toBeGreaterThan(0);
    state.finish('done');
    expect(await first).toBe('done');
    expect(state.runs).toBe(1);
  });

  it('a repeat still answers OUTCOME_UNKNOWN after its longest wait, when the first run never ends', async () => {
    const scope = { caller: 'operator-key', field: 'updateRule', key: newKey('stuck') };
    const { state, work } = firstRun();
    const first = idempotency.run(scope, { id: 'r2' }, work);
    const repeat = idempotency.run(scope, { id: 'r2' }, work);
    // Past the default longest wait (10 pending windows); the claim is still renewed, yet the repeat gives up.
    clock += 11 * pendingMs;
    await expect(repeat).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    state.finish('late');
    expect(await first).toBe('late');
    expect(state.runs).toBe(1);
  });
});

describe('keys are per caller', () => {
  it('another caller with the same key and arguments acts', async () => {
    const variables = { key: newKey('mine'), topic: 'idem/callers', payload: 'same' };
    const operator = await gql(0, PUBLISH, variables, stack.tokens.operator);
    const admin = await gql('process', PUBLISH, variables, stack.tokens.admin);
    expect(operator).toMatchObject({ __typename: 'PublishSuccess' });
    expect(admin).toMatchObject({ __typename: 'PublishSuccess' });
    expect(admin.messageId).not.toBe(operator.messageId);
    expect(publishes()).toHaveLength(2);
  });
});

describe('a keyed write refused before anything was sent', () => {
  let tripped: Stack;
  beforeAll(async () => {
    tripped = await startStack({
      redisUrl: redis.url,
      configure: (config) => {
        configure(config);
        config.upstream.breaker = { failures: 1, openSeconds: 1 };
      },
    });
  });
  afterAll(() => tripped?.close());

  const readClients = async () =>
    (await tripped.gql(`{ deployment(deploymentId: "${V5}") { clients(first: 1) { totalCount } } }`)).body;
  const send = async (key: string) => {
    const { body } = await tripped.gql(PUBLISH, {
      variables: { key, topic: 'idem/tripped', payload: 'x' },
      token: tripped.tokens.operator,
    });
    return body.data.publish;
  };
  const sent = () => tripped.sim.requestLog.entries({ target: V5, method: 'POST' });

  it('a keyed write refused by an open circuit frees its key: the retry once the broker is back acts', async () => {
    // One failing read opens the circuit to the broker; the keyed publish is then refused without a call.
    tripped.sim.faults.set(V5, { method: 'GET', status: 503, body: '{}' });
    expect((await readClients()).errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    tripped.sim.faults.clear();
    const key = newKey('tripped');
    expect(await send(key)).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      message: expect.stringMatching(/circuit open/),
    });
    expect(sent()).toEqual([]);
    // Once a read gets through again the circuit is closed; the same request with the same key now acts.
    let body = await readClients();
    for (let i = 0; i < 100 && body.errors; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      body = await readClients();
    }
    expect(body.errors).toBeUndefined();
    expect(await send(key)).toMatchObject({ __typename: 'PublishSuccess' });
    expect(sent()).toHaveLength(1);
  });
});

describe('with Redis down', () => {
  it('refuses a keyed write (UPSTREAM_UNAVAILABLE, no write) and sends an unkeyed one', async () => {
    await redis.stop();
    for (const where of [0, 'process'] as const) {
      const refused = await gql(where, PUBLISH, { key: newKey('down'), topic: 'idem/down', payload: 'x' });
      expect(refused).toMatchObject({ __typename: 'GatewayError', code: 'UPSTREAM_UNAVAILABLE' });
      expect(refused.message).toMatch(/idempotency store is unreachable/);
    }
    expect(publishes()).toEqual([]);
    const sent = await gql(0, PUBLISH, { key: null, topic: 'idem/down', payload: 'x' });
    expect(sent).toMatchObject({ __typename: 'PublishSuccess' });
    expect(publishes()).toHaveLength(1);
    measured.push(
      `Redis down: 2 keyed publishes refused, 1 unkeyed sent → ${publishes().length} upstream write`,
    );
  });
});
