import type { LoadResult } from './load.ts';
import type { CallCount } from './upstream-calls.ts';

/** The BENCHMARKS.md text for one run: machine, command, upstream calls, arms side by side, ratios. */

export interface Report {
  machine: { nproc: string; node: string; cpu: string; pinned: boolean };
  seconds: number;
  /** 1-minute load average when the arms had run (other work on the machine shows here). */
  loadAverage: number;
  calls: { first: CallCount; repeated: CallCount; cold: CallCount; d0: CallCount };
  minimum: number;
  arms: Record<'F1' | 'D0' | 'G1' | 'G2' | 'P2', LoadResult[]>;
  delays: Array<{ delayMs: number; d0: LoadResult; g1: LoadResult }>;
  /** Resident set size of each arm's process after its runs, MiB. */
  rss: Record<string, number>;
  redis: {
    cold: RedisCount;
    warm: RedisCount;
    underLoad: { requests: number; roundTrips: number; perRequest: number };
  };
}

interface RedisCount {
  roundTrips: number;
  byCommand: Record<string, number>;
}

const commands = (c: RedisCount) =>
  Object.entries(c.byCommand)
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ') || '—';

const ARM_NAMES = {
  F1: 'bare graphql-yoga `{ hello }` (framework floor)',
  D0: 'hand-written BFF: same REST calls with undici, no cache',
  G1: 'gateway, broker cache off (TTL 1 ms): per-request DataLoader only',
  G2: 'gateway, broker cache warm (TTL 60 s)',
  P2: 'gateway as G2, the dashboard sent as a trusted document (`documentId`), viewers required to',
};

const endpoints = (c: CallCount) =>
  Object.entries(c.byEndpoint)
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ') || '—';

const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : (a / b).toFixed(2));

