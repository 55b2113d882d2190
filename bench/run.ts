import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { runFanout } from './fanout.ts';
import { fanoutSection, withFanoutSection } from './fanout-report.ts';
import { DASHBOARD_QUERY, DEPLOYMENTS, gatewayConfig, MINIMUM_CALLS, startFleet } from './fleet.ts';
import { type LoadResult, load } from './load.ts';
import { type BenchProcess, freePort, HAS_TASKSET, pinSelf, startPinned, writeJson } from './processes.ts';
import { startBenchRedis } from './redis-server.ts';
import { report } from './report.ts';
import { countCalls, gql } from './upstream-calls.ts';

/**
 * `npm run bench`: the dashboard query (4 deployments, v4 and v5, × 25 clients with subscriptions and stats)
 * through the gateway against the simulator, beside the same REST work done directly with undici (D0) and
 * bare Yoga (F1), all in one run, and the live-data fan-out (bench/fanout.ts). Writes BENCHMARKS.md.
 * BENCH_SECONDS sets each measured run (default 5); BENCH_ARMS=fanout runs only the fan-out and replaces only
 * its section.
 */

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const TOKEN = `bench-${crypto.randomUUID()}`;
const DASHBOARD = JSON.stringify({ query: DASHBOARD_QUERY });
const DASHBOARD_ID = createHash('sha256').update(DASHBOARD_QUERY).digest('hex');
const PERSISTED = JSON.stringify({ documentId: DASHBOARD_ID });
const FANOUT_STREAMS = [1, 100, 1000];
const BENCHMARKS = new URL('../BENCHMARKS.md', import.meta.url);

function machineInfo() {
  return {
    nproc: execSync('nproc --all').toString().trim(),
    node: process.version,
    cpu: execSync("grep -m1 'model name' /proc/cpuinfo").toString().split(':')[1]?.trim() ?? 'unknown',
    pinned: HAS_TASKSET,
  };
}

async function fanoutOnly() {
  pinSelf();
  const loadAverage = loadavg()[0]!;
  const fleet = await startFleet();
  try {
    const results = await runFanout(fleet.sim, TOKEN, FANOUT_STREAMS, SECONDS);
    const section = fanoutSection({ results, seconds: SECONDS, machine: machineInfo(), loadAverage });
    writeFileSync(BENCHMARKS, withFanoutSection(readFileSync(BENCHMARKS, 'utf8'), section));
    console.log('wrote the fan-out section of BENCHMARKS.md');
  } finally {
    await fleet.close();
  }
}

const rss: Record<string, number> = {};

async function measure(target: BenchProcess, path: string, body?: string, arm?: string) {
  const options = { target, path, ...(body ? { body, token: TOKEN } : {}) };
  await load({ ...options, connections: 4, seconds: Math.min(2, SECONDS) });
  const runs: LoadResult[] = [];
  for (const connections of [1, 10]) runs.push(await load({ ...options, connections, seconds: SECONDS }));
  if (arm) rss[arm] = target.rssMiB();
  return runs;
}

/**
 * Shared-store round trips per dashboard: a gateway on Redis, cold (first request), warm (the next one), and per
 * request over a closed-loop run at 10 connections (MONITOR slows Redis: that run's throughput is not reported).
 */
async function redisRoundTrips(
  start: (script: string, env: Record<string, string>) => Promise<BenchProcess>,
  warmFile: string,
) {
  const redis = await startBenchRedis();
  try {
    const gateway = await start('src/server.ts', { GATEWAY_CONFIG_FILE: warmFile, REDIS_URL: redis.url });
    const one = async () => {
      await redis.reset();
      await gql(gateway.url, TOKEN, DASHBOARD_QUERY);
      return redis.counts();
    };
    const cold = await one();
    const warm = await one();
    await redis.reset();
    const run = await load({
      target: gateway,
      path: '/graphql',
      body: DASHBOARD,
      token: TOKEN,
      connections: 10,
      seconds: Math.min(3, SECONDS),
    });
    const counted = await redis.counts();
    const requests = Math.max(1, Math.round(run.requestsPerSecond * Math.min(3, SECONDS)));
    await gateway.stop();
    return {
      cold,
      warm,
      underLoad: { requests, roundTrips: counted.roundTrips, perRequest: counted.roundTrips / requests },
    };
  } finally {
    await redis.stop();
  }
}

