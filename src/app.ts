import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import type { Authenticator } from './auth/authenticate.ts';
import type { Caller } from './auth/caller.ts';
import { CallerGoneError, type GatewayContext } from './context.ts';
import { ExpectedError } from './errors.ts';
import { createGraphiQLRoutes } from './graphiql/handler.ts';
import { LANDING_HEADERS, renderLandingPage } from './graphiql/landing.ts';
import { type GraphiQLCustomization, gatewayGraphiQL } from './graphiql/options.ts';
import { useOperationMetrics } from './observability.ts';
import { visibleDeployments } from './platform/access.ts';
import { createBudget, withBudget } from './resilience/deadline.ts';
import { buildSchema } from './schema/index.ts';
import { createSecurityPlugins, securityOptions } from './security/index.ts';
import type { Services } from './services.ts';
import type { ProbeHandler } from './serving/probes.ts';
import type { LoadShedder, ShedReason } from './serving/shedding.ts';
import { useTracing } from './telemetry/use-tracing.ts';

/** What the app needs beyond the services: who is calling, and whether the process may take traffic. */
export interface AppDeps {
  services: Services;
  authenticate: Authenticator;
  /** Admission for /graphql (probes are never shed). */
  shedder?: LoadShedder;
  /** Versioned namespace of shared-store keys (the per-caller rate limit keeps its windows there). */
  keyPrefix: string;
  /** GraphiQL changes (the demo's token and example tabs); served only when security.graphiql is on. */
  graphiql?: GraphiQLCustomization;
  /** The probes and metrics, when they are served on this port (not with `server.managementPort`). */
  probes?: ProbeHandler;
}

const UNAUTHENTICATED_BODY = JSON.stringify({
  errors: [{ message: 'A valid bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }],
});

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Rejects every /graphql request without a valid token before any parsing or upstream call. */
function useBearerAuth(authenticate: Authenticator, callers: WeakMap<Request, Caller>): Plugin {
  return {
    async onRequest({ request, endResponse }) {
      const caller = await authenticate(request.headers.get('authorization'));
      if (caller) {
        callers.set(request, caller);
        return;
      }
      endResponse(
        new Response(UNAUTHENTICATED_BODY, {
          status: 401,
          headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
        }),
      );
    },
  };
}

/** ExpectedErrors keep their code and message; anything else is a bug and reaches the caller masked. */
/** By name, not instanceof: graphql ships CJS and ESM builds, and Yoga may load the other one. */
const isGraphQLError = (error: unknown): error is GraphQLError =>
  error instanceof Error && error.name === 'GraphQLError';

/**
 * Yoga's own refusals (a body that is not JSON, a missing query) carry the parser's text in
 * `extensions.originalError` and ask for HTTP 200 under `Accept: application/json` (`http.spec`): both dropped,
 * so every refusal is a 400 BAD_USER_INPUT that quotes nothing of the input.
 */
function requestError(error: GraphQLError): GraphQLError {
  const { originalError, http, code, ...rest } = error.extensions as Record<string, unknown> & {
    http?: { spec?: boolean; status?: number; headers?: Record<string, string> };
  };
  if (originalError === undefined && !http?.spec && code !== 'BAD_REQUEST') return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    path: error.path,
    extensions: {
      ...rest,
      code: code === 'BAD_REQUEST' || code === undefined ? 'BAD_USER_INPUT' : code,
      ...(http
        ? { http: { status: http.status ?? 400, ...(http.headers ? { headers: http.headers } : {}) } }
        : {}),
    },
  });
}

