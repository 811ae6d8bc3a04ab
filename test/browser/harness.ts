/**
 * Debian's Chromium driven by playwright-core (never `npx playwright install`), plus helpers to open
 * the terminal page against a FakeHost and to collect what would mean a broken page: uncaught
 * errors, console errors and CSP violations.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../chromium.mjs';
import type { FakeHost } from './fakeHost';

export const SCREENSHOTS = path.resolve(__dirname, '../../test-output/screenshots');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_EXECUTABLE,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors, console errors and CSP violations seen so far. */
  problems: string[];
}

export async function openTerminal(
  browser: Browser,
  host: FakeHost,
  opts: { colorScheme?: 'dark' | 'light'; initScript?: string; viewport?: { width: number; height: number } } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1100, height: 640 },
    colorScheme: opts.colorScheme ?? 'dark',
  });
  const { page, problems } = await watchedPage(context);
  if (opts.initScript) await page.addInitScript(opts.initScript);
  await page.goto(host.pageUrl);
  await page.waitForFunction(() => window.__previewHost?.connection() === 'open');
  return { context, page, problems };
}

/** A new page that records uncaught errors, console errors and CSP violations. */
export async function watchedPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // A failed (re)connection logs a network error; that is the reconnect at work, not a bug.
    if (msg.type() === 'error' && !/EventSource|ERR_CONNECTION_REFUSED|net::ERR_|Failed to load resource/.test(msg.text())) {
      problems.push(`console: ${msg.text()}`);
    }
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  // tsx (esbuild keepNames) wraps named functions in `__name(...)`; page.evaluate bodies need it too.
  await page.addInitScript('globalThis.__name = (fn) => fn;');
  return { page, problems };
}

/** Problems plus CSP violations recorded in the page. */
export async function pageProblems(opened: OpenedPage): Promise<string[]> {
  const csp = await opened.page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
  return [...opened.problems, ...csp.map((c) => `csp: ${c}`)];
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Waits until the page has received up to `seq` and rendered a frame. */
export async function waitForSeq(page: Page, seq: number, timeout = 10_000): Promise<void> {
  await page.waitForFunction((s) => (window.__previewHost?.lastSeq() ?? 0) >= s, seq, { timeout, polling: 20 });
  await page.evaluate(() => window.__previewHost!.settled());
}

/** Checks seqs are strictly increasing with no duplicates and no holes (except the given gaps). */
export function assertContinuous(seqs: number[], from: number, to: number, gaps: { from: number; to: number }[] = []): void {
  const expected: number[] = [];
  for (let s = from; s <= to; s++) if (!gaps.some((g) => s >= g.from && s <= g.to)) expected.push(s);
  if (seqs.length !== expected.length || seqs.some((s, i) => s !== expected[i])) {
    const dupes = seqs.filter((s, i) => seqs.indexOf(s) !== i);
    const missing = expected.filter((s) => !seqs.includes(s));
    throw new Error(
      `seqs not continuous ${from}..${to}: got ${seqs.length}, expected ${expected.length}; ` +
        `duplicates ${JSON.stringify(dupes.slice(0, 10))}, missing ${JSON.stringify(missing.slice(0, 10))}`,
    );
  }
}
