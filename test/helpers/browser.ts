import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core, one browser per test file, a fresh context (storage, cookies)
 * per page. Every request to an origin other than this machine's loopback is aborted and recorded, so a test
 * sees a page exactly as it is offline, and can assert that it asked for nothing else.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined when they can (`.ci/run` installs Chromium). */
export const browserUnavailable = existsSync(CHROMIUM_PATH)
  ? undefined
  : `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install -y chromium; .ci/run does it): browser tests skipped`;

// Without the background-networking flags Chromium keeps trying Google's hosts, which this network refuses.
// playwright-core gives every launch a fresh temporary --user-data-dir of its own.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // A second fence behind the request interception: no host name but localhost resolves.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Loopback http(s) and ws(s), plus URLs that never leave the page (data:, blob:, about:). */
export function isLocalUrl(url: string): boolean {
  const parsed = new URL(url);
  if (['data:', 'blob:', 'about:'].includes(parsed.protocol)) return true;
  return LOCAL_HOSTS.has(parsed.hostname);
}

export interface TestPage {
  page: Page;
  context: BrowserContext;
  /** Requests aborted because they went to another origin. */
  blocked: string[];
  /** Console errors, uncaught exceptions and Content-Security-Policy violations. */
  problems: string[];
}

export interface TestBrowser {
  newPage(): Promise<TestPage>;
  close(): Promise<void>;
}

async function watchedPage(browser: Browser): Promise<TestPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const blocked: string[] = [];
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocalUrl(url)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  // Loading the ~5 MB editor bundle takes seconds, and a minute on a machine busy with other test files.
  page.setDefaultTimeout(120_000);
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return { page, context, blocked, problems };
}

export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
  return {
    newPage: () => watchedPage(browser),
    close: () => browser.close(),
  };
}
