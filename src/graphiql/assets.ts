import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { PAGE_CSS, SETUP_JS, START_JS } from './client.ts';

/**
 * GraphiQL's files, served by the gateway itself so the page works without internet and behind proxies that
 * block CDNs: the editor, styles, Monaco's workers and the favicon come from the `@graphql-yoga/render-graphiql`
 * package (the build Yoga's own page would fetch from a CDN), plus the page's own start-up scripts and style (client.ts).
 */

/** Where every asset is served; the page and client.ts's setup script derive their URLs from it. */
export const ASSET_PREFIX = '/graphiql/';

export interface Asset {
  body: Buffer;
  /** The body gzipped once, for clients that accept it (the editor bundle shrinks from ~5 MB to ~1.5 MB). */
  gzip: Buffer;
  contentType: string;
  etag: string;
}

const JS = 'text/javascript; charset=utf-8';

function asset(body: Buffer, contentType: string): Asset {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, gzip: gzipSync(body), contentType, etag };
}

/** `data:image/x-icon;base64,...` as served bytes. */
function fromDataUrl(url: string): Asset {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (!match) throw new Error('GraphiQL favicon is not a base64 data URL');
  return asset(Buffer.from(match[2]!, 'base64'), match[1]!);
}

async function load(): Promise<Map<string, Asset>> {
  const files = await import('@graphql-yoga/render-graphiql/graphiql');
  return new Map([
    ['graphiql.js', asset(Buffer.from(files.js), JS)],
    ['graphiql.css', asset(Buffer.from(files.css), 'text/css; charset=utf-8')],
    ['editor.worker.js', asset(Buffer.from(files.editorWorkerService), JS)],
    ['json.worker.js', asset(Buffer.from(files.jsonWorker), JS)],
    ['graphql.worker.js', asset(Buffer.from(files.graphqlWorker), JS)],
    ['favicon.ico', fromDataUrl(files.favicon)],
    ['setup.js', asset(Buffer.from(SETUP_JS), JS)],
    ['start.js', asset(Buffer.from(START_JS), JS)],
    ['page.css', asset(Buffer.from(PAGE_CSS), 'text/css; charset=utf-8')],
  ]);
}

let loaded: Promise<Map<string, Asset>> | undefined;

/**
 * Every asset by file name. Loaded on the first GraphiQL request, not at start-up: the bundle is ~9 MB of
 * source that a gateway serving only API traffic never needs in memory.
 */
export function graphiqlAssets(): Promise<Map<string, Asset>> {
  loaded ??= load().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}
