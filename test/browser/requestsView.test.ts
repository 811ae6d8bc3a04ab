/**
 * The Requests view in Chromium against the fake host: requests of uvicorn, Django, Flask, morgan
 * and Next.js access lines sort by each column, filter by status class, and a click shows the
 * right log line; the header's summary; 100 000 requests stay a bounded, quick table.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { RequestRecord } from '../../src/shared/protocol';
import { stripAnsi } from '../../src/shared/ansi';
import { ACCESS_LOG, requestsOf, RUN_ERRORS } from './accessLines';
import { FakeHost } from './fakeHost';
import { launchChromium, openTerminal, pageProblems, screenshot, waitForSeq, type OpenedPage } from './harness';

/** Seqs of the table's rows, top to bottom (every row is drawn: the table is short). */
async function tableSeqs(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.req-scroller .req-row')]
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((el) => Number(el.dataset.seq)),
  );
}

/** The order the table must show, by a plain comparator (not the view's packed sort). */
function expectedOrder(records: RequestRecord[], column: string, direction: 'asc' | 'desc'): number[] {
  const key = (r: RequestRecord): number | string =>
    column === 'time'
      ? r.seq
      : column === 'duration'
        ? (r.durationMs ?? Infinity)
        : (r[column as 'method' | 'path' | 'status'] as number | string);
  const sorted = [...records].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : a.seq - b.seq;
  });
  if (direction === 'asc') return sorted.map((r) => r.seq);
  // Descending reverses the ascending order, except that requests without a duration stay last.
  const reversed = sorted.reverse();
  if (column !== 'duration') return reversed.map((r) => r.seq);
  return [...reversed.filter((r) => r.durationMs !== undefined), ...reversed.filter((r) => r.durationMs === undefined)].map((r) => r.seq);
}

