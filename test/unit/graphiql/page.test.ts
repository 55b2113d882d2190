import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphiQLRoutes } from '../../../src/graphiql/handler.ts';

/**
 * The GraphiQL page over HTTP: it references no other origin, carries a Content-Security-Policy that would
 * block one, and every asset it names is served by the gateway itself.
 */

let server: Server;
let origin: string;

beforeAll(async () => {
  const routes = createGraphiQLRoutes({
    endpoint: '/graphql',
    page: (req) =>
      req.url?.includes('off')
        ? false
        : { options: { title: 'Gateway </script><script>alert(1)</script>', defaultQuery: '{ a }' } },
  });
  server = createServer(async (req, res) => {
    if (!(await routes(req, res))) res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const page = () => fetch(`${origin}/graphql`, { headers: { accept: 'text/html' } });

/** Every src/href attribute value and url(...) reference in the page. */
const references = (html: string) => [
  ...[...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((match) => match[1]!),
  ...[...html.matchAll(/url\(([^)]*)\)/g)].map((match) => match[1]!),
];

describe('GraphiQL page', () => {
  it('references no other origin: every asset is a path on this gateway', async () => {
    const html = await (await page()).text();
    const refs = references(html);
    expect(refs.length).toBeGreaterThanOrEqual(6);
    for (const ref of refs) expect(ref).toMatch(/^\/(?!\/)/);
    expect(html).not.toMatch(/https?:\/\/|\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
  });

  it('serves every referenced asset itself, with its type, gzip and revalidation', async () => {
    const html = await (await page()).text();
    for (const ref of references(html)) {
      const response = await fetch(`${origin}${ref}`);
      expect(response.status, ref).toBe(200);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-type')).toMatch(
        ref.endsWith('.js') ? /^text\/javascript/ : ref.endsWith('.css') ? /^text\/css/ : /^image\//,
      );
      const etag = response.headers.get('etag')!;
      const again = await fetch(`${origin}${ref}`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
    }
  });

  it('loads Monaco workers from here and its stylesheet refers to nothing but inline data', async () => {
    for (const worker of ['editor', 'json', 'graphql']) {
      expect((await fetch(`${origin}/graphiql/${worker}.worker.js`)).status).toBe(200);
    }
    const css = await (await fetch(`${origin}/graphiql/graphiql.css`)).text();
    const urls = [...css.matchAll(/url\(\s*['"]?([^'")]*)/g)].map((match) => match[1]!);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toMatch(/^data:/);
  });

  it('sends a policy that allows this origin alone and no inline script', async () => {
    const response = await page();
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    for (const directive of ['connect-src', 'worker-src', 'font-src', 'img-src', 'style-src']) {
      const sources = csp.split('; ').find((part) => part.startsWith(directive))!;
      expect(
        sources
          .split(' ')
          .slice(1)
          .every((source) => ["'self'", "'unsafe-inline'", 'data:'].includes(source)),
      ).toBe(true);
    }
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    // The only script elements with content are the inert JSON of options.
    expect([...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((match) => match[1]!.trim())).toEqual([
      'id="graphiql-options" type="application/json"',
      'id="gateway-options" type="application/json"',
    ]);
  });

  it('escapes options so none can close their script element', async () => {
    const html = await (await page()).text();
    expect(html).not.toContain('<script>alert(1)');
    const json = html.match(/<script id="graphiql-options" type="application\/json">(.*?)<\/script>/s)![1]!;
    expect(JSON.parse(json)).toMatchObject({
      title: 'Gateway </script><script>alert(1)</script>',
      endpoint: '/graphql',
    });
  });

  it('compresses the editor bundle for clients that accept gzip', async () => {
    const plain = Buffer.from(
      await (
        await fetch(`${origin}/graphiql/graphiql.js`, { headers: { 'accept-encoding': 'identity' } })
      ).arrayBuffer(),
    );
    // undici's request, unlike fetch, hands over the body as sent.
    const response = await request(`${origin}/graphiql/graphiql.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers['content-encoding']).toBe('gzip');
    const zipped = Buffer.from(await response.body.arrayBuffer());
    expect(zipped.length).toBeLessThan(plain.length / 2);
    expect(gunzipSync(zipped).equals(plain)).toBe(true);
  });

  it('answers nothing, assets included, when GraphiQL is off', async () => {
    expect((await fetch(`${origin}/graphql?off`, { headers: { accept: 'text/html' } })).status).toBe(418);
    expect((await fetch(`${origin}/graphiql/graphiql.js?off`)).status).toBe(418);
  });

  it('answers 404 for an asset it does not have, and leaves API requests alone', async () => {
    expect((await fetch(`${origin}/graphiql/nope.js`)).status).toBe(404);
    expect(
      (await fetch(`${origin}/graphql`, { method: 'POST', headers: { accept: 'text/html' } })).status,
    ).toBe(418);
    expect((await fetch(`${origin}/graphql`)).status).toBe(418);
  });
});
