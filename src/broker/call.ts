import type { z } from 'zod';
import type { BrokerConfig } from '../config.ts';
import {
  BadUserInputError,
  OutcomeUnknownError,
  RateLimitedError,
  UpstreamError,
  UpstreamUnavailableError,
} from '../errors.ts';
import { type HttpClient, retryAfterMs, type UpstreamReply } from '../http/client.ts';
import type { Logger } from '../logger.ts';
import { pathValueProblem } from '../validation/identifiers.ts';
import { buildPath } from '../validation/path.ts';
import type { BrokerVersion } from './model.ts';
import { maskSecretsInText } from './secrets.ts';

/**
 * The life of one broker API call, written once for both versions (docs/emqx-api.md §1, §3, §4):
 * Basic auth with the App ID / App Secret → URL with percent-encoded segments → send → status and
 * envelope → `{ status, body }` or a contract error. v4 hides its errors inside HTTP 200 (`code` ≠ 0,
 * rule-engine 404s as `code: 404`) and answers 401 in plain text; v5 uses HTTP statuses with
 * `{code, message}` bodies, 201/202 on some writes and 204 with an empty body on most deletes.
 */

/**
 * What a call is about, for cache keys and invalidation (`brokerCacheScope` in src/broker/cache-keys.ts).
 * A write invalidates the domains it changes.
 */
export const BROKER_DOMAINS = [
  'clients',
  'subscriptions',
  'retained',
  'rules',
  'bans',
  'cluster',
  'alarms',
  'authn',
  'authz',
  'authzCache',
  'actions',
  'connectors',
  'plugins',
  'listeners',
  'resources',
  'publish',
  'schemas',
  'catalog',
] as const;
export type BrokerDomain = (typeof BROKER_DOMAINS)[number];

/** A path whose values are each percent-encoded as one checked segment, plus its route for metrics and logs. */
export interface BrokerPath {
  /** e.g. `/clients/a%2Fb/subscriptions` */
  path: string;
  /** e.g. `/clients/{}/subscriptions`: no values, so it is safe as a metrics label. */
  route: string;
}

/**
 * `` brokerPath`/clients/${id}/subscriptions` ``: the read-side twin of `writePath`, built by the same checked
 * builder (src/validation/path.ts). Every value must fill a whole segment; one that is empty, `.`, `..`, a
 * dot segment once decoded (`%2e%2e`, `../x`), not valid UTF-8 or holding control characters is
 * BAD_USER_INPUT before any call, so no value can move a read to another route (undici's URL parser resolves
 * `%2E%2E` like `..`). `:` and `@` stay as they are (legal pchar): EMQX v4 looks rule ids (`rule:1a2b`) and
 * node names (`emqx@host`) up without decoding them, and v5 accepts both forms.
 */
export function brokerPath(strings: TemplateStringsArray, ...values: Array<string | number>): BrokerPath {
  let template = strings[0] ?? '';
  const params: Record<string, string> = {};
  values.forEach((value, i) => {
    const after = strings[i + 1] ?? '';
    if (!template.endsWith('/') || !(after === '' || after.startsWith('/'))) {
      throw new Error(`brokerPath: value ${i} of ${strings.join('{}')} does not fill a whole segment`);
    }
    const text = String(value);
    const problem = pathValueProblem(text, 'A value in the broker URL');
    if (problem) throw new BadUserInputError(problem);
    params[`v${i}`] = text;
    template += `{v${i}}${after}`;
  });
  return { path: buildPath(template, params, { keepColon: true }), route: strings.join('{}') };
}

export interface BrokerRequest {
  domain: BrokerDomain;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: BrokerPath;
  query?: URLSearchParams;
  body?: unknown;
  /**
   * Statuses returned as a reply instead of thrown: `[404]` makes "not found" (v5 HTTP 404, v4 `code: 404`
   * inside a 200) a `{ status: 404 }` reply for fields that answer null.
   */
  accept?: readonly number[];
  requestId?: string;
  signal?: AbortSignal;
}

export interface BrokerReply {
  /** HTTP status (v4: 404 when the body said `code: 404` and 404 was accepted). */
  status: number;
  /** Parsed JSON (v4: the whole `{code:0,data,meta}` envelope), undefined for an empty body. */
  body: unknown;
}

export type BrokerCall = (request: BrokerRequest) => Promise<BrokerReply>;

/** A broker answer that does not match its documented shape: a bug to fix, masked for the caller. */
export class BrokerContractError extends Error {
  readonly issues: Array<{ path: string; message: string }>;
  constructor(route: string, issues: z.core.$ZodIssue[]) {
    super(`Broker answer to ${route} does not match its documented shape`);
    this.name = 'BrokerContractError';
    this.issues = issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message }));
  }
}

/** Parses a broker body with its zod schema; a mismatch is a BrokerContractError (logged, then masked). */
/**
 * Parses of the same body object, per schema. A warm read hands out the very body object it parsed last time
 * (see src/store/read-through.ts), so a dashboard polling within the TTL skips the wire parse; results are shared
 * and must be treated as immutable.
 */
const parsedBodies = new WeakMap<object, Map<z.ZodType, unknown>>();

export function parseBody<T extends z.ZodType>(schema: T, body: unknown, route: string): z.infer<T> {
  const memo = body && typeof body === 'object' ? parsedBodies.get(body) : undefined;
  if (memo?.has(schema)) return memo.get(schema) as z.infer<T>;
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new BrokerContractError(route, parsed.error.issues);
  if (body && typeof body === 'object') {
    if (memo) memo.set(schema, parsed.data);
    else parsedBodies.set(body, new Map([[schema, parsed.data]]));
  }
  return parsed.data;
}