export function report(r: Report): string {
  const { F1, D0, G1, G2, P2 } = r.arms;
  const at = (runs: LoadResult[], c: number) => runs.find((x) => x.connections === c) as LoadResult;
  const rows = (Object.keys(r.arms) as Array<keyof typeof r.arms>).flatMap((arm) =>
    r.arms[arm].map(
      (x) =>
        `| ${arm} | ${x.connections} | ${x.requestsPerSecond} | ${x.p50} | ${x.p99} | ${x.cpuMicrosPerRequest} | ${x.bytesPerResponse} | ${x.errors + x.non2xx} |`,
    ),
  );
  return `# Benchmarks

Dashboard query: 4 deployments (2 × EMQX v4, 2 × v5) × 25 MQTT clients, each with its subscriptions, plus
each deployment's stats — through the gateway, against the simulator (real aedes brokers, real MQTT devices).

- Command: \`npm run bench\` (\`tsx bench/run.ts\`; \`BENCH_SECONDS=${r.seconds}\` per measured run)
- Machine: \`nproc --all\` = ${r.machine.nproc}, Node ${r.machine.node}, CPU ${r.machine.cpu}
- Placement: ${r.machine.pinned ? 'process under test on core 0 (`taskset -c 0`); simulator and autocannon on core 1' : 'no taskset: unpinned'}; \`NODE_ENV=production\`, logs at \`warn\`, in-memory store, per-caller rate limit off (one caller sends every request)
- Absolute numbers drift 30–50 % between runs on these machines; compare arms within this run. Load average
  when the arms had run: ${r.loadAverage.toFixed(1)} (2 cores: other work shared the machine).

## Upstream calls per dashboard query

| run | broker calls | platform calls | by endpoint |
|---|---|---|---|
| theoretical minimum | ${r.minimum} | 0–1 | per deployment: one page of clients, the subscription table, stats |
| gateway, first run (cold) | ${r.calls.first.broker} | ${r.calls.first.platform} | ${endpoints(r.calls.first)} |
| gateway, repeated within the TTL | ${r.calls.repeated.broker} | ${r.calls.repeated.platform} | ${endpoints(r.calls.repeated)} |
| gateway with cache off (G1) | ${r.calls.cold.broker} | ${r.calls.cold.platform} | ${endpoints(r.calls.cold)} |
| D0 (hand-written, same calls) | ${r.calls.d0.broker} | ${r.calls.d0.platform} | ${endpoints(r.calls.d0)} |

Calls ÷ minimum: first run ${ratio(r.calls.first.broker, r.minimum)}, repeated ${ratio(r.calls.repeated.broker, r.minimum)}.
Without the subscription-table read (one \`GET /clients/{id}/subscriptions\` or \`/subscriptions/{id}\` per client)
the same query would cost ${r.minimum / 3} × (2 + 25) = ${(r.minimum / 3) * 27} calls.

## Arms (closed loop, autocannon; latency in ms; CPU = process under test, µs per request)

| arm | connections | req/s | p50 | p99 | CPU µs/req | bytes/resp | errors |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

${Object.entries(ARM_NAMES)
  .map(([k, v]) => `- ${k}: ${v}`)
  .join('\n')}

## Ratios

- G2 ÷ F1 throughput (c=10): ${ratio(at(G2, 10).requestsPerSecond, at(F1, 10).requestsPerSecond)}
- G1 CPU per query ÷ D0 CPU per iteration (c=10): ${ratio(at(G1, 10).cpuMicrosPerRequest, at(D0, 10).cpuMicrosPerRequest)}
- G1 p50 − D0 p50 at c=1: ${at(G1, 1).p50 - at(D0, 1).p50} ms
- G2 ÷ D0 throughput (c=10): ${ratio(at(G2, 10).requestsPerSecond, at(D0, 10).requestsPerSecond)}
- P2 ÷ F1 throughput (c=10): ${ratio(at(P2, 10).requestsPerSecond, at(F1, 10).requestsPerSecond)}; P2 ÷ G2: ${ratio(at(P2, 10).requestsPerSecond, at(G2, 10).requestsPerSecond)}
- G3 ÷ F1, G4 ÷ F1 (response cache): not measured — no response cache is adopted yet (issue 12, part 1)

## Shared-store round trips per dashboard (a gateway on Redis)

Counted by Redis: round trips with MONITOR (commands a client sent; what a Lua script runs inside its round trip
is not one), the breakdown with INFO commandstats (which does count script-internal commands).

| request | round trips | commands run (commandstats) |
|---|---|---|
| cold (first dashboard, empty cache) | ${r.redis.cold.roundTrips} | ${commands(r.redis.cold)} |
| warm (the next one) | ${r.redis.warm.roundTrips} | ${commands(r.redis.warm)} |
| closed loop, 10 connections, ${r.redis.underLoad.requests} requests | ${r.redis.underLoad.perRequest.toFixed(2)} per request | ${r.redis.underLoad.roundTrips} in all |

A warm request reads the fleet's cache epoch once and serves every cached read from this process's decoded
entries stamped with that epoch (src/store/read-through.ts); a cold one reads each key, takes and releases a
fetch lock, counts the quota and stores the value. Before this change a warm dashboard made 16 round trips (4 of
them the whole deployments list) and a cold one 52.

## RSS after each arm's runs (MiB)

| F1 | D0 | G1 | G2 | P2 |
|---|---|---|---|---|
| ${r.rss.F1 ?? '—'} | ${r.rss.D0 ?? '—'} | ${r.rss.G1 ?? '—'} | ${r.rss.G2 ?? '—'} | ${r.rss.P2 ?? '—'} |

## G4: simulator delay per broker call (c=1, p50 ms)

| delay | D0 p50 | G1 p50 | G1 p50 ÷ delay |
|---|---|---|---|
${r.delays.map((d) => `| ${d.delayMs} ms | ${d.d0.p50} | ${d.g1.p50} | ${ratio(d.g1.p50, d.delayMs)} |`).join('\n')}

D0 sends its three calls per deployment at once (one delay). The gateway now starts the subscription-table
read together with the page of clients whose subscriptions the query asks for (before, it waited for the page:
two delays), so its floor is one delay too; the four deployments run concurrently in both.

## Where the gateway's CPU goes (G2, warm cache)

A first CPU profile of warm dashboard queries (node \`--cpu-prof\`, taken apart from this run) put about a
fifth of the time in zod (every cached entry parsed again on read: the read-through entry, then the adapter's
wire schema), a fifth in graphql-js execution (≈ 300 objects and 1 000 fields per answer), an eighth in garbage
collection, and a large share in spreading each client's ~40 fields into a new object per request. Three changes
took G2 from ≈ 12 500 to ≈ 5 000 µs per query: the read-through cache reuses its last decoding of a key while the
store still holds exactly the same bytes (the store is still read every time, so invalidation and other replicas'
writes are seen at once), adapters memoise their wire parse per body object, and the schema wraps a client
instead of copying it. What remains is mostly graphql-js execution and Yoga's response serialisation. Yoga's executor-level cancellation (\`useExecutionCancellation\`) cost ≈ 1.5 ms of a warm
dashboard (a signal check per field); the gateway checks for a gone caller where upstream work starts instead.

## Q: platform calls per quota window (from the test suite)

\`npx vitest run test/integration/quotas.test.ts\` replays a compressed hour: \`listDeployments\` at 10 calls
per 20 s window, a deployments TTL of 20 ms (nearly every query wants a refresh), 300 queries from 20 concurrent
callers. One gateway made 10 platform list calls; two gateway processes sharing one Redis made 9–10 in total
(runs differ by when the window's last slot is taken). Calls ÷ quota ≤ 1.0 in every run, and every one of the
300 queries got data (fresh, cached or stale).

## Not measured in this run

F0 (raw node:http), G3 and G4 (no response cache is adopted yet), S(N,M) scaling, open-loop
fixed-rate latency, event-loop delay.
`;
}
