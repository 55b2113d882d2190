import type { IncomingMessage, ServerResponse } from 'node:http';
import { ASSET_PREFIX, type Asset, graphiqlAssets } from './assets.ts';
import { GRAPHIQL_CSP, type GraphiQLPage, renderGraphiQLPage } from './page.ts';

/** Serves the GraphiQL page at GET `endpoint` (for browsers) and its assets under ASSET_PREFIX. */
export interface GraphiQLRoutesOptions {
  /** The GraphQL endpoint path, e.g. `/graphql`. */
  endpoint: string;
  /** The page for this request (its GraphiQL options without the endpoint), or false when GraphiQL is off. */
  page: (req: IncomingMessage) => PageSetup | false;
}

export type PageSetup = Omit<GraphiQLPage, 'options'> & {
  options: Omit<GraphiQLPage['options'], 'endpoint'>;
};

/** Answers the request and resolves true when it is GraphiQL's; resolves false, untouched, otherwise. */
export type GraphiQLRoutes = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': GRAPHIQL_CSP,
  // The demo puts a token in the page: never keep it in a cache.
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** Same test Yoga uses: a browser navigating to the endpoint asks for HTML. */
const wantsPage = (req: IncomingMessage) =>
  req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');

function sendAsset(req: IncomingMessage, res: ServerResponse, asset: Asset) {
  const headers = {
    'content-type': asset.contentType,
    etag: asset.etag,
    // Revalidated on every load (a 304 when unchanged), so an upgraded package is never mixed with an old one.
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
  };
  if (req.headers['if-none-match'] === asset.etag) return void res.writeHead(304, headers).end();
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? asset.gzip : asset.body;
  res.writeHead(200, {
    ...headers,
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    'content-length': body.length,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function createGraphiQLRoutes({ endpoint, page }: GraphiQLRoutesOptions): GraphiQLRoutes {
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith(ASSET_PREFIX) && (req.method === 'GET' || req.method === 'HEAD')) {
      if (page(req) === false) return false;
      const asset = (await graphiqlAssets()).get(path.slice(ASSET_PREFIX.length));
      if (asset) sendAsset(req, res, asset);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return true;
    }
    if ((path === endpoint || path === `${endpoint}/`) && wantsPage(req)) {
      const setup = page(req);
      if (setup === false) return false;
      const options = { ...setup.options, endpoint };
      res.writeHead(200, PAGE_HEADERS).end(renderGraphiQLPage({ ...setup, options }));
      return true;
    }
    return false;
  };
}
