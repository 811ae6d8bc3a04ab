/**
 * End to end: the real CLI host (`dist/cli.js run --json`) running the bundled sample app, its
 * `GET /` page in headless Chromium. Needs `node esbuild.mjs` first (dist/cli.js, dist/webview/).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser } from 'playwright-core';
import type { CliBanner } from '../../src/shared/protocol';
import { launchChromium, pageProblems, screenshot, watchedPage, type OpenedPage } from './harness';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

/** Starts the CLI on the sample app; resolves with its `--json` banner. */
function startCli(flags: string[] = [], command = ['node', 'server.js']): Promise<{ child: ChildProcess; banner: CliBanner }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node esbuild.mjs\` first`);
  const args = [CLI, 'run', '--json', ...flags, '--cwd', path.join(ROOT, 'samples/hello-app'), '--', ...command];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      try {
        resolve({ child, banner: JSON.parse(line) as CliBanner });
      } catch (err) {
        reject(new Error(`first stdout line of the CLI is not JSON: ${line} (${(err as Error).message})`));
      }
    });
    child.once('exit', (code) => reject(new Error(`the CLI exited with ${code} before its banner`)));
  });
}

describe('terminal page served by the CLI host (sample app)', function () {
  this.timeout(30_000);
  let browser: Browser;
  let cli: ChildProcess | undefined;
  let opened: OpenedPage | undefined;

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await opened?.context.close();
    if (cli && cli.exitCode === null) cli.kill('SIGTERM');
    await browser?.close();
  });

  it("shows the app's lines with levels and colours, links, status; reconnecting once the host is gone", async () => {
    const started = await startCli();
    cli = started.child;
    const { banner } = started;
    const context = await browser.newContext({ viewport: { width: 1100, height: 520 }, colorScheme: 'dark' });
    const { page, problems } = await watchedPage(context);
    opened = { context, page, problems };
    await page.goto(banner.pageUrl);
    await page.waitForFunction(() => window.__previewHost?.connection() === 'open');
    await page.waitForFunction(() => document.querySelector('.state')?.textContent === 'Ready', undefined, { timeout: 15_000 });

    // Make the app log an error with a stack and a 404.
    const app = `http://127.0.0.1:${banner.port}`;
    await fetch(`${app}/boom`).then((r) => r.text());
    await fetch(`${app}/missing`).then((r) => r.text());
    await fetch(`${app}/`).then((r) => r.text());
    await page.waitForFunction(
      () => [...document.querySelectorAll('.row')].some((r) => r.textContent?.includes('"GET / HTTP/1.1" 200')),
      undefined,
      {
        timeout: 10_000,
      },
    );
    await page.evaluate(() => window.__previewHost!.settled());

    const rows = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.row')].map((r) => ({
        cls: r.className,
        text: r.querySelector('.msg')?.textContent ?? '',
      })),
    );
    const find = (re: RegExp) => rows.find((r) => re.test(r.text));
    assert.match(find(/Started server process/)?.cls ?? '', /lv-INFO/);
    assert.match(find(/^Error: boom/)?.cls ?? '', /lv-ERROR/);
    assert.match(find(/WARNING: This is a development server/)?.cls ?? '', /lv-WARN/);
    const green = await page.evaluate(() => {
      const span = [...document.querySelectorAll<HTMLElement>('.msg span')].find((s) => s.textContent === 'INFO');
      return span ? getComputedStyle(span).color : '';
    });
    assert.equal(green, 'rgb(13, 188, 121)', 'the ANSI green of the startup line');
    assert.equal(await page.locator('a.url').first().getAttribute('target'), '_blank');
    assert.match(
      (await page.locator('.header').textContent()) ?? '',
      new RegExp(`node server\\.js.*Ready.*http://127\\.0\\.0\\.1:${banner.port}/`),
    );
    await screenshot(page, 'cli-host-sample-app');
    assert.deepEqual(await pageProblems(opened), []);

    // The host goes away: the page says so and keeps what it had. A heartbeat or a line of the
    // app's shutdown may still arrive after the kill, so the page ends with at least these lines.
    const seenBeforeKill = await page.evaluate(() => window.__previewHost!.lastSeq());
    cli.kill('SIGTERM');
    await page.waitForFunction(() => window.__previewHost!.connection() === 'reconnecting', undefined, { timeout: 15_000 });
    assert.equal(await page.locator('.conn').textContent(), 'reconnecting…');
    const seqs = await page.evaluate(() => window.__previewHost!.seqs());
    assert.ok(seqs.length >= seenBeforeKill, `kept ${seqs.length} lines, had ${seenBeforeKill} before the kill`);
    assert.equal(seqs.length, await page.evaluate(() => window.__previewHost!.lastSeq()));
    assert.ok(
      seqs.every((s, i) => s === i + 1),
      'seqs 1..N, no duplicates',
    );
  });

  it('opens a run of the history read-only at ?run=N, with no stream, and refuses a run that is not an id', async () => {
    const historyDir = mkdtempSync(path.join(tmpdir(), 'ph-cli-page-history-'));
    try {
      await opened?.context.close();
      const started = await startCli(['--history', historyDir]);
      cli = started.child;
      const { banner } = started;
      const api = (route: string) => fetch(`${banner.apiBase}${route}${route.includes('?') ? '&' : '?'}token=${banner.token}`);
      // The app's own access line for a request of ours, then the run it is in.
      await waitUntil(async () => (await fetch(`http://127.0.0.1:${banner.port}/missing`).catch(() => undefined))?.status === 404);
      let runId = 0;
      await waitUntil(async () => {
        const runs = (await (await api('/runs')).json()) as { id: number; lineCount: number }[];
        const page = runs[0] ? ((await (await api(`/runs/${runs[0].id}/logs?q=missing`)).json()) as { lines: unknown[] }) : undefined;
        runId = runs[0]?.id ?? 0;
        return (page?.lines.length ?? 0) > 0;
      });

      const context = await browser.newContext({ viewport: { width: 1100, height: 520 }, colorScheme: 'dark' });
      const { page, problems } = await watchedPage(context);
      opened = { context, page, problems };
      const streams: string[] = [];
      page.on('request', (r) => /\/logs\/stream/.test(r.url()) && streams.push(r.url()));
      const url = new URL(banner.pageUrl);
      url.searchParams.set('run', String(runId));
      await page.goto(url.toString());
      await page.waitForFunction(
        () => [...document.querySelectorAll('.row')].some((r) => /GET \/missing/.test(r.textContent ?? '')),
        undefined,
        { timeout: 15_000 },
      );
      assert.equal(await page.locator('.conn').textContent(), 'history · read-only');
      assert.deepEqual(streams, [], 'a past run opens no stream');
      await screenshot(page, 'cli-host-past-run');
      assert.deepEqual(await pageProblems(opened), []);

      for (const bad of ['abc', '0', '-1', '1.5']) {
        url.searchParams.set('run', bad);
        const answer = await fetch(url);
        assert.equal(answer.status, 400, `run=${bad}`);
        assert.match(await answer.text(), /run must be a run id/);
      }
    } finally {
      if (cli && cli.exitCode === null) {
        const exited = new Promise((r) => cli!.once('exit', r));
        cli.kill('SIGTERM');
        await exited;
      }
      rmSync(historyDir, { recursive: true, force: true });
    }
  });
});

