import { type FanoutResult, WINDOW } from './fanout.ts';

/** The BENCHMARKS.md section of the fan-out arm, between markers so a fan-out-only run replaces just it. */

export const FANOUT_START = '<!-- fanout -->';
export const FANOUT_END = '<!-- /fanout -->';

export interface FanoutReport {
  results: FanoutResult[];
  seconds: number;
  machine: { nproc: string; node: string; cpu: string; pinned: boolean };
  /** 1-minute load average when the arm started: the machine is shared, and the figures move with it. */
  loadAverage: number;
}

export function fanoutSection({ results, seconds, machine, loadAverage }: FanoutReport): string {
  const one = results.find((r) => r.streams === 1);
  const rows = results.map(
    (r) =>
      `| ${r.streams} | ${r.messagesPerSecond} | ${r.deliveriesPerSecond} | ${one ? (r.deliveriesPerSecond / one.deliveriesPerSecond).toFixed(1) : 'n/a'} | ${r.latencyRate} | ${r.p50} | ${r.p99} | ${r.dropped} | ${r.cpuMicrosPerDelivery} | ${r.rssBeforeMb} → ${r.rssMb} |`,
  );
  return `${FANOUT_START}
## Live data fan-out (one MQTT publisher → N SSE streams)

\`mqttMessages\` on one topic of one deployment (v5, the simulator's aedes broker), N streams over SSE from one
caller, all fed by the gateway's one MQTT connection to the deployment.

- Command: \`npm run bench\` (all arms) or \`BENCH_ARMS=fanout npm run bench\` (this section only);
  \`BENCH_SECONDS=${seconds}\` per phase
- Machine: \`nproc --all\` = ${machine.nproc}, Node ${machine.node}, CPU ${machine.cpu}; 1-minute load average
  ${loadAverage.toFixed(2)} at the start (a shared machine: p99 and throughput move by tens of % between runs)
- Placement: a fresh gateway per N on core 0${machine.pinned ? ' (`taskset -c 0`)' : ' (taskset missing: not pinned)'}; the
  broker, the publisher and the N SSE clients (undici, one connection each) share core 1 — at N = 1000 the
  client side parses as many events as the gateway writes, so the figures are a floor for the gateway.
- Throughput: closed loop, the publisher at most ${WINDOW} messages ahead of the average stream (QoS 0);
  deliveries/s = messages/s × N. Latency: open loop at half that rate, from each message's scheduled send time
  to the client parsing its SSE event (broker hop included). RSS: the gateway before any stream → with N open.
- Settings: \`limits.maxStreams\`/\`maxStreamsPerCaller\` N + 10, \`limits.streamBufferSize\` 100 (default),
  everything else as shipped.

| streams N | messages/s | deliveries/s | deliveries ÷ N=1 | latency rate (msg/s) | p50 ms | p99 ms | dropped | gateway CPU µs per delivery | gateway RSS MB |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}
${FANOUT_END}
`;
}

/** BENCHMARKS.md with its fan-out section replaced (or appended when it has none). */
export function withFanoutSection(document: string, section: string): string {
  const start = document.indexOf(FANOUT_START);
  const end = document.indexOf(FANOUT_END);
  if (start === -1 || end === -1) return `${document.trimEnd()}\n\n${section}`;
  return `${document.slice(0, start)}${section.trimEnd()}${document.slice(end + FANOUT_END.length)}`;
}
