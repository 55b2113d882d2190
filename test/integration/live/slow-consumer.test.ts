import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import mqtt, { type MqttClient } from 'mqtt';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayFilters, sseSubscribe } from '../../helpers/live.ts';
import { waitFor } from '../../helpers/sim-broker.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * A consumer that does not read its stream: the gateway keeps at most limits.streamBufferSize messages for it,
 * drops the oldest and says how many in droppedBefore; its memory does not grow with what the broker sends.
 */

const V5 = 'a1b2c3d4';
const BUFFER = 10;
const COUNT = 400;
const BATCHES = 4;
const PAYLOAD_BYTES = 64 * 1024;
const MESSAGES = `subscription($id: String!, $filter: String!) {
  mqttMessages(deploymentId: $id, topicFilter: $filter) { topic payload payloadBytes droppedBefore } }`;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** Live heap and buffers after a full collection. */
function retainedBytes() {
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

describe('a slow consumer', () => {
  let stack: Stack;
  let device: MqttClient;
  const sim = () => stack.sim.deployment(V5)!;

  async function liveMessages(outcome: 'in' | 'dropped') {
    const text = await (await request(`${stack.urls[0]}/metrics`)).body.text();
    const line = new RegExp(`^gateway_live_messages_total\\{outcome="${outcome}"\\} (\\d+)`, 'm');
    return Number(line.exec(text)?.[1] ?? 0);
  }

  beforeAll(async () => {
    stack = await startStack({
      configure: (config) => {
        config.limits = { streamBufferSize: BUFFER, maxPayloadBytes: 2 * PAYLOAD_BYTES };
      },
    });
    device = await mqtt.connectAsync(sim().mqttUrl()!, { ...sim().mqttUsers[0]!, reconnectPeriod: 0 });
  });
  afterAll(async () => {
    await device?.endAsync(true);
    await stack?.close();
  });

  it('loses the oldest messages (droppedBefore > 0) and the gateway memory stays bounded', async () => {
    const sub = await sseSubscribe(
      stack.urls[0]!,
      stack.tokens.operator,
      MESSAGES,
      { id: V5, filter: 'slow/#' },
      {
        paused: true,
      },
    );
    await waitFor(async () => (await gatewayFilters(sim())).includes('slow/#'));
    const body = 'x'.repeat(PAYLOAD_BYTES);
    const publish = async (batch: number) => {
      for (let i = batch * COUNT; i < (batch + 1) * COUNT; i++) await device.publishAsync(`slow/${i}`, body);
      await waitFor(async () => (await liveMessages('in')) === (batch + 1) * COUNT, 15_000);
      return retainedBytes();
    };
    // The first batches fill every buffer on the way (the stream's, the sockets'); the later ones must add nothing
    // that grows with them. Unbounded, the gateway would hold all of it (a batch is ~26 MB, held as text and as
    // SSE bytes) after each batch; bounded, at least one of two batches adds less than half of that even when a
    // loaded machine has not collected or flushed everything in time for the other.
    await publish(0);
    let before = await publish(1);
    const growths: number[] = [];
    for (let batch = 2; batch < BATCHES; batch++) {
      const after = await publish(batch);
      growths.push(after - before);
      before = after;
    }
    expect(Math.min(...growths)).toBeLessThan((COUNT * PAYLOAD_BYTES) / 2);

    sub.resume();
    await waitFor(
      () => sub.results.at(-1)?.data?.mqttMessages.topic === `slow/${BATCHES * COUNT - 1}`,
      15_000,
    );
    const delivered = sub.results.map((r) => r.data.mqttMessages);
    const dropped = delivered.reduce((sum, m) => sum + m.droppedBefore, 0);
    expect(dropped).toBeGreaterThan(0);
    expect(delivered.length + dropped).toBe(BATCHES * COUNT);
    expect(await liveMessages('dropped')).toBe(dropped);
    // Drop-oldest: what arrives is in publish order and ends with the newest.
    const indexes = delivered.map((m) => Number(m.topic.split('/')[1]));
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(delivered.every((m) => m.payloadBytes === PAYLOAD_BYTES)).toBe(true);
    sub.close();
  });
});