export interface BrokerCallOptions {
  deploymentId: string;
  version: BrokerVersion;
  config: BrokerConfig;
  http: HttpClient;
  /** Removes configured secrets from text an upstream error body might echo back. */
  scrub: (text: string) => string;
  /** Where EMQX's free-text error messages go (scrubbed); callers only ever see its code and status. */
  logger: Logger;
}

const field = (body: unknown, key: string): unknown =>
  body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;

/**
 * The caller's view of an EMQX error: its status and `code`, never its free-text message, which can name
 * internal hosts and paths (CONTRACT.md §4). The message goes to the log, scrubbed and cut (scrubbing first: a
 * secret straddling the cut would otherwise survive in part).
 */
function describe(
  options: BrokerCallOptions,
  request: BrokerRequest,
  status: number,
  code: unknown,
  message: unknown,
): string {
  const text =
    typeof message === 'string'
      ? maskSecretsInText(options.scrub(message), request.body).slice(0, 300)
      : undefined;
  options.logger[status >= 500 ? 'warn' : 'info'](
    {
      deploymentId: options.deploymentId,
      route: request.path.route,
      status,
      upstreamCode: code,
      upstreamMessage: text,
    },
    'EMQX answered with an error',
  );
  return `EMQX (${options.deploymentId}) answered ${status}${code !== undefined ? ` ${String(code)}` : ''}`;
}

/** v4 failures that carry only a message use it as their code when it is an Erlang atom (`already_started`). */
const atomOf = (message: unknown) =>
  typeof message === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(message) ? message : undefined;

/** What an HTTP status means, the same for both versions once v4's in-body codes are handled. */
function statusError(options: BrokerCallOptions, request: BrokerRequest, reply: UpstreamReply): Error {
  const { status, body } = reply;
  const code = field(body, 'code') ?? field(body, 'reason_code');
  const message = typeof body === 'string' ? body : field(body, 'message');
  if (status === 429)
    return new RateLimitedError(
      describe(options, request, status, code, message),
      (retryAfterMs(reply) ?? 1000) / 1000,
    );
  if (status >= 500)
    return new UpstreamUnavailableError(describe(options, request, status, code, message), 'status');
  const fallback = status === 401 ? 'UNAUTHORIZED' : String(status);
  return new UpstreamError(
    describe(options, request, status, code, message),
    String(code ?? fallback),
    status,
    typeof message === 'string' ? message : undefined,
  );
}

/**
 * A 2xx whose body is not JSON (cut off, or a proxy's HTML page): the broker API answers JSON or nothing. For a
 * read the broker is as good as unavailable; a write may well have been applied, so its outcome is unknown.
 */
function unreadable(options: BrokerCallOptions, request: BrokerRequest, reply: UpstreamReply): Error {
  options.logger.warn(
    {
      deploymentId: options.deploymentId,
      route: request.path.route,
      method: request.method,
      status: reply.status,
      bodyLength: String(reply.body).length,
    },
    'EMQX answered with a body that is not JSON',
  );
  return request.method === 'GET'
    ? new UpstreamUnavailableError(
        `EMQX (${options.deploymentId}) answered ${reply.status} with a body that is not JSON`,
      )
    : new OutcomeUnknownError(
        `${request.method} ${request.path.route}`,
        `its answer (${reply.status}) was not JSON`,
      );
}

function v4Reply(options: BrokerCallOptions, request: BrokerRequest, reply: UpstreamReply): BrokerReply {
  if (reply.status !== 200) {
    if (request.accept?.includes(reply.status)) return { status: reply.status, body: reply.body };
    throw statusError(options, request, reply);
  }
  const code = field(reply.body, 'code');
  if (code === 0) return { status: 200, body: reply.body };
  if (code === 404 && request.accept?.includes(404)) return { status: 404, body: reply.body };
  const message = field(reply.body, 'message');
  if (code === undefined && message === undefined) {
    throw new BrokerContractError(request.path.route, [
      { code: 'custom', path: ['code'], message: 'v4 body without code', input: undefined },
    ]);
  }
  throw new UpstreamError(
    describe(options, request, 200, code, message),
    String(code ?? atomOf(message) ?? 'ERROR'),
    200,
    typeof message === 'string' ? message : undefined,
  );
}

function v5Reply(options: BrokerCallOptions, request: BrokerRequest, reply: UpstreamReply): BrokerReply {
  if (reply.status >= 200 && reply.status < 300) return { status: reply.status, body: reply.body };
  if (request.accept?.includes(reply.status)) return { status: reply.status, body: reply.body };
  throw statusError(options, request, reply);
}

/** One deployment's broker API: the only function that sends a request to it. */
export function createBrokerCall(options: BrokerCallOptions): BrokerCall {
  const base = options.config.apiUrl.replace(/\/+$/, '');
  const credentials = { user: options.config.apiKey, password: options.config.apiSecret };
  return async (request) => {
    const reply = await options.http.call({
      api: 'broker',
      endpoint: `${request.method} ${request.path.route}`,
      method: request.method,
      url: `${base}${request.path.path}`,
      ...(request.query ? { query: request.query } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      credentials,
      idempotent: request.method === 'GET',
      ...(request.requestId ? { requestId: request.requestId } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    if (reply.status >= 200 && reply.status < 300 && typeof reply.body === 'string')
      throw unreadable(options, request, reply);
    return options.version === 'v4' ? v4Reply(options, request, reply) : v5Reply(options, request, reply);
  };
}
