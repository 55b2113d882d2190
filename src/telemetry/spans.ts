import {
  type Attributes,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

/**
 * The gateway's spans, written once: every helper takes only values that are safe to export (route templates,
 * codes, counts; never raw paths with IDs, tokens or payloads). With tracing off they are the API's no-ops.
 */

export const tracer = () => trace.getTracer('emqx-cloud-gateway');

/** Runs `work` in a child span of the active one; the span records an error's code and ends with it. */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      span.setAttribute('error.type', typeof code === 'string' ? code : ((error as Error).name ?? 'Error'));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** W3C `traceparent`/`tracestate` of the active span, to send upstream; empty when tracing is off. */
export function traceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}

export { context, propagation, SpanKind, SpanStatusCode, trace };
