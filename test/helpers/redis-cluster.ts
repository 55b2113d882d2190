import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, spawnRedisServer, stopChild, toArgs } from './redis.ts';

/** A real Redis Cluster of `masters` nodes on free loopback ports, started for one test file. */
export interface TestRedisCluster {
  /** The seed list as REDIS_CLUSTER_NODES takes it: `127.0.0.1:7001,127.0.0.1:7002,…`. */
  nodes: string;
  ports: number[];
  stop(): Promise<void>;
}

const run = promisify(execFile);

interface ClusterNode {
  port: number;
  child: ChildProcess;
}

/**
 * One cluster node; its bus port is picked free too (`cluster-port`) rather than port + 10000, which may be
 * taken or beyond 65535. `cluster-require-full-coverage no` keeps the survivors answering when a test kills one.
 */
async function startNode(dir: string): Promise<ClusterNode> {
  for (let attempt = 0; ; attempt++) {
    const [port, busPort] = [await freePort(), await freePort()];
    if (port === busPort) continue;
    const args = toArgs({
      port,
      'cluster-enabled': 'yes',
      'cluster-port': busPort,
      'cluster-config-file': join(dir, `nodes-${port}.conf`),
      'cluster-node-timeout': 2000,
      'cluster-require-full-coverage': 'no',
      dir,
    });
    try {
      return { port, child: await spawnRedisServer(args) };
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** Polls every node until each reports `cluster_state:ok` and knows all the others. */
async function untilConverged(ports: number[], timeoutMs = 15_000): Promise<void> {
  const clients = ports.map((port) => new Redis({ port, host: '127.0.0.1', lazyConnect: true }));
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const infos = await Promise.all(clients.map((client) => client.cluster('INFO') as Promise<string>));
      const converged = infos.every(
        (info) => info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${ports.length}`),
      );
      if (converged) return;
      if (Date.now() > deadline) throw new Error(`Redis Cluster did not converge:\n${infos.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    for (const client of clients) client.disconnect();
  }
}

/**
 * Starts `masters` empty nodes and joins them with `redis-cli --cluster create` (no replicas), as an
 * operator would. Takes about a second; the slots are spread evenly over the masters.
 */
export async function startRedisCluster(masters = 3): Promise<TestRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'emqx-gw-cluster-'));
  const nodes: ClusterNode[] = [];
  try {
    nodes.push(...(await Promise.all(Array.from({ length: masters }, () => startNode(dir)))));
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    await untilConverged(nodes.map((node) => node.port));
  } catch (error) {
    await Promise.all(nodes.map((node) => stopChild(node.child)));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    nodes: nodes.map((node) => `127.0.0.1:${node.port}`).join(','),
    ports: nodes.map((node) => node.port),
    async stop() {
      await Promise.all(nodes.map((node) => stopChild(node.child)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