describe('terminal page: Requests view (Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let host: FakeHost;
  let opened: OpenedPage | undefined;

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await opened?.context.close();
    opened = undefined;
    await host?.stop();
  });

  async function openWithAccessLog(): Promise<{ page: Page; records: RequestRecord[] }> {
    host = new FakeHost();
    await host.start();
    host.setStatus({ state: 'ready' });
    host.emit(ACCESS_LOG);
    const tsOf = (seq: number) => host.events.flatMap((e) => (e.kind === 'log' && e.line.seq === seq ? [e.line.ts] : []))[0]!;
    const records = requestsOf(1, tsOf);
    host.runs.requests = records;
    host.runs.errors = RUN_ERRORS;
    opened = await openTerminal(browser, host);
    await waitForSeq(opened.page, ACCESS_LOG.length);
    return { page: opened.page, records };
  }

  it('sorts by each column, filters by status class and jumps to the right line (uvicorn, Django, Flask, morgan, Next.js)', async () => {
    const { page, records } = await openWithAccessLog();
    assert.equal(records.length, 10);
    const summary = page.locator('.requests-summary');
    await summary.waitFor({ state: 'visible' });
    assert.equal(await summary.textContent(), '10 requests · 3 4xx · 2 5xx · p50 12 ms · p95 648 ms');

    await page.click('.requests-toggle');
    await page.locator('.requests-view').waitFor({ state: 'visible' });
    assert.equal(await page.getAttribute('.requests-toggle', 'aria-pressed'), 'true');
    assert.deepEqual(await tableSeqs(page), expectedOrder(records, 'time', 'asc'));
    // Paths come from the log: text, never markup.
    assert.equal(await page.locator('.req-scroller img').count(), 0);
    assert.ok((await page.locator('.req-scroller').textContent())!.includes('/search?q=<img src=x onerror=alert(1)>'));

    for (const column of ['method', 'path', 'status', 'duration', 'time'] as const) {
      await page.click(`.req-head .c-${column} .req-sort`);
      assert.deepEqual(await tableSeqs(page), expectedOrder(records, column, 'asc'), `${column} ascending`);
      assert.equal(await page.getAttribute(`.req-head .req-cell.c-${column}`, 'aria-sort'), 'ascending');
      await page.click(`.req-head .c-${column} .req-sort`);
      assert.deepEqual(await tableSeqs(page), expectedOrder(records, column, 'desc'), `${column} descending`);
    }

    await page.click('.req-head .c-status .req-sort'); // status ascending
    await page.click('.req-class.rc-4');
    assert.deepEqual(await tableSeqs(page), [11, 3, 9]);
    assert.equal(await page.locator('.req-shown').textContent(), '3 of 10 requests');
    await page.click('.req-class.rc-5');
    assert.deepEqual(await tableSeqs(page), [11, 3, 9, 4, 8]);
    await page.click('.req-class.rc-4');
    assert.deepEqual(await tableSeqs(page), [4, 8]);
    await screenshot(page, 'requests-view-5xx');
    await page.click('.req-class.rc-all');
    assert.equal((await tableSeqs(page)).length, 10);
    await page.click('.req-head .c-time .req-sort'); // time ascending
    await page.waitForFunction(() => document.querySelector('.errors-summary')?.textContent === '2 errors · 1 new');
    await screenshot(page, 'requests-view');

    // WARN hidden in the log: jumping to a 404 line shows WARN lines again and selects that line.
    await page.click('.requests-toggle');
    await page.click('button.level.lv-WARN');
    await page.click('.requests-toggle');
    await page.click('.req-scroller .req-row[data-seq="9"]');
    await page.locator('.requests-view').waitFor({ state: 'hidden' });
    await page.evaluate(() => window.__previewHost!.settled());
    const selected = await page.locator('.scroller .row.selected .msg').allTextContents();
    assert.deepEqual(selected, [stripAnsi(ACCESS_LOG[8]!.text)]);
    assert.equal(await page.getAttribute('button.level.lv-WARN', 'aria-pressed'), 'true');
    assert.equal(await page.getAttribute('.requests-toggle', 'aria-pressed'), 'false');
    const inView = await page.evaluate(() => {
      const row = document.querySelector('.scroller .row.selected')!.getBoundingClientRect();
      const box = document.querySelector('.scroller')!.getBoundingClientRect();
      return row.top >= box.top && row.bottom <= box.bottom;
    });
    assert.ok(inView, 'the line is scrolled into view');

    // Keyboard: Enter on a focused row jumps too; Escape goes back to the log.
    await page.click('.requests-summary');
    await page.focus('.req-scroller .req-row[data-seq="4"]');
    await page.keyboard.press('Enter');
    await page.evaluate(() => window.__previewHost!.settled());
    assert.deepEqual(await page.locator('.scroller .row.selected .msg').allTextContents(), [ACCESS_LOG[3]!.text]);
    await page.click('.requests-toggle');
    await page.keyboard.press('Escape');
    await page.locator('.requests-view').waitFor({ state: 'hidden' });
    assert.deepEqual(await pageProblems(opened!), []);
  });

  it('takes new requests as lines arrive, asking only for those after the last one', async () => {
    const { page, records } = await openWithAccessLog();
    await page.click('.requests-toggle');
    await page.waitForFunction(() => document.querySelectorAll('.req-scroller .req-row').length === 10);
    const next = host.lastSeq + 1;
    host.runs.requests = [
      ...records,
      { seq: next, ts: new Date().toISOString(), method: 'GET', path: '/late', status: 503, durationMs: 3 },
    ];
    host.emit([{ text: '\x1b[0mGET /late \x1b[31m503\x1b[0m 3.000 ms - 5\x1b[0m', level: 'ERROR' }]);
    await page.waitForFunction(() => document.querySelectorAll('.req-scroller .req-row').length === 11, undefined, { timeout: 10_000 });
    assert.equal(await page.locator('.requests-summary').textContent(), '11 requests · 3 4xx · 3 5xx · p50 3 ms · p95 648 ms');
    const asked = host.runs.asked.filter((a) => a.includes('requests'));
    assert.equal(asked[0], 'preview requests?after=0');
    assert.ok(asked.slice(1).includes(`preview requests?after=${records.at(-1)!.seq}`), asked.join(', '));
  });

  it('falls back to the history run’s route when the host has no live one', async () => {
    host = new FakeHost();
    await host.start();
    host.runs.liveRoutes = false;
    host.emit(ACCESS_LOG);
    host.runs.requests = requestsOf(1, () => new Date().toISOString());
    opened = await openTerminal(browser, host);
    await opened.page.locator('.requests-summary').waitFor({ state: 'visible' });
    assert.match((await opened.page.locator('.requests-summary').textContent())!, /^10 requests/);
    assert.ok(host.runs.asked.includes('run requests?after=0'), host.runs.asked.join(', '));
  });

  it('shows 100 000 requests as a bounded table that sorts and filters quickly', async () => {
    host = new FakeHost();
    await host.start();
    host.emit(Array.from({ length: 50 }, (_, i) => ({ text: `line ${i + 1}` })));
    const methods = ['GET', 'POST', 'PUT', 'DELETE'];
    const statuses = [200, 200, 200, 304, 404, 500];
    host.runs.requests = Array.from({ length: 100_000 }, (_, i) => ({
      seq: i + 1,
      ts: new Date(Date.UTC(2026, 0, 1) + i * 10).toISOString(),
      method: methods[i % 4]!,
      path: `/api/items/${(i * 7919) % 20_000}`,
      status: statuses[(i * 13) % 6]!,
      durationMs: ((i * 37) % 5000) / 10,
    }));
    opened = await openTerminal(browser, host);
    const { page } = opened;
    await page.waitForFunction(() => document.querySelector('.requests-summary')?.textContent?.startsWith('100,000 requests'), undefined, {
      timeout: 20_000,
    });
    const timings: Record<string, number> = {};
    const timed = async (name: string, selector: string) => {
      timings[name] = await page.evaluate((sel) => {
        const t0 = performance.now();
        document.querySelector<HTMLElement>(sel)!.click(); // sorting and drawing are synchronous
        return performance.now() - t0;
      }, selector);
    };
    await timed('open', '.requests-toggle');
    await timed('sort by path', '.req-head .c-path .req-sort');
    await timed('sort by duration', '.req-head .c-duration .req-sort');
    await timed('sort by duration desc', '.req-head .c-duration .req-sort');
    await timed('filter 5xx', '.req-class.rc-5');
    const rows = await page.locator('.req-scroller .req-row').count();
    assert.ok(rows > 0 && rows <= 200, `DOM rows: ${rows}`);
    const asks = host.runs.asked.filter((a) => a.includes('requests'));
    assert.ok(asks.length >= 100_000 / 5_000, `read page by page: ${asks.length} asks`);
    const fiveHundreds = host.runs.requests.filter((r) => r.status >= 500).length;
    assert.equal(await page.locator('.req-shown').textContent(), `${fiveHundreds.toLocaleString('en-US')} of 100,000 requests`);
    await page.evaluate(() => {
      const s = document.querySelector('.req-scroller')!;
      s.scrollTop = s.scrollHeight / 2;
    });
    await page.waitForFunction(() => Number(document.querySelector('.req-scroller .req-row')?.getBoundingClientRect().top) >= 0);
    assert.ok((await page.locator('.req-scroller .req-row').count()) <= 200);
    console.log(
      `      100 000 requests: ${Object.entries(timings)
        .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
        .join(', ')}; ${rows} DOM rows`,
    );
    await screenshot(page, 'requests-view-100k');
    assert.deepEqual(await pageProblems(opened), []);
  });
});
