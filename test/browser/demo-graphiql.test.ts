import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { demoConfigDocument } from '../../src/demo/config.ts';
import { DEMO_EXAMPLES } from '../../src/demo/examples.ts';
import { type Demo, startDemo } from '../../src/demo/start.ts';
import { createGateway, type Gateway } from '../../src/gateway.ts';
import { browserUnavailable, launchBrowser, type TestBrowser, type TestPage } from '../helpers/browser.ts';
import { waitForDemoDevices } from '../helpers/demo-devices.ts';

/**
 * GraphiQL in Chromium against `npm run demo` (in-process), with every non-loopback request blocked: it
 * renders from the gateway alone under its policy, opens with the token and the example tabs, runs a query,
 * lists the schema in the docs explorer on first load, and keeps working after a reload. A gateway with no
 * token in its page (any non-demo one) says how to pass one instead of showing a raw 401.
 * `SCREENSHOTS=1` rewrites docs/graphiql.png, the README's picture.
 */

const SCREENSHOT = new URL('../../docs/graphiql.png', import.meta.url).pathname;

/** An element's text with Monaco's non-breaking spaces and line breaks as plain spaces. */
const textOf = async (page: TestPage['page'], selector: string) =>
  (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ');

async function ranAsExpected(page: TestPage['page'], text: string) {
  await page.getByRole('button', { name: /Execute query/ }).click();
  await expect.poll(() => textOf(page, '.result-window'), { timeout: 120_000 }).toContain(text);
}

describe.skipIf(browserUnavailable)('GraphiQL on the demo, in Chromium', { timeout: 300_000 }, () => {
  let demo: Demo;
  let plain: Gateway;
  let plainUrl: string;
  let browser: TestBrowser;

  beforeAll(async () => {
    demo = await startDemo({ port: 0, logLevel: 'silent', devices: { intervalMs: 500, watchMs: 100 } });
    // The same fleet behind a gateway configured as usual: GraphiQL without a token in its page.
    plain = createGateway(
      parseConfig(demoConfigDocument(demo.sim, demo.tokens), {
        GATEWAY_CONFIG_FILE: 'test',
        LOG_LEVEL: 'silent',
      }),
    );
    plainUrl = `http://127.0.0.1:${((await plain.listen(0, '127.0.0.1')) as AddressInfo).port}`;
    browser = await launchBrowser();
    await waitForDemoDevices(demo.sim, demo.devices);
  });
  afterAll(async () => {
    await browser?.close();
    await plain?.close(100);
    await demo?.close();
  });

  it('opens with the token and example tabs, shows data, and lists Deployment in the docs on first load', async () => {
    const { page, blocked, problems } = await browser.newPage();
    await page.goto(`${demo.url}/graphql`);
    await expect
      .poll(() => page.locator('.graphiql-tab').allInnerTexts())
      .toEqual(['Deployments', 'Brokers', 'Retained', 'Broadcast', 'StartAnalytics', 'Telemetry']);
    expect(DEMO_EXAMPLES).toHaveLength(6);
    await ranAsExpected(page, '"deploymentId": "a1b2c3d4"');
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Deployment', { exact: true }).click();
    await expect.poll(() => docs.innerText()).toContain('retainedMessages');
    if (process.env.SCREENSHOTS === '1') {
      await docs.locator('.graphiql-doc-explorer-title').first().scrollIntoViewIfNeeded();
      mkdirSync(new URL('.', `file://${SCREENSHOT}`).pathname, { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
    }
    expect(await page.locator('#graphiql-hint').isHidden()).toBe(true);
    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);

    // A reload brings back the same tabs, the token in them, and the tab that was open.
    await page.reload();
    await expect.poll(() => page.locator('.graphiql-tab').count()).toBe(6);
    await ranAsExpected(page, '"deploymentId": "a1b2c3d4"');
    expect(problems).toEqual([]);
  });

  it("streams a device's telemetry in the Telemetry tab (a live subscription over SSE)", async () => {
    const { page, blocked, problems } = await browser.newPage();
    await page.goto(`${demo.url}/graphql`);
    await page.locator('.graphiql-tab', { hasText: 'Telemetry' }).click();
    await expect.poll(() => textOf(page, '.graphiql-query-editor')).toContain('subscription Telemetry');
    await page.getByRole('button', { name: /Execute query/ }).click();
    // The result pane shows the stream's latest message: a device topic with its payload.
    await expect
      .poll(() => textOf(page, '.result-window'), { timeout: 120_000 })
      .toMatch(/"mqttMessages": \{ "topic": "[^"]+", "payload":/);
    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('says how to pass a token when the page has none, instead of a bare 401', async () => {
    const { page, blocked, problems } = await browser.newPage();
    await page.goto(`${plainUrl}/graphql`);
    const hint = page.locator('#graphiql-hint');
    await hint.waitFor({ state: 'visible' });
    expect(await hint.innerText()).toContain('{"Authorization": "Bearer <your token>"}');
    // The editor opens with the same advice, for whoever closed the hint.
    expect(await textOf(page, '.graphiql-query-editor')).toContain('Every request needs a bearer token');
    expect(blocked).toEqual([]);
    // The browser reports each 401 it was given; nothing else may go wrong.
    expect(problems.filter((problem) => !problem.includes('status of 401'))).toEqual([]);
  });
});