function maskError(services: Services) {
  return (error: unknown): Error => {
    let original: unknown = error;
    while (isGraphQLError(original) && original.originalError) original = original.originalError;
    if (original instanceof ExpectedError) {
      const graphQLError = error as GraphQLError;
      return new GraphQLError(services.scrub(original.message), {
        nodes: graphQLError.nodes,
        path: graphQLError.path,
        extensions: original.extensions,
      });
    }
    if (isGraphQLError(original)) return requestError(original);
    if (original instanceof CallerGoneError) services.logger.debug('caller gone; upstream work stopped');
    else services.logger.error({ err: original }, 'unexpected error while resolving');
    return new GraphQLError('Unexpected error.', {
      path: isGraphQLError(error) ? error.path : undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  };
}

const SHED_BODY = JSON.stringify({
  errors: [
    {
      message: 'This gateway replica is at capacity; retry shortly (another replica may answer at once)',
      extensions: { code: 'OVERLOADED', retryAfterSeconds: 1 },
    },
  ],
});

/** Answers 503 at once, before the body is read: Connection: close follows (src/serving/http-server.ts). */
function shed(res: ServerResponse, reason: ShedReason, services: Services) {
  services.metrics.shedRequests.inc({ reason });
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' }).end(SHED_BODY);
}

/** Calls `started` when the response's head says text/event-stream (whatwg-node may pass headers to writeHead). */
function onEventStream(res: ServerResponse, started: () => void) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const result = (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    const given = args.find((arg): arg is Record<string, unknown> => !!arg && typeof arg === 'object');
    const fromArgs =
      given && Object.entries(given).find(([key]) => key.toLowerCase() === 'content-type')?.[1];
    if (String(fromArgs ?? this.getHeader('content-type') ?? '').startsWith('text/event-stream')) started();
    return result;
  } as ServerResponse['writeHead'];
}

export function createApp({ services, authenticate, shedder, keyPrefix, graphiql, probes }: AppDeps) {
  const callers = new WeakMap<Request, Caller>();
  const security = securityOptions(services.config.security);
  const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse }, GatewayContext>({
    schema: buildSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // Served by src/graphiql from this gateway's own files: Yoga's page loads its editor from a CDN.
    graphiql: false,
    cors: security.cors,
    maxRequestBodySize: security.maxRequestBodySize,
    logging: false,
    maskedErrors: { maskError: maskError(services) },
    batching: false,
    plugins: [
      useBearerAuth(authenticate, callers),
      useOperationMetrics(services.metrics),
      useTracing({ acceptTraceparent: services.config.tracing.acceptTraceparent }),
      // Each operation validates the cached reads it makes against a cache epoch read after it began.
      { onExecute: () => services.cache.begin(), onSubscribe: () => services.cache.begin() },
      ...createSecurityPlugins({
        config: services.config.security,
        store: services.store,
        keyPrefix,
        logger: services.logger,
        callerOf: (request) => callers.get(request),
        persistedDocuments: services.config.persistedDocuments,
        visibleDeployments: async (context) => (await visibleDeployments(context as GatewayContext)).length,
      }),
    ],
    // Over WebSocket there is no Request: the socket's connection_init established the caller instead.
    context: (initial: YogaInitialContext & { caller?: Caller }) => {
      const request = initial.request as Request | undefined;
      const header = request?.headers.get('x-request-id');
      const requestId = header && REQUEST_ID.test(header) ? header : randomUUID();
      const caller = (request && callers.get(request)) ?? initial.caller;
      if (!caller) throw new Error('unauthenticated request reached the resolvers');
      return {
        caller,
        requestId,
        logger: services.logger.child({ requestId, caller: caller.name }),
        services,
        ...(request ? { signal: request.signal } : {}),
      };
    },
  });

  let inFlight = 0;
  const graphiqlPage = gatewayGraphiQL(graphiql);
  const graphiqlRoutes = createGraphiQLRoutes({
    endpoint: '/graphql',
    page: () => security.graphiql && graphiqlPage,
  });

  /** node:http handler: start page, probes, metrics and GraphiQL (never shed) here, everything else to Yoga once admitted. */
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
      return void res.writeHead(200, LANDING_HEADERS).end(renderLandingPage({ graphiql: security.graphiql }));
    }
    if (probes && (await probes(req, res))) return;
    if (await graphiqlRoutes(req, res)) return;
    // Only /graphql goes on to authentication: any other path (the probes, when they live on the management
    // port) is simply not here.
    if (path !== '/graphql')
      return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    const verdict = shedder?.verdict(inFlight);
    if (verdict) return shed(res, verdict, services);
    inFlight++;
    // One budget for the whole request, from admission; a caller that leaves before its answer aborts it.
    const gone = new AbortController();
    const budget = createBudget(services.config.upstream.timeoutMs, { callerSignal: gone.signal });
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      inFlight--;
    };
    res.once('close', () => {
      release();
      if (!res.writableFinished) gone.abort();
      budget.dispose();
    });
    // A subscription's response stays open while it streams: from then on limits.maxStreams bounds it, and its
    // events are not bound by the budget of the request that opened it (a disconnect still aborts it).
    onEventStream(res, () => {
      release();
      budget.lift();
    });
    return withBudget(budget, () => yoga(req, res, { req, res }));
  }

  return { yoga, handle };
}