async function main() {
  pinSelf();
  const fleet = await startFleet();
  const { sim } = fleet;
  const processes: BenchProcess[] = [];
  const start = async (script: string, env: Record<string, string>) => {
    const started = await startPinned(script, env, await freePort());
    processes.push(started);
    return started;
  };
  try {
    const coldFile = writeJson('cold.json', gatewayConfig(sim, TOKEN, 0.001));
    const warmFile = writeJson('warm.json', gatewayConfig(sim, TOKEN, 60));
    const f1 = await start('bench/bare-yoga.ts', {});
    const d0 = await start('bench/d0-server.ts', {
      BENCH_D0_CONFIG: warmFile,
      BENCH_D0_IDS: JSON.stringify(DEPLOYMENTS),
    });
    const g1 = await start('src/server.ts', { GATEWAY_CONFIG_FILE: coldFile });
    const g2 = await start('src/server.ts', { GATEWAY_CONFIG_FILE: warmFile });
    const manifest = writeJson('persisted-documents.json', { [DASHBOARD_ID]: DASHBOARD_QUERY });
    const persistedConfig = gatewayConfig(sim, TOKEN, 60) as Record<string, any>;
    persistedConfig.security = {
      ...persistedConfig.security,
      persistedOperations: { manifest, requiredFor: ['viewer'] },
    };
    const p2 = await start('src/server.ts', {
      GATEWAY_CONFIG_FILE: writeJson('persisted.json', persistedConfig),
    });

    const calls = {
      first: await countCalls(sim, () => gql(g2.url, TOKEN, DASHBOARD_QUERY)),
      repeated: await countCalls(sim, () => gql(g2.url, TOKEN, DASHBOARD_QUERY)),
      cold: await countCalls(sim, () => gql(g1.url, TOKEN, DASHBOARD_QUERY)),
      d0: await countCalls(sim, () => fetch(d0.url, { method: 'POST' }).then((r) => r.json())),
    };

    const arms = {
      F1: await measure(f1, '/graphql', JSON.stringify({ query: '{ hello }' })),
      D0: await measure(d0, '/'),
      G1: await measure(g1, '/graphql', DASHBOARD),
      G2: await measure(g2, '/graphql', DASHBOARD, 'G2'),
      P2: await measure(p2, '/graphql', PERSISTED, 'P2'),
    };
    rss.F1 = f1.rssMiB();
    rss.D0 = d0.rssMiB();
    rss.G1 = g1.rssMiB();
    const armsLoad = loadavg()[0]!;
    const redis = await redisRoundTrips(start, warmFile);

    const delays: Array<{ delayMs: number; d0: LoadResult; g1: LoadResult }> = [];
    for (const delayMs of [5, 50]) {
      for (const id of DEPLOYMENTS) sim.faults.set(id, { delayMs });
      const d0Run = await load({ target: d0, path: '/', connections: 1, seconds: Math.min(3, SECONDS) });
      const g1Run = await load({
        target: g1,
        path: '/graphql',
        body: DASHBOARD,
        token: TOKEN,
        connections: 1,
        seconds: Math.min(3, SECONDS),
      });
      delays.push({ delayMs, d0: d0Run, g1: g1Run });
    }
    sim.faults.clear();

    const loadAverage = loadavg()[0]!;
    const fanout = await runFanout(sim, TOKEN, FANOUT_STREAMS, SECONDS);
    const machine = machineInfo();
    writeFileSync(
      BENCHMARKS,
      withFanoutSection(
        report({
          machine,
          seconds: SECONDS,
          calls,
          minimum: MINIMUM_CALLS,
          arms,
          delays,
          rss,
          redis,
          loadAverage: armsLoad,
        }),
        fanoutSection({ results: fanout, seconds: SECONDS, machine, loadAverage }),
      ),
    );
    console.log('wrote BENCHMARKS.md');
    console.log(
      JSON.stringify(
        {
          calls,
          arms,
          rss,
          redis,
          delays: delays.map((d) => ({ delayMs: d.delayMs, d0p50: d.d0.p50, g1p50: d.g1.p50 })),
        },
        null,
        1,
      ),
    );
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await fleet.close();
  }
}

await (process.env.BENCH_ARMS === 'fanout' ? fanoutOnly() : main());
