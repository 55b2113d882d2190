import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FaultStore } from './faults.ts';
import type { RequestLog } from './request-log.ts';
import { type Fault, json, type SimHandler, type SimRequest, type SimResponse } from './types.ts';

export interface HttpListenerOptions {
  /** Name written into the request log and used to look up faults: `platform` or a deployment ID. */
  target: string;
  handler: SimHandler;
  requestLog: RequestLog;
  faults: FaultStore;
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default Date.now */
  now?: () => number;
}

export interface HttpListener {
  readonly port: number;
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly origin: string;
  /**
   * While down, every new connection is accepted and destroyed at once and open ones are cut, as a stopped
   * deployment's load balancer would; the port stays bound so the API address never changes.
   */
  setDown(down: boolean): void;
  isDown(): boolean;
  /** Ends hung and delayed requests and keep-alive sockets, then stops listening. */
  close(): Promise<void>;
}

interface Outcome {
  response?: SimResponse;
  /** Never answer; the socket stays open until the client gives up or the listener closes. */
  hang?: boolean;
  delayMs?: number;
}

const splitUrl = (url: string): [string, string] => {
  const mark = url.indexOf('?');
  return mark < 0 ? [url, ''] : [url.slice(0, mark), url.slice(mark + 1)];
};

const faultResponse = (fault: Fault): SimResponse => ({
  status: fault.status ?? 500,
  headers: fault.headers ?? {},
  ...(fault.body === undefined ? {} : { body: fault.body }),
});

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, response: SimResponse): void {
  if (res.destroyed) return;
  const body = response.body === undefined ? undefined : Buffer.from(response.body);
  const headers = { ...response.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
  res.writeHead(response.status, headers);
  res.end(body);
}

async function decide(options: HttpListenerOptions, request: SimRequest): Promise<Outcome> {
  const fault = options.faults.match(options.target, request.method, request.rawPath);
  if (fault?.hang) return { hang: true };
  const delayMs = fault?.delayMs ?? 0;
  if (fault?.status !== undefined) return { response: faultResponse(fault), delayMs };
  try {
    const response = await options.handler(request);
    if (fault?.truncateBodyAt !== undefined && response.body !== undefined) {
      const body = Buffer.from(response.body).subarray(0, fault.truncateBodyAt);
      return { response: { ...response, body }, delayMs };
    }
    return { response, delayMs };
  } catch (error) {
    // A throwing handler is a simulator bug: make it loud, and answer as EMQX's uncaught-crash path does.
    console.error(`[simulator ${options.target}] handler failed`, error);
    const message = error instanceof Error ? error.message : String(error);
    return { response: json(500, { code: 'INTERNAL_ERROR', message }) };
  }
}

/** The sockets and pending delays of one listener, so that going down or closing cuts them all at once. */
function createConnections() {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  return {
    /** Keeps an accepted socket, or destroys it at once when the listener is not serving. */
    admit(socket: Socket, serving: boolean) {
      if (!serving) {
        socket.destroy();
        return;
      }
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    },
    /** Resolves after `ms`, or never when `dropAll` comes first (the socket is gone by then). */
    wait: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      }),
    dropAll() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
    },
  };
}

type Connections = ReturnType<typeof createConnections>;

async function serve(
  options: HttpListenerOptions,
  connections: Connections,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const at = (options.now ?? Date.now)();
  const body = await readBody(req).catch(() => undefined);
  if (body === undefined) return;
  const method = req.method ?? 'GET';
  const [rawPath, query] = splitUrl(req.url ?? '/');
  const request = { method, rawPath, query: new URLSearchParams(query), headers: req.headers, body };
  const outcome = await decide(options, request);
  const status = outcome.response?.status ?? 0;
  // Logged once the outcome is known, before any delay, so a client that timed out still finds its request.
  options.requestLog.record({
    target: options.target,
    method,
    rawPath,
    query,
    body: body.toString('utf8'),
    status,
    at,
    ...(typeof req.headers.traceparent === 'string' ? { traceparent: req.headers.traceparent } : {}),
  });
  if (outcome.hang || !outcome.response) return;
  if (outcome.delayMs) await connections.wait(outcome.delayMs);
  send(res, outcome.response);
}

export async function createHttpListener(options: HttpListenerOptions): Promise<HttpListener> {
  const connections = createConnections();
  let down = false;
  let closed = false;
  const server = createServer((req, res) => void serve(options, connections, req, res));
  server.on('connection', (socket: Socket) => connections.admit(socket, !down && !closed));
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port, address } = server.address() as AddressInfo;

  return {
    port,
    origin: `http://${address}:${port}`,
    setDown(value) {
      down = value;
      if (down) connections.dropAll();
    },
    isDown: () => down,
    async close() {
      if (closed) return;
      closed = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      connections.dropAll();
      server.closeAllConnections();
      await stopped;
    },
  };
}
