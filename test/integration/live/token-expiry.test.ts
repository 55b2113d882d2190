import { SignJWT } from 'jose';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayFilters, type LiveSubscription, sseSubscribe } from '../../helpers/live.ts';
import { waitFor } from '../../helpers/sim-broker.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';

/** A stream lives as long as its caller's token: a JWT's `exp` ends it with UNAUTHENTICATED. */

const V5 = 'a1b2c3d4';
const SECRET = `jwt-secret-${crypto.randomUUID()}`;
const ISSUER = 'https://idp.test';
const AUDIENCE = 'emqx-gateway';
const MESSAGES = `subscription($id: String!, $filter: String!) {
  mqttMessages(deploymentId: $id, topicFilter: $filter) { topic payload } }`;

const token = (expiresInSeconds: number) =>
  new SignJWT({ sub: 'live-user', role: 'operator', projects: '*' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .sign(new TextEncoder().encode(SECRET));

describe('live streams and token expiry', () => {
  let stack: Stack;
  let device: MqttClient;
  const open: LiveSubscription[] = [];
  const sim = () => stack.sim.deployment(V5)!;

  beforeAll(async () => {
    stack = await startStack({
      configure: (config) => {
        config.auth.jwt = { secret: SECRET, issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 0 };
      },
    });
    device = await mqtt.connectAsync(sim().mqttUrl()!, { ...sim().mqttUsers[0]!, reconnectPeriod: 0 });
  });
  afterAll(async () => {
    for (const sub of open) sub.close();
    await device?.endAsync(true);
    await stack?.close();
  });

  it('ends the stream with UNAUTHENTICATED when the JWT expires, and releases its filter', async () => {
    const sub = await sseSubscribe(stack.urls[0]!, await token(2), MESSAGES, { id: V5, filter: 'exp/short' });
    open.push(sub);
    await waitFor(async () => (await gatewayFilters(sim())).includes('exp/short'));
    await device.publishAsync('exp/short', 'before expiry');
    await sub.waitFor(1);
    await sub.done;
    expect(sub.results).toHaveLength(2);
    expect(sub.results[0]!.data.mqttMessages.payload).toBe('before expiry');
    expect(sub.results[1]!.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await waitFor(async () => !(await gatewayFilters(sim())).includes('exp/short'));
  });

  // Bug: the expiry timer was a plain setTimeout, which fires at once for delays beyond 2^31 ms (24.8 days).
  it('keeps the stream of a token valid for 30 days open (expiry timer beyond 24.8 days)', async () => {
    const sub = await sseSubscribe(stack.urls[0]!, await token(30 * 86_400), MESSAGES, {
      id: V5,
      filter: 'exp/long',
    });
    open.push(sub);
    await waitFor(async () => (await gatewayFilters(sim())).includes('exp/long'));
    await device.publishAsync('exp/long', 'still open');
    await sub.waitFor(1);
    expect(sub.results).toEqual([{ data: { mqttMessages: { topic: 'exp/long', payload: 'still open' } } }]);
    sub.close();
  });
});
