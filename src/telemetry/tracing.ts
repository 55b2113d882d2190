import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

/**
 * OpenTelemetry traces over OTLP/HTTP, on when the standard variables name an endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) and not turned off
 * (`OTEL_SDK_DISABLED=true`, `OTEL_TRACES_EXPORTER=none`). The exporter and the batch processor read the rest of
 * the `OTEL_*` variables themselves (headers, timeouts, `OTEL_BSP_SCHEDULE_DELAY`, …). Off, every span is the
 * API's no-op and costs nothing. Only the process entry (src/server.ts) turns it on: it is global state.
 */

export interface Tracing {
  enabled: boolean;
  /** Sends what is still buffered; call before exit. */
  shutdown(): Promise<void>;
}

export function tracingWanted(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export function startTracing(env: NodeJS.ProcessEnv, version: string): Tracing {
  if (!tracingWanted(env)) return { enabled: false, shutdown: async () => undefined };
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': env.OTEL_SERVICE_NAME || 'emqx-cloud-gateway',
      'service.version': version,
    }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return { enabled: true, shutdown: () => provider.shutdown() };
}
