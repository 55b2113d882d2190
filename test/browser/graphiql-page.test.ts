import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphiQLRoutes } from '../../src/graphiql/handler.ts';
import { browserUnavailable, launchBrowser, type TestBrowser } from '../helpers/browser.ts';

/**
 * The self-hosted GraphiQL page in Chromium, in front of a one-field schema that wants a bearer token: it
 * renders from this origin alone under its Content-Security-Policy, loads Monaco's workers from here, and
 * says how to pass a token while the endpoint answers 401.
 */

const TOKEN = 'page-test-token-0123456789';

function startServer() {
  const requested: string[] = [];
  const routes = createGraphiQLRoutes({
    endpoint: '/graphql',
    options: (req) => ({
      title: 'Page test',
      defaultQuery: '{ hello }',
      ...(req.url?.includes('token')
        ? { headers: JSON.stringify({ Authorization: `Bearer ${TOKEN}` }) }
        : {}),
    }),
  });
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { hello: String }',
      resolvers: { Query: { hello: () => 'world' } },
    }),
    graphiql: false,
    plugins: [
      {
        onRequest({ request, endResponse }) {
          if (request.headers.get('authorization') !== `Bearer ${TOKEN}`)
            endResponse(new Response('{}', { status: 401 }));
        },
      },
    ],
  });
  const server = createServer(async (req, res) => {
    requested.push(req.url ?? '');
    if (!(await routes(req, res))) await yoga(req, res);
  });
  return { server, requested };
}

// Parsing the ~5 MB editor bundle takes Chromium seconds, and far longer on a busy machine.
describe.skipIf(browserUnavailable)('self-hosted GraphiQL page in Chromium', { timeout: 120_000 }, () => {
  let server: Server;
  let requested: string[];
  let browser: TestBrowser;
  let url: string;

  beforeAll(async () => {
    ({ server, requested } = startServer());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('renders from this origin alone, workers included, and runs a query with no policy violation', async () => {
    const { page, blocked, problems } = await browser.newPage();
    await page.goto(`${url}?token`);
    await page.getByRole('button', { name: /Execute query/ }).click();
    await expect
      .poll(() => page.locator('.result-window').innerText(), { timeout: 15_000 })
      .toContain('world');
    expect(requested.filter((path) => path.endsWith('.worker.js')).length).toBeGreaterThan(0);
    expect(await page.locator('#graphiql-hint').isHidden()).toBe(true);
    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('says how to pass a token while the endpoint answers 401', async () => {
    const { page, blocked, problems } = await browser.newPage();
    await page.goto(url);
    const hint = page.locator('#graphiql-hint');
    await hint.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await hint.innerText()).toContain('{"Authorization": "Bearer <your token>"}');
    await hint.getByRole('button', { name: 'Close' }).click();
    await hint.waitFor({ state: 'hidden' });
    expect(blocked).toEqual([]);
    // The browser reports each 401 it was given; nothing else may go wrong.
    expect(problems.filter((problem) => !problem.includes('status of 401'))).toEqual([]);
  });
});
