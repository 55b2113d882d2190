import { Agent, request, errors as undiciErrors } from 'undici';
import { OutcomeUnknownError, UpstreamUnavailableError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { abortReason, type Budget, currentBudget } from '../resilience/deadline.ts';
import { inSpan, SpanKind, SpanStatusCode, traceHeaders } from '../telemetry/spans.ts';

/**
 * The life of one upstream call, written once: auth → URL → send with timeouts → status → parse.
 * It only fails for transport reasons; what a status means is each API's business (v4 says errors in
 * HTTP 200, v5 in 4xx, the platform in 4xx with an opaque body).
 */

export interface UpstreamCall {
  api: 'platform' | 'broker';
  /** Stable label for metrics and logs, e.g. `listDeployments` or `GET /clients`. */
  endpoint: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Base URL (e.g. `https://x/api/v5`) with the already percent-encoded path appended. */
  url: string;
  query?: URLSearchParams;
  /** JSON body; sent with Content-Type application/json. */
  body?: unknown;
  credentials: { user: string; password: string };
  /** Reads may be repeated after a transport failure; writes never are. */
  idempotent: boolean;
  requestId?: string;
  signal?: AbortSignal;
}

export interface UpstreamReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the body is JSON, the text otherwise, undefined when empty. */
  body: unknown;
}

export interface HttpClientOptions {
  /** @default 3000 */
  connectTimeoutMs?: number;
  /** Budget for one whole call, headers and body. @default 8000 */
  timeoutMs?: number;
  /**
   * Extra attempts for idempotent calls whose request never reached the server (connection refused, connect
   * timeout). A read the server may have received is not repeated: it would count twice against its quota.
   * @default 1
   */
  readRetries?: number;
  logger: Logger;
  metrics?: Metrics;
  /** Send the active trace's W3C `traceparent` to EMQX (`tracing.propagateToUpstream`). @default false */
  propagateTraceContext?: boolean;
}

export type HttpClient = {
  call(call: UpstreamCall): Promise<UpstreamReply>;
  close(): Promise<void>;
};

