import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import type { Authenticator } from './auth/authenticate.ts';
import type { Caller } from './auth/caller.ts';
import { CallerGoneError, type GatewayContext } from './context.ts';
import { ExpectedError } from './errors.ts';
import { useOperationMetrics } from './observability.ts';
import { buildSchema } from './schema/index.ts';
import { createSecurityPlugins, securityOptions } from './security/index.ts';
import type { Services } from './services.ts';

/** What the app needs beyond the services: who is calling, and whether the process may take traffic. */
export interface AppDeps {
  services: Services;
  authenticate: Authenticator;
  /** False during start-up and shutdown; /readyz answers 503 then. */
  isReady: () => boolean;
  /** Versioned namespace of shared-store keys (the per-caller rate limit keeps its windows there). */
  keyPrefix: string;
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
    if (isGraphQLError(original)) return original;
    if (original instanceof CallerGoneError) services.logger.debug('caller gone; upstream work stopped');
    else services.logger.error({ err: original }, 'unexpected error while resolving');
    return new GraphQLError('Unexpected error.', {
      path: isGraphQLError(error) ? error.path : undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  };
}

export function createApp({ services, authenticate, isReady, keyPrefix }: AppDeps) {
  const callers = new WeakMap<Request, Caller>();
  const security = securityOptions(services.config.security);
  const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse }, GatewayContext>({
    schema: buildSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: security.graphiql && {
      title: 'EMQX Cloud gateway',
      defaultQuery: '{ deployments(first: 10) { edges { node { deploymentId name status version } } } }',
    },
    cors: security.cors,
    maxRequestBodySize: security.maxRequestBodySize,
    logging: false,
    maskedErrors: { maskError: maskError(services) },
    batching: false,
    plugins: [
      useBearerAuth(authenticate, callers),
      useOperationMetrics(services.metrics),
      ...createSecurityPlugins({
        config: services.config.security,
        store: services.store,
        keyPrefix,
        logger: services.logger,
        callerOf: (request) => callers.get(request),
      }),
    ],
    context: ({ request }: YogaInitialContext) => {
      const header = request.headers.get('x-request-id');
      const requestId = header && REQUEST_ID.test(header) ? header : randomUUID();
      const caller = callers.get(request);
      if (!caller) throw new Error('unauthenticated request reached the resolvers');
      return {
        caller,
        requestId,
        logger: services.logger.child({ requestId, caller: caller.name }),
        services,
        signal: request.signal,
      };
    },
  });

  /** node:http handler: probes and metrics here, everything else to Yoga. */
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    if (path === '/readyz') {
      const ready = isReady() && (services.store.kind === 'memory' || services.store.isReady());
      return void res
        .writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' })
        .end(ready ? 'ready' : 'not ready');
    }
    if (path === '/metrics') {
      const body = await services.metrics.registry.metrics();
      return void res.writeHead(200, { 'content-type': services.metrics.registry.contentType }).end(body);
    }
    return yoga(req, res, { req, res });
  }

  return { yoga, handle };
}
