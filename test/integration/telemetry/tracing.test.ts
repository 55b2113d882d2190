import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, spawnGateway } from '../../helpers/process.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { type Stack, stackConfig, startStack } from '../../helpers/stack.ts';

/**
 * OpenTelemetry end to end: a gateway process with the standard OTLP variables exports to an OTLP/HTTP receiver
 * in this test; a dashboard query sent with a caller's `traceparent` arrives as one trace: the operation span
 * under the caller's span, and under it the cache reads, the EMQX calls (route templates only) and the Redis
 * commands. EMQX receives the same trace's `traceparent`.
 */

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

/** The OTLP/HTTP JSON receiver: every span of every export, flattened. */
async function startReceiver() {
  const spans: OtlpSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
      };
      for (const resource of body.resourceSpans)
        for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    spans,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value ? Object.values(value)[0] : undefined;
};

const DASHBOARD = `query Dashboard {
  deployments(first: 5, filter: { status: [RUNNING], type: [DEDICATED] }) {
    edges { node { deploymentId clients(first: 5) { totalCount edges { node { clientId } } } } }
  }
}`;

describe('OpenTelemetry traces', () => {
  let stack: Stack;
  let redis: TestRedis;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    [stack, redis, receiver] = await Promise.all([startStack(), startRedis(), startReceiver()]);
    gateway = await spawnGateway(stackConfig(stack.sim, stack.tokens), {
      REDIS_URL: redis.url,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_SERVICE_NAME: 'gateway-under-test',
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    receiver?.close();
    await stack?.close();
    await redis?.stop();
  });

  it('a dashboard query is one trace under the caller’s span, with its upstream calls and Redis commands', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    stack.sim.requestLog.clear();
    const response = await request(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${stack.tokens.viewer}`,
        traceparent: `00-${traceId}-${callerSpan}-01`,
      },
      body: JSON.stringify({ query: DASHBOARD }),
    });
    const body = (await response.body.json()) as { errors?: unknown; data: any };
    expect(body.errors).toBeUndefined();
    expect(body.data.deployments.edges.length).toBeGreaterThan(0);

    const ofTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
    await expect
      .poll(() => ofTrace().filter((s) => attribute(s, 'emqx.api') === 'broker').length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    const spans = ofTrace();
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const operation = spans.find((span) => span.name === 'graphql.operation query Dashboard');
    expect(operation?.parentSpanId).toBe(callerSpan);
    expect(attribute(operation!, 'graphql.outcome')).toBe('ok');

    /** Whether a span descends from the operation span. */
    const underOperation = (span: OtlpSpan) => {
      for (let at: OtlpSpan | undefined = span; at; at = byId.get(at.parentSpanId ?? '')) {
        if (at === operation) return true;
      }
      return false;
    };
    const broker = spans.filter((s) => attribute(s, 'emqx.api') === 'broker');
    const platform = spans.filter((s) => attribute(s, 'emqx.api') === 'platform');
    const redisSpans = spans.filter((s) => attribute(s, 'db.system.name') === 'redis');
    const cacheReads = spans.filter((s) => s.name.startsWith('cache.read '));
    console.log(
      `trace ${traceId}: ${spans.length} spans (broker ${broker.length}, platform ${platform.length}, ` +
        `redis ${redisSpans.length}, cache reads ${cacheReads.length})`,
    );
    for (const group of [broker, platform, redisSpans, cacheReads]) {
      expect(group.length).toBeGreaterThan(0);
      for (const span of group) expect(underOperation(span), span.name).toBe(true);
    }
    // Route templates, never raw paths with deployment or client IDs; the cache says hit or miss.
    for (const span of broker) {
      expect(attribute(span, 'url.template')).toMatch(/^\/[a-z_/{}]*$/);
      expect(attribute(span, 'http.response.status_code')).toBe(200);
    }
    for (const span of cacheReads)
      expect(['CACHE', 'STALE', 'UPSTREAM']).toContain(attribute(span, 'cache.source'));
    // Nothing secret in any attribute.
    const exported = JSON.stringify(spans);
    for (const secret of [stack.tokens.viewer, ...stack.sim.deployments().map((d) => d.appSecret)]) {
      expect(exported).not.toContain(secret);
    }

    // EMQX was sent the same trace.
    const sent = stack.sim.requestLog.entries().filter((e) => e.target !== 'platform');
    expect(sent.length).toBeGreaterThan(0);
    for (const entry of sent)
      expect(entry.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });
});
