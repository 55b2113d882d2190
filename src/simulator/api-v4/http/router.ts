import type { SimRequest, SimResponse } from '../../types.ts';
import { type AppCredentials, isAuthorized } from './auth.ts';
import { buildParams, decodeBody, type V4Params } from './params.ts';
import { badRequest, HandlerCrash, internalError, jsonReply, notFound, unauthorized } from './reply.ts';

/** What a v4 handler receives: minirest's bindings (raw, still percent-encoded) and its parameter list. */
export interface V4Call {
  readonly bindings: Readonly<Record<string, string>>;
  readonly params: V4Params;
  /** The decoded JSON body (`undefined` when the request had none). */
  readonly body: unknown;
}

export type V4Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One `-rest_api(...)` declaration of EMQX 4.4. */
export interface V4Route {
  readonly name: string;
  readonly method: V4Method;
  /** As EMQX declares it, e.g. `/clients/:bin:clientid` or `nodes/:atom:node/clients/`. */
  readonly path: string;
  readonly descr: string;
  /** The Erlang application (plugin) that registers the route; its routes vanish while it is unloaded. */
  readonly app: string;
  readonly handler: (call: V4Call) => SimResponse | Promise<SimResponse>;
}

export interface RouterOptions {
  readonly app: AppCredentials;
  readonly routes: readonly V4Route[];
  /** `list_to_existing_atom/1` succeeds only for names the VM already knows (nodes, plugins, actions…). */
  readonly atomExists: (name: string) => boolean;
  /** minirest's route filter: a plugin's routes answer only while the plugin is active. */
  readonly appActive: (app: string) => boolean;
}

const PREFIX = '/api/v4';

/** minirest 0.3 dispatch for the `/api/v4` handler of `emqx_mgmt_http`. */
export function createRouter(options: RouterOptions): (request: SimRequest) => Promise<SimResponse> {
  const compiled = options.routes.map((route) => ({ route, pattern: tokens(route.path) }));
  return async (request) => {
    const path = request.rawPath.split('?')[0] ?? '';
    if (path !== PREFIX && !path.startsWith(`${PREFIX}/`)) return { status: 404 };
    if (!isAuthorized(request.headers, options.app)) return unauthorized();
    const relative = path.slice(PREFIX.length) || '/';
    if (relative === '/') return request.method === 'GET' ? listRoutes(options.routes) : badRequest();
    let matched: { route: V4Route; bindings: Record<string, string> } | null;
    try {
      matched = matchRoute(compiled, request.method, tokens(relative), options.atomExists);
    } catch {
      return notFound();
    }
    if (!matched || !options.appActive(matched.route.app)) return notFound();
    const decoded = decodeBody(request.body);
    if (!decoded) return badRequest();
    const call: V4Call = {
      bindings: matched.bindings,
      params: buildParams(request.query, decoded.value),
      body: decoded.value,
    };
    try {
      return await matched.route.handler(call);
    } catch (error) {
      if (error instanceof HandlerCrash) return internalError();
      throw error;
    }
  };
}

/** `string:tokens(Path, "/")`: empty segments vanish, so `/clients//a/` is `/clients/a`. */
const tokens = (path: string): string[] => path.split('/').filter((segment) => segment !== '');

function matchRoute(
  compiled: ReadonlyArray<{ route: V4Route; pattern: string[] }>,
  method: string,
  path: string[],
  atomExists: (name: string) => boolean,
): { route: V4Route; bindings: Record<string, string> } | null {
  for (const { route, pattern } of compiled) {
    if (route.method !== method || pattern.length !== path.length) continue;
    const bindings = matchPath(path, pattern, atomExists);
    if (bindings) return { route, bindings };
  }
  return null;
}

/** Binds left to right; a failed conversion throws (minirest then answers 404 for the whole request). */
function matchPath(
  path: string[],
  pattern: string[],
  atomExists: (name: string) => boolean,
): Record<string, string> | null {
  const bindings: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!;
    const actual = path[i]!;
    if (!expected.startsWith(':')) {
      if (expected !== actual) return null;
      continue;
    }
    const [type, name] = expected.slice(1).split(':');
    if (name === undefined) bindings[type!] = actual;
    else bindings[name] = convert(type!, actual, atomExists);
  }
  return bindings;
}

function convert(type: string, value: string, atomExists: (name: string) => boolean): string {
  if (type === 'atom' && !atomExists(value)) throw new Error(`badarg: list_to_existing_atom(${value})`);
  if (type === 'int' && !/^[+-]?\d+$/.test(value)) throw new Error(`badarg: list_to_integer(${value})`);
  return value;
}

/** `GET /api/v4`: every registered route, with the `:type` part of bindings removed from the path. */
function listRoutes(routes: readonly V4Route[]): SimResponse {
  const data = routes.map((route) => ({
    name: route.name,
    method: route.method,
    path: route.path.replace(/:[^:]+(:[^/]+)/g, '$1'),
    descr: route.descr,
  }));
  return jsonReply(200, { code: 0, data });
}
