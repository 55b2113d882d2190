import { z } from 'zod';
import type { Metrics } from '../metrics.ts';
import type { CircuitBreaker } from '../resilience/breaker.ts';
import type { ReadThroughCache } from '../store/read-through.ts';
import { inSpan } from '../telemetry/spans.ts';
import type { BrokerTransport } from './api.ts';
import { brokerCacheKey } from './cache-keys.ts';
import type { BrokerCall, BrokerReply, BrokerRequest } from './call.ts';
import type { Semaphore } from './semaphore.ts';

/**
 * How the gateway reaches one deployment's broker: every call takes a slot of the deployment's
 * concurrency cap; GETs are read through the fleet cache under their exact request, so identical reads
 * within the TTL cost EMQX one call (coalesced in this process, locked across replicas). Writes are never
 * cached; they invalidate by `brokerCacheScope`.
 */

const replySchema: z.ZodType<BrokerReply> = z.object({ status: z.number(), body: z.unknown() });

export interface BrokerTransportOptions {
  deploymentId: string;
  call: BrokerCall;
  cache: ReadThroughCache;
  slots: Semaphore;
  /** The deployment's breaker: checked before a call slot is waited for, so an open circuit answers at once. */
  breaker: CircuitBreaker;
  /** Age below which a cached read is served without asking EMQX. */
  ttlMs: number;
  /** How long an expired read may still be served (STALE) when EMQX fails; ≤ ttlMs disables that. */
  staleTtlMs: number;
  metrics?: Metrics;
}

export function createBrokerTransport(options: BrokerTransportOptions): BrokerTransport {
  const { deploymentId, call, cache, slots, breaker } = options;
  const send = (request: BrokerRequest) => breaker.run(() => slots.run(() => call(request)));
  return {
    async send(request) {
      if (request.method !== 'GET') {
        const reply = await send(request);
        return { ...reply, freshness: { source: 'UPSTREAM', fetchedAt: Date.now() } };
      }
      const key = brokerCacheKey(deploymentId, request.domain, request.path.path, request.query);
      const kind = `broker:${request.domain}`;
      // The cache read is a span of its own: its source says hit (CACHE, STALE) or miss (UPSTREAM, with the
      // upstream call as its child when this request made it).
      const read = await inSpan(
        `cache.read ${kind}`,
        { 'cache.kind': kind, 'emqx.deployment': deploymentId },
        async (span) => {
          const result = await cache.read(key, {
            ttlMs: options.ttlMs,
            staleTtlMs: Math.max(options.staleTtlMs, options.ttlMs),
            schema: replySchema,
            fetch: () => send(request),
            refreshInBackground: false,
          });
          span.setAttribute('cache.source', result.source);
          return result;
        },
      );
      options.metrics?.cacheReads.inc({ kind, source: read.source });
      return { ...read.value, freshness: { source: read.source, fetchedAt: read.fetchedAt } };
    },
  };
}
