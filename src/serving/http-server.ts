import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../logger.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * node:http with the contract's limits instead of Node's defaults (headers 60 s, request 300 s, keep-alive 5 s):
 * slow clients are cut off, idle keep-alive connections outlive a load balancer's, and the timeouts are checked
 * every second rather than every 30 s, so a cut-off happens at the configured time.
 */
export function createHttpServer(config: ServerConfig, handler: Handler, logger: Logger): Server {
  const server = createServer(
    {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      keepAliveTimeout: config.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, config.headersTimeoutMs / 2),
    },
    (req, res) => {
      closeAfterUnreadBody(req, res);
      handler(req, res).catch((error: unknown) => {
        logger.error({ err: error }, 'request handler failed');
        if (!res.headersSent) res.writeHead(500, { connection: 'close' }).end();
        else res.destroy();
      });
    },
  );
  server.maxHeadersCount = config.maxHeadersCount;
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  return server;
}

/**
 * A refusal sent before the request body was read (413, 400, a shed 503) says `Connection: close` and closes
 * after the answer: a client that is still sending would otherwise find its next request on this connection
 * stuck behind the rest of a body nobody reads.
 */
function closeAfterUnreadBody(req: IncomingMessage, res: ServerResponse) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<typeof writeHead>) {
    if (!req.complete && args[0] >= 400) this.setHeader('connection', 'close');
    return writeHead.apply(this, args);
  } as typeof writeHead;
}

/** Marks the response so the connection closes after it (draining), whatever the handler sets later. */
export function closeAfterResponse(res: ServerResponse) {
  res.setHeader('connection', 'close');
  res.shouldKeepAlive = false;
}
