/**
 * Scroll back (issue 11, acceptance 5): from the newest lines of a 300 000-line run, scrolling to
 * the top again and again loads every older line from history, a page at a time, and scrolling
 * down again comes back to the newest, with no line twice and none missing, for the live run (the
 * stream takes over again at the end) and for a past run opened read-only.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { LogLine } from '../../src/shared/protocol';
import { FakeHost } from './fakeHost';
import { assertContinuous, launchChromium, pageProblems, watchedPage, type OpenedPage } from './harness';

const TOTAL = 300_000;
const MAX_LINES = 20_000;

const text = (seq: number) => `line ${seq} ${seq % 7 === 0 ? 'GET /api/items 200' : 'worker tick'}`;

interface SeqWindow {
  first: number;
  last: number;
}

/** The store's window after the pager is idle: checked to be every seq first..last once, in order. */
async function windowNow(page: Page): Promise<SeqWindow> {
  await page.waitForFunction(() => !window.__previewHost!.historyBusy(), undefined, { polling: 20 });
  await page.evaluate(() => window.__previewHost!.settled());
  const seqs = await page.evaluate(() => window.__previewHost!.seqs());
  assert.ok(seqs.length > 0, 'the window is not empty');
  assertContinuous(seqs, seqs[0]!, seqs[seqs.length - 1]!);
  return { first: seqs[0]!, last: seqs[seqs.length - 1]! };
}

/** The seq of the top row in the viewport. */
function topRowSeq(page: Page): Promise<string> {
  return page.evaluate(() => {
    const scroller = document.querySelector('.scroller')!;
    const box = scroller.getBoundingClientRect();
    const rows = [...scroller.querySelectorAll<HTMLElement>('.row')]
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.bottom > box.top + 1)
      .sort((a, b) => a.r.top - b.r.top);
    return rows[0]?.el.querySelector('.msg')?.textContent ?? '';
  });
}

/** Scrolls to the top until line 1 is in the window; each window must adjoin or overlap the one before. */
async function scrollUpToFirstLine(page: Page, start: SeqWindow): Promise<number> {
  let current = start;
  let loads = 0;
  while (current.first > 1) {
    await page.evaluate(() => (document.querySelector('.scroller')!.scrollTop = 0));
    await page.waitForFunction((first) => window.__previewHost!.firstSeq() < first || window.__previewHost!.historyBusy(), current.first, {
      polling: 20,
    });
    const before = await topRowSeq(page);
    const next = await windowNow(page);
    assert.ok(next.first < current.first, `went back from ${current.first} (got ${next.first})`);
    assert.ok(next.last >= current.first - 1, `no hole between ${next.last} and ${current.first}`);
    // The line being read did not move when the page went in front of it.
    assert.equal(await topRowSeq(page), before, 'the top row stays in place');
    current = next;
    loads++;
  }
  return loads;
}

/** Scrolls to the bottom until the window ends at `lastSeq`, each window adjoining the one before. */
async function scrollDownTo(page: Page, start: SeqWindow, lastSeq: number): Promise<void> {
  let current = start;
  while (current.last < lastSeq) {
    await page.evaluate(() => {
      const s = document.querySelector('.scroller')!;
      s.scrollTop = s.scrollHeight;
    });
    await page.waitForFunction((last) => window.__previewHost!.keptLastSeq() > last || window.__previewHost!.historyBusy(), current.last, {
      polling: 20,
    });
    const next = await windowNow(page);
    assert.ok(next.last > current.last, `went forward from ${current.last}`);
    assert.ok(next.first <= current.last + 1, `no hole between ${current.last} and ${next.first}`);
    current = next;
  }
}

describe('scroll back through history (Chromium)', function () {
  this.timeout(600_000);
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

  it('a live run: 300 000 lines back to line 1 and forward to the stream again, no duplicate, no hole', async () => {
    host = new FakeHost({ runId: 7, maxLines: MAX_LINES });
    await host.start();
    host.setStatus({ state: 'ready' });
    for (let s = 1; s <= TOTAL; s += 50_000) host.emit(Array.from({ length: 50_000 }, (_, i) => ({ text: text(s + i) })));
    const context = await browser.newContext({ viewport: { width: 1000, height: 600 } });
    const { page, problems } = await watchedPage(context);
    opened = { context, page, problems };
    await page.goto(host.pageUrl);
    await page.waitForFunction((n) => window.__previewHost?.lastSeq() === n, TOTAL, { timeout: 180_000, polling: 100 });
    const start = await windowNow(page);
    assert.deepEqual(start, { first: TOTAL - MAX_LINES + 1, last: TOTAL }, 'the live window holds the newest maxLines');

    const loads = await scrollUpToFirstLine(page, start);
    assert.ok(loads >= (TOTAL - MAX_LINES) / 10_000, `${loads} pages`);
    assert.equal(await page.evaluate(() => window.__previewHost!.detached()), true, 'the newest lines left the window');
    assert.ok(
      host.historyRequests.every((r) => r.runId === 7 && (r.before !== null || r.after !== null)),
      'pages come from the run named by /api/previews',
    );

    // Lines written meanwhile are not lost: they come with the forward pages or the stream.
    host.emit(Array.from({ length: 10 }, (_, i) => ({ text: text(TOTAL + 1 + i) })));
    await scrollDownTo(page, await windowNow(page), TOTAL + 10);
    await page.waitForFunction(() => !window.__previewHost!.detached(), undefined, { polling: 20 });
    host.emit([{ text: text(TOTAL + 11) }]);
    await page.waitForFunction((n) => window.__previewHost!.keptLastSeq() === n, TOTAL + 11, { polling: 20 });
    const end = await windowNow(page);
    assert.equal(end.last, TOTAL + 11, 'live again');
    assert.deepEqual(await pageProblems(opened), []);
  });

  it('a past run opened read-only: from its newest line back to line 1 and forward again, no duplicate, no hole', async () => {
    host = new FakeHost({ showPastRun: 3, maxLines: MAX_LINES });
    const lines: LogLine[] = Array.from({ length: TOTAL }, (_, i) => ({
      seq: i + 1,
      ts: '2026-12-01T12:00:00.000Z',
      level: 'INFO',
      stream: 'stdout',
      text: text(i + 1),
    }));
    host.pastRuns.set(3, lines);
    await host.start();
    const context = await browser.newContext({ viewport: { width: 1000, height: 600 } });
    const { page, problems } = await watchedPage(context);
    opened = { context, page, problems };
    await page.goto(host.pageUrl);
    await page.waitForFunction((n) => window.__previewHost?.keptLastSeq() === n, TOTAL, { timeout: 30_000, polling: 50 });
    assert.equal(await page.textContent('.conn'), 'history · read-only');
    assert.equal(host.resumeRequests.length, 0, 'no stream for a past run');
    const start = await windowNow(page);
    assert.equal(start.last, TOTAL);

    await scrollUpToFirstLine(page, start);
    await scrollDownTo(page, await windowNow(page), TOTAL);
    assert.equal((await windowNow(page)).last, TOTAL);
    assert.deepEqual(await pageProblems(opened), []);
  });
});
