import type { IncomingMessage, Server } from 'node:http';
import { createRequire } from 'node:module';
import type { DocumentNode, ExecutionArgs, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import type { createApp } from './app.ts';
import type { Authenticator } from './auth/authenticate.ts';
import type { Caller } from './auth/caller.ts';
import type { Logger } from './logger.ts';
import { rateLimitMessage } from './security/use-rate-limit.ts';

/**
 * GraphQL over WebSocket (`graphql-transport-ws`, what Apollo Client and urql speak) on `/graphql`, through the
 * same Yoga pipeline as HTTP: the same schema, roles, document limits and error masking. Browsers cannot set
 * headers on a WebSocket, so the bearer token comes in `connection_init` (`{"Authorization": "Bearer …"}`); a
 * socket without a valid one is closed with 4403 before any operation runs.
 */

export interface WebSocketOptions {
  server: Server;
  yoga: ReturnType<typeof createApp>['yoga'];
  authenticate: Authenticator;
  /** Browser origins allowed besides the gateway's own (security.cors.origins). */
  allowedOrigins: readonly string[];
  /** security.maxBodyBytes: the largest message a socket may send (a larger one closes it with 1009). */
  maxMessageBytes: number;
  /** The per-caller rate limit HTTP requests meet (security.rateLimit): each operation takes one request. */
  rateLimit: { take: (caller: Caller) => Promise<number | null>; requests: number; windowSeconds: number };
  logger: Logger;
}

/**
 * graphql-ws accepts only its own copy of graphql's GraphQLError (`instanceof`): graphql ships CJS and ESM builds,
 * and graphql-ws, loaded by Node, gets the one `require` resolves.
 */
const { GraphQLError: SocketGraphQLError } = createRequire(import.meta.url)(
  'graphql',
) as typeof import('graphql');

type SocketExtra = { caller?: Caller };

function tokenOf(params: Readonly<Record<string, unknown>> | undefined): string | null {
  const value = params?.Authorization ?? params?.authorization;
  return typeof value === 'string' ? value : null;
}

/** A cross-site page may not open a socket with a user's browser (CSRF rules as for HTTP). */
function sameOriginOrAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
) {
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** A refused document as the caller sees it over HTTP: a code (BAD_USER_INPUT unless it has one), no HTTP hints. */
function asInputError(error: GraphQLError): GraphQLError {
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  return new SocketGraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...extensions, code: extensions.code ?? 'BAD_USER_INPUT' },
  });
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The socket outlives the token it was opened with: it is closed with 4401 when the token expires (its streams
 * end then too), so no operation runs on an expired token. The client reconnects with a fresh one.
 */
function closeAtExpiry(socket: WebSocket, expiresAt: number) {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) return socket.close(4401, 'The token has expired');
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  arm();
  socket.once('close', () => clearTimeout(timer));
}

export function attachWebSocket({
  server,
  yoga,
  authenticate,
  allowedOrigins,
  maxMessageBytes,
  rateLimit,
  logger,
}: WebSocketOptions) {
  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload: maxMessageBytes,
    verifyClient: ({ origin, req }: { origin: string; req: IncomingMessage }) =>
      sameOriginOrAllowed(origin, req.headers.host, allowedOrigins),
  });
  const disposable = useServer<Record<string, unknown>, SocketExtra>(
    {
      onConnect: async (ctx) => {
        const caller = await authenticate(tokenOf(ctx.connectionParams));
        if (!caller) return false;
        ctx.extra.caller = caller;
        if (caller.expiresAt !== undefined) closeAtExpiry(ctx.extra.socket, caller.expiresAt);
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        // Each operation is a request to the caller's rate limit, as over HTTP: checked before any parsing.
        const retryAfterSeconds = ctx.extra.caller ? await rateLimit.take(ctx.extra.caller) : null;
        if (retryAfterSeconds !== null) {
          const message = rateLimitMessage(rateLimit.requests, rateLimit.windowSeconds, retryAfterSeconds);
          return [
            new SocketGraphQLError(message, { extensions: { code: 'RATE_LIMITED', retryAfterSeconds } }),
          ];
        }
        const enveloped = yoga.getEnveloped({ caller: ctx.extra.caller, params: payload } as never);
        let document: DocumentNode;
        try {
          document = enveloped.parse(payload.query);
        } catch (error) {
          // A syntax error is the operation's own error, not the socket's (graphql-ws would close it with 4500).
          if (error instanceof Error && error.name === 'GraphQLError')
            return [asInputError(error as GraphQLError)];
          throw error;
        }
        const args = {
          schema: enveloped.schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
        const errors = enveloped.validate(args.schema, args.document);
        return errors.length > 0 ? errors.map(asInputError) : (args as ExecutionArgs);
      },
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => never }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => never }).subscribe(args),
      onError: (_ctx, _id, _payload, errors) => {
        logger.debug({ count: errors.length }, 'WebSocket operation refused');
      },
    },
    wss,
  );
  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
