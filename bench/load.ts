import autocannon from 'autocannon';
import type { BenchProcess } from './processes.ts';

/** One closed-loop autocannon run against a process under test, with its CPU cost per request. */
export interface LoadResult {
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  cpuMicrosPerRequest: number;
  bytesPerResponse: number;
}

export interface LoadOptions {
  target: BenchProcess;
  path: string;
  body?: string;
  token?: string;
  connections: number;
  seconds: number;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const cpuBefore = options.target.cpuSeconds();
  const result = await autocannon({
    url: `${options.target.url}${options.path}`,
    method: options.body ? 'POST' : 'GET',
    connections: options.connections,
    duration: options.seconds,
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    ...(options.body ? { body: options.body } : {}),
  });
  const cpu = options.target.cpuSeconds() - cpuBefore;
  const requests = Math.max(1, result.requests.total);
  return {
    connections: options.connections,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuMicrosPerRequest: Math.round((cpu * 1e6) / requests),
    bytesPerResponse: Math.round(result.throughput.total / requests),
  };
}