/** Failures that happen before any byte of the request could have reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

function notSent(error: unknown): boolean {
  if (error instanceof undiciErrors.ConnectTimeoutError) return true;
  const code = (error as { code?: string; cause?: { code?: string } }).code;
  const causeCode = (error as { cause?: { code?: string } }).cause?.code;
  return NOT_SENT_CODES.has(code ?? '') || NOT_SENT_CODES.has(causeCode ?? '');
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text.length === 0) return undefined;
  if (contentType?.includes('json') || /^[[{"\d-]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const timeoutMs = options.timeoutMs ?? 8_000;
  const agent = new Agent({
    connect: { timeout: options.connectTimeoutMs ?? 3_000 },
    keepAliveTimeout: 10_000,
    connections: 64,
  });

  /**
   * Within the request's budget: a call never outlives it. A caller leaving does not cut a call already sent: its
   * answer still fills the cache for everyone (and a write cut short would not be undone, only lose its outcome);
   * calls not yet started for a gone caller never start (see `call`).
   */
  function signalsOf(call: UpstreamCall, budget: Budget | undefined): { signal: AbortSignal; ms: number } {
    const ms = Math.max(1, Math.ceil(Math.min(timeoutMs, budget?.remainingMs() ?? timeoutMs)));
    const timeout = AbortSignal.timeout(ms);
    return { signal: call.signal ? AbortSignal.any([timeout, call.signal]) : timeout, ms };
  }

  async function once(call: UpstreamCall, budget: Budget | undefined): Promise<UpstreamReply> {
    const url = call.query && [...call.query.keys()].length > 0 ? `${call.url}?${call.query}` : call.url;
    const basic = Buffer.from(`${call.credentials.user}:${call.credentials.password}`).toString('base64');
    const { signal, ms } = signalsOf(call, budget);
    const response = await request(url, {
      dispatcher: agent,
      method: call.method,
      headers: {
        authorization: `Basic ${basic}`,
        accept: 'application/json',
        ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(call.requestId ? { 'x-request-id': call.requestId } : {}),
        ...(options.propagateTraceContext ? traceHeaders() : {}),
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal,
      headersTimeout: ms,
      bodyTimeout: ms,
    });
    const text = await response.body.text();
    const contentType = response.headers['content-type'];
    return {
      status: response.statusCode,
      headers: response.headers,
      body: parseBody(text, Array.isArray(contentType) ? contentType[0] : contentType),
    };
  }

  async function call(call: UpstreamCall): Promise<UpstreamReply> {
    const attempts = call.idempotent ? 1 + (options.readRetries ?? 1) : 1;
    const started = performance.now();
    const labels = { api: call.api, endpoint: call.endpoint };
    const budget = currentBudget();
    for (let attempt = 1; ; attempt++) {
      // Nothing is sent for a caller that left or a request whose budget is spent.
      if (budget?.signal.aborted) throw abortReason(budget.signal);
      const sentAt = performance.now();
      const capped = budget !== undefined && budget.remainingMs() < timeoutMs;
      try {
        const reply = await inSpan(
          call.endpoint.includes(' ') ? call.endpoint : `${call.method} ${call.endpoint}`,
          {
            'emqx.api': call.api,
            'http.request.method': call.method,
            // The route template (`/clients/{}`) or the platform endpoint's name: never a path with IDs in it.
            'url.template': call.endpoint.replace(/^[A-Z]+ /, ''),
            'server.address': new URL(call.url).host,
            ...(attempt > 1 ? { 'http.request.resend_count': attempt - 1 } : {}),
          },
          async (span) => {
            const answer = await once(call, budget);
            span.setAttribute('http.response.status_code', answer.status);
            if (answer.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
            return answer;
          },
          SpanKind.CLIENT,
        );
        options.metrics?.upstreamCalls.inc({ ...labels, status: String(reply.status) });
        options.metrics?.upstreamSeconds.observe(labels, (performance.now() - started) / 1000);
        options.logger.debug(
          { ...labels, method: call.method, status: reply.status, attempt },
          'upstream call',
        );
        return reply;
      } catch (error) {
        const unsent = notSent(error);
        const reason =
          (error as Error).name === 'TimeoutError'
            ? 'timeout'
            : ((error as { code?: string }).code ?? 'error');
        const byBudget = budget !== undefined && capped && reason === 'timeout';
        options.metrics?.upstreamCalls.inc({ ...labels, status: byBudget ? 'deadline' : reason });
        const line = { ...labels, method: call.method, reason, attempt };
        if (byBudget) options.logger.debug(line, 'upstream call cut by the request budget');
        else options.logger.warn(line, 'upstream call failed');
        if (call.signal?.aborted)
          throw new UpstreamUnavailableError('The request was cancelled', 'cancelled');
        if (byBudget && (call.idempotent || unsent)) throw cutByBudget(budget, performance.now() - sentAt);
        if (!call.idempotent && !unsent) throw new OutcomeUnknownError(`${call.endpoint}`);
        if (attempt >= attempts || !unsent) {
          throw new UpstreamUnavailableError(
            reason === 'timeout'
              ? `${call.api === 'platform' ? 'EMQX Cloud' : 'The broker API'} did not answer in time`
              : `Cannot reach ${call.api === 'platform' ? 'EMQX Cloud' : 'the broker API'}`,
            reason === 'timeout' ? 'timeout' : 'unreachable',
          );
        }
      }
    }
  }

  /**
   * A read cut by the request's budget. When the upstream had most of a whole call's time (half of `timeoutMs`)
   * and still said nothing, that is a timeout of the upstream, which its breaker counts; a call that started with
   * little budget left says nothing about the upstream's health, and the caller leaving even less.
   */
  function cutByBudget(budget: Budget, ranMs: number): Error {
    const reason = abortReason(budget.signal);
    if (reason instanceof UpstreamUnavailableError && ranMs >= timeoutMs / 2)
      return new UpstreamUnavailableError(
        `The upstream did not answer within ${Math.round(ranMs)} ms`,
        'timeout',
      );
    return reason;
  }

  return { call, close: () => agent.close() };
}

/** A reply's `Retry-After` (delta seconds or an HTTP date) in milliseconds, or undefined when absent or unreadable. */
export function retryAfterMs(reply: UpstreamReply): number | undefined {
  const header = reply.headers['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
