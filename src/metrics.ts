import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The Prometheus registry of one gateway instance (not the global one, so tests can run several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let collectQuotas: () => Promise<void> = async () => {};
  let degradations: () => Array<{ component: string }> = () => [];
  return {
    /** Sets how the quota gauge refreshes itself when /metrics is scraped. */
    setQuotaCollector(collect: () => Promise<void>) {
      collectQuotas = collect;
    },
    /** Sets where the degradation gauge reads its list when /metrics is scraped (the same list as /readyz). */
    setDegradationSource(source: () => Array<{ component: string }>) {
      degradations = source;
    },
    registry,
    degraded: new Gauge({
      name: 'gateway_degraded',
      help: 'What this replica serves around right now (1 per component: redis, platform, broker:<id>, event-loop), as /readyz lists it',
      labelNames: ['component'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const { component } of degradations()) this.set({ component }, 1);
      },
    }),
    operations: new Counter({
      name: 'gateway_graphql_operations_total',
      help: 'GraphQL operations by type and outcome',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    upstreamCalls: new Counter({
      name: 'gateway_upstream_calls_total',
      help: 'Calls to EMQX APIs by API, endpoint and HTTP status (or error code)',
      labelNames: ['api', 'endpoint', 'status'] as const,
      registers: [registry],
    }),
    upstreamSeconds: new Histogram({
      name: 'gateway_upstream_call_seconds',
      help: 'Duration of calls to EMQX APIs',
      labelNames: ['api', 'endpoint'] as const,
      buckets: [0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    cacheReads: new Counter({
      name: 'gateway_cache_reads_total',
      help: 'Cached reads by kind and source (UPSTREAM = miss, CACHE = hit, STALE = served stale)',
      labelNames: ['kind', 'source'] as const,
      registers: [registry],
    }),
    breakerState: new Gauge({
      name: 'gateway_circuit_breaker_state',
      help: 'Circuit breaker per upstream (platform or deployment ID) on this replica: 0 closed, 1 half-open, 2 open',
      labelNames: ['upstream'] as const,
      registers: [registry],
    }),
    shedRequests: new Counter({
      name: 'gateway_shed_requests_total',
      help: 'Requests answered 503 at once because this replica was at capacity, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    liveStreams: new Gauge({
      name: 'gateway_live_streams',
      help: 'Open GraphQL subscription streams on this replica, by field',
      labelNames: ['field'] as const,
      registers: [registry],
    }),
    mqttConnections: new Gauge({
      name: 'gateway_mqtt_connections',
      help: 'Open MQTT connections to deployment brokers on this replica (one per deployment at most)',
      registers: [registry],
    }),
    liveMessages: new Counter({
      name: 'gateway_live_messages_total',
      help: 'Messages for live streams: received from MQTT (in), or dropped for a slow stream (dropped)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    quotaRemaining: new Gauge({
      name: 'gateway_platform_quota_remaining',
      help: 'Remaining fleet-wide platform API calls in the current window, as last seen by this replica',
      labelNames: ['endpoint'] as const,
      registers: [registry],
      async collect() {
        await collectQuotas().catch(() => undefined);
      },
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
