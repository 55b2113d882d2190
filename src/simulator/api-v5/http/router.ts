import { json, type SimRequest, type SimResponse } from '../../types.ts';
import { type ApiKey, checkApiKey } from './auth.ts';
import { ApiError, fromApiError } from './reply.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteCall {
  request: SimRequest;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
}

export type Handler = (call: RouteCall) => SimResponse | Promise<SimResponse>;

/** One path of the v5 API with its methods; `{name}` segments are parameters. */
export interface Route {
  path: string;
  methods: Partial<Record<Method, Handler>>;
}

export interface RouterOptions {
  routes: Route[];
  key: ApiKey;
  /** Paths outside this predicate do not exist (Serverless deployments expose only a few APIs). */
  exposes?: (path: string) => boolean;
}

export const PREFIX = '/api/v5';

interface Compiled {
  route: Route;
  segments: string[];
  literals: number;
}

function compile(route: Route): Compiled {
  const segments = route.path.split('/').filter(Boolean);
  return { route, segments, literals: segments.filter((s) => !s.startsWith('{')).length };
}

function match(compiled: Compiled, segments: string[]): Record<string, string> | null {
  if (compiled.segments.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, pattern] of compiled.segments.entries()) {
    const actual = segments[i] ?? '';
    if (pattern.startsWith('{')) {
      if (actual === '') return null;
      params[pattern.slice(1, -1)] = actual;
    } else if (pattern !== actual) return null;
  }
  return params;
}

/** `emqx_dashboard_not_found`: JSON only when the client asks for it. */
function notFoundReply(request: SimRequest): SimResponse {
  if ((request.headers.accept ?? '').includes('application/json')) {
    return json(404, { code: 'NOT_FOUND', message: 'Request Path Not Found' });
  }
  return {
    status: 404,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: '<html><body><h1>404 Not Found</h1></body></html>',
  };
}

function decodeParams(params: Record<string, string>): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw new ApiError(400, 'BAD_REQUEST', `Invalid percent-encoding in ${name}`);
    }
  }
  return decoded;
}

function find(compiled: Compiled[], segments: string[]) {
  let best: { entry: Compiled; params: Record<string, string> } | null = null;
  for (const entry of compiled) {
    const params = match(entry, segments);
    if (params && (!best || entry.literals > best.entry.literals)) best = { entry, params };
  }
  return best;
}

/** minirest dispatch for `/api/v5`: route → method (405) → API key (401) → handler (errors → `{code,message}`). */
export function createRouter(options: RouterOptions): (request: SimRequest) => Promise<SimResponse> {
  const compiled = options.routes.filter((r) => options.exposes?.(r.path) ?? true).map(compile);
  return async (request) => {
    const path = request.rawPath.split('?')[0] ?? '';
    if (!path.startsWith(`${PREFIX}/`)) return notFoundReply(request);
    const segments = path
      .slice(PREFIX.length + 1)
      .replace(/\/$/, '')
      .split('/');
    const found = find(compiled, segments);
    if (!found) return notFoundReply(request);
    const handler = found.entry.route.methods[request.method as Method];
    if (!handler)
      return { status: 405, headers: { allow: Object.keys(found.entry.route.methods).join(', ') } };
    try {
      checkApiKey(request.headers, options.key);
      return await handler({ request, params: decodeParams(found.params), query: request.query });
    } catch (error) {
      if (error instanceof ApiError) return fromApiError(error);
      return json(500, {
        code: 'INTERNAL_ERROR',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  };
}
