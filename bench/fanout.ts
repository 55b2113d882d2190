import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { Agent, request } from 'undici';
import type { Simulator } from '../src/simulator/index.ts';
import { gatewayConfig } from './fleet.ts';
import { type BenchProcess, freePort, startPinned, writeJson } from './processes.ts';

/**
 * The fan-out arm: one MQTT publisher, N SSE streams of `mqttMessages` on the same topic through one gateway
 * (its one MQTT connection to the deployment). For each N, a fresh gateway on core 0:
 * - throughput: the publisher sends as fast as the slowest-on-average stream keeps up (at most WINDOW messages
 *   ahead of the deliveries), so the figure is what the gateway sustains, not what it drops;
 * - latency: an open loop at half that rate; each payload carries its scheduled send time, so latency is
 *   counted from the schedule (no coordinated omission) to the SSE event parsed by the client;
 * - RSS of the gateway with the N streams open, beside its RSS before any stream.
 */

export interface FanoutResult {
  streams: number;
  messagesPerSecond: number;
  deliveriesPerSecond: number;
  latencyRate: number;
  p50: number;
  p99: number;
  dropped: number;
  rssBeforeMb: number;
  rssMb: number;
  cpuMicrosPerDelivery: number;
}

const DEPLOYMENT = 'a1b2c3d4';
const TOPIC = 'bench/fanout';
export const WINDOW = 20;
const QUERY = `subscription { mqttMessages(deploymentId: "${DEPLOYMENT}", topicFilter: "${TOPIC}") { payload } }`;
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMb(pid: number): number {
  const line = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(line?.[1] ?? 0) / 1024);
}

async function droppedMessages(url: string): Promise<number> {
  const text = await (await request(`${url}/metrics`)).body.text();
  return Number(/^gateway_live_messages_total\{outcome="dropped"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export function fanoutConfig(sim: Simulator, token: string, streams: number) {
  const config = gatewayConfig(sim, token, 60) as ReturnType<typeof gatewayConfig> & Record<string, unknown>;
  const d = sim.deployment(DEPLOYMENT)!;
  const user = d.gatewayMqttUser!;
  Object.assign(config.deployments[DEPLOYMENT]!, {
    mqtt: { url: d.mqttUrl(), username: user.username, password: user.password },
  });
  config.auth = { apiKeys: [{ name: 'bench', key: token, role: 'operator', projects: ['*'] }] };
  config.limits = { maxStreams: streams + 10, maxStreamsPerCaller: streams + 10 };
  return config;
}

/** N open streams; `received` counts each stream's events, `latencies` collects (receive − scheduled) ms. */
async function openStreams(gateway: BenchProcess, token: string, streams: number) {
  const agent = new Agent({ connections: null, pipelining: 0 });
  const controllers: AbortController[] = [];
  const received = new Array<number>(streams).fill(0);
  const state = { total: 0, latencies: null as number[] | null };
  let wake: (() => void) | null = null;
  const open = async (index: number) => {
    const controller = new AbortController();
    controllers.push(controller);
    const response = await request(`${gateway.url}/graphql`, {
      method: 'POST',
      dispatcher: agent,
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query: QUERY }),
      signal: controller.signal,
    });
    if (response.statusCode !== 200) throw new Error(`stream ${index}: HTTP ${response.statusCode}`);
    void (async () => {
      try {
        for await (const chunk of response.body) {
          const at = now();
          for (const match of chunk.toString().matchAll(/"payload":"([0-9.]+)"/g)) {
            received[index]!++;
            state.total++;
            state.latencies?.push(at - Number(match[1]));
          }
          const resolve = wake;
          wake = null;
          resolve?.();
        }
      } catch {
        // aborted at the end
      }
    })();
  };
  for (let i = 0; i < streams; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, streams - i) }, (_, j) => open(i + j)));
  }
  return {
    received,
    state,
    /** Resolves at the next chunk any stream receives (or after 5 ms). */
    progress: () =>
      new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 5);
      }),
    async close() {
      for (const controller of controllers) controller.abort();
      await agent.close().catch(() => undefined);
    },
  };
}

export async function runFanout(
  sim: Simulator,
  token: string,
  counts: number[],
  seconds: number,
): Promise<FanoutResult[]> {
  const d = sim.deployment(DEPLOYMENT)!;
  const publisher = await mqtt.connectAsync(d.mqttUrl()!, { ...d.mqttUsers[0]!, reconnectPeriod: 0 });
  const results: FanoutResult[] = [];
  try {
    for (const streams of counts) {
      const file = writeJson(`fanout-${streams}.json`, fanoutConfig(sim, token, streams));
      const gateway = await startPinned('src/server.ts', { GATEWAY_CONFIG_FILE: file }, await freePort());
      try {
        const rssBeforeMb = rssMb(gateway.pid);
        const live = await openStreams(gateway, token, streams);

        // Throughput, closed loop on the average delivery lag.
        let published = 0;
        const cpuBefore = gateway.cpuSeconds();
        const started = now();
        while (now() - started < seconds * 1000) {
          if (published * streams - live.state.total < WINDOW * streams) {
            await publisher.publishAsync(TOPIC, String(now()));
            published++;
          } else {
            await live.progress();
          }
        }
        while (live.state.total < published * streams && now() - started < (seconds + 10) * 1000) {
          await live.progress();
        }
        const elapsed = (now() - started) / 1000;
        const cpuMicros = ((gateway.cpuSeconds() - cpuBefore) * 1e6) / Math.max(1, live.state.total);
        const messagesPerSecond = published / elapsed;

        // Latency, open loop at half the sustained rate.
        const rate = Math.max(1, Math.floor(messagesPerSecond / 2));
        live.state.latencies = [];
        const expected = live.state.total + rate * seconds * streams;
        const begin = now();
        for (let i = 0; i < rate * seconds; i++) {
          const scheduled = begin + (i * 1000) / rate;
          // Never early: a message is sent at or after its scheduled time, and its latency counts from that time.
          while (now() < scheduled) await sleep(scheduled - now());
          publisher.publish(TOPIC, String(scheduled));
        }
        const deadline = now() + 10_000;
        while (live.state.total < expected && now() < deadline) await live.progress();
        const sorted = live.state.latencies.sort((a, b) => a - b);

        results.push({
          streams,
          messagesPerSecond: Math.round(messagesPerSecond),
          deliveriesPerSecond: Math.round(messagesPerSecond * streams),
          latencyRate: rate,
          p50: Number(percentile(sorted, 50).toFixed(1)),
          p99: Number(percentile(sorted, 99).toFixed(1)),
          dropped: await droppedMessages(gateway.url),
          rssBeforeMb,
          rssMb: rssMb(gateway.pid),
          cpuMicrosPerDelivery: Math.round(cpuMicros),
        });
        console.log(JSON.stringify(results.at(-1)));
        await live.close();
      } finally {
        await gateway.stop();
      }
    }
  } finally {
    await publisher.endAsync(true);
  }
  return results;
}
