import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { launchOnFreePort, stopChild, toArgs } from './redis.ts';

/** A real Sentinel setup: one master, one replica and `sentinels` sentinels watching them. */
export interface TestRedisSentinel {
  /** As REDIS_SENTINELS takes it: `127.0.0.1:26001,…`. */
  sentinels: string;
  /** As REDIS_SENTINEL_MASTER takes it. */
  masterName: string;
  /** The port of the current master, as the sentinels report it. */
  masterPort(): Promise<number>;
  /** Makes the sentinels promote the replica (SENTINEL FAILOVER) and waits until they report it. */
  failover(): Promise<void>;
  stop(): Promise<void>;
}

const MASTER_NAME = 'gateway';

/** Polls `check` every 50 ms until it returns true, failing with `what` after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Redis Sentinel: ${what} did not happen in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A sentinel's configuration must be a writable file (it rewrites it). Quorum 1 and short timeouts so
 * that a forced failover completes in about a second.
 */
function sentinelConfig(dir: string, masterPort: number) {
  return (port: number) => {
    const file = join(dir, `sentinel-${port}.conf`);
    const lines = [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 1`,
      `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
      `sentinel failover-timeout ${MASTER_NAME} 3000`,
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    return [file, '--sentinel'];
  };
}

/** The sentinels see the replica once they have read the master's INFO; a failover needs it. */
async function untilReplicaKnown(sentinel: Redis) {
  await until('replica discovery', async () => {
    const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as string[][];
    return replicas.some((fields) => {
      const flags = fields[fields.indexOf('flags') + 1] ?? '';
      return !flags.includes('down') && !flags.includes('disconnected');
    });
  });
}

export async function startRedisSentinel(sentinelCount = 1): Promise<TestRedisSentinel> {
  const dir = mkdtempSync(join(tmpdir(), 'emqx-gw-sentinel-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => stopChild(child)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const master = await launchOnFreePort((port) => toArgs({ port, dir }));
    children.push(master.child);
    // The replica's full sync writes an RDB file: into the temporary directory, not the working one.
    const replica = await launchOnFreePort((port) =>
      toArgs({ port, dir, replicaof: `127.0.0.1 ${master.port}` }),
    );
    children.push(replica.child);
    const sentinels = [];
    for (let i = 0; i < sentinelCount; i++) {
      sentinels.push(await launchOnFreePort(sentinelConfig(dir, master.port), '+monitor master'));
      children.push(sentinels.at(-1)!.child);
    }
    const ports = sentinels.map((sentinel) => sentinel.port);
    const ask = async <T>(run: (client: Redis) => Promise<T>): Promise<T> => {
      const client = new Redis({ host: '127.0.0.1', port: ports[0]!, lazyConnect: true });
      try {
        return await run(client);
      } finally {
        client.disconnect();
      }
    };
    const masterPort = () =>
      ask(async (client) => {
        const [, port] = (await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as string[];
        return Number(port);
      });
    await ask(untilReplicaKnown);
    return {
      sentinels: ports.map((port) => `127.0.0.1:${port}`).join(','),
      masterName: MASTER_NAME,
      masterPort,
      async failover() {
        const before = await masterPort();
        await ask((client) => client.call('SENTINEL', 'FAILOVER', MASTER_NAME));
        await until('the switch to the replica', async () => (await masterPort()) !== before);
        await ask(untilReplicaKnown);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