describe('terminal page served by the CLI host (a flood)', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let cli: ChildProcess | undefined;

  after(async () => {
    if (cli && cli.exitCode === null) cli.kill('SIGTERM');
    await browser?.close();
  });

  it('reads a 40 000-line flood in 1 MiB responses (`?max=`), each resuming after the last: every line once, in order', async () => {
    // About 5 MB of frames, written at once: the page falls behind and reads it piece by piece.
    const flood = `let s = ''; for (let i = 1; i <= 40000; i++) s += 'flood line ' + i + ' ' + 'x'.repeat(80) + '\\n'; process.stdout.write(s); setInterval(() => {}, 1e9);`;
    const started = await startCli(['--no-history', '--ready-line', 'flood line 1 '], ['node', '-e', flood]);
    cli = started.child;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1100, height: 520 }, colorScheme: 'dark' });
    const { page, problems } = await watchedPage(context);
    const streams: URL[] = [];
    page.on('request', (r) => /\/logs\/stream/.test(r.url()) && streams.push(new URL(r.url())));
    await page.goto(started.banner.pageUrl);
    await page.waitForFunction(() => window.__previewHost!.lastSeq() >= 40_000, undefined, { timeout: 45_000 });
    const seqs = await page.evaluate(() => window.__previewHost!.seqs());
    assert.equal(seqs.length, 40_000);
    assert.ok(
      seqs.every((seq, i) => seq === i + 1),
      'every line once, in order',
    );
    assert.ok(streams.length >= 4, `${streams.length} responses`);
    assert.ok(
      streams.every((u) => u.searchParams.get('max') === String(1024 * 1024)),
      'each asks for a piece',
    );
    const afters = streams.map((u) => Number(u.searchParams.get('after') ?? 0));
    assert.ok(
      afters.every((a, i) => i === 0 || a > afters[i - 1]!),
      `each resumes further on: ${afters.join(', ')}`,
    );
    assert.equal(await page.evaluate(() => window.__previewHost!.connection()), 'open');
    assert.deepEqual(await pageProblems({ context, page, problems }), []);
    await context.close();
  });
});

/** Polls `check` every 100 ms until it holds (the test's timeout bounds it). */
async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 100));
}
