/**
 * Entries and structured lines in the page (issue 11): a real FastAPI failure is one entry with
 * one level mark, collapsed to its head, the user's frame and the exception, expandable; the ERROR
 * count counts entries; JSON and logfmt lines show their fields as chips. Screenshots go to
 * test-output/screenshots/ (entries-collapsed, entries-expanded, structured-chips).
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { LevelTagger } from '../../src/host/levels';
import type { LogLevel } from '../../src/shared/protocol';
import { FASTAPI_TWO_FAILURES } from './fastapiCapture';
import { FakeHost } from './fakeHost';
import { launchChromium, openTerminal, pageProblems, screenshot, waitForSeq, type OpenedPage } from './harness';

/** The captured lines with the levels the host's tagger gives and entrySeq as the host sets it. */
function fastApiLines(firstSeq: number): { text: string; level: LogLevel; stream: 'stderr'; entrySeq?: number }[] {
  const tagger = new LevelTagger();
  let head: number | undefined;
  return FASTAPI_TWO_FAILURES.map((text, i) => {
    const seq = firstSeq + i;
    const level = tagger.tag(text);
    // The logger line announces the traceback; every line up to the exception continues it.
    let entrySeq: number | undefined;
    if (text.startsWith('ERROR:    Exception in ASGI application')) head = seq;
    else if (head !== undefined) {
      entrySeq = head;
      if (/^\w+Error: /.test(text)) head = undefined;
    }
    return { text, level, stream: 'stderr' as const, ...(entrySeq !== undefined && { entrySeq }) };
  });
}

/** Rows in the viewport, top to bottom. */
async function visibleRows(page: Page): Promise<{ cls: string; msg: string; badge: string }[]> {
  return page.evaluate(() => {
    const scroller = document.querySelector('.scroller')!;
    const box = scroller.getBoundingClientRect();
    return [...scroller.querySelectorAll<HTMLElement>('.row')]
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.bottom > box.top + 1 && r.top < box.bottom - 1)
      .sort((a, b) => a.r.top - b.r.top)
      .map(({ el }) => ({
        cls: el.className,
        msg: el.querySelector('.msg')?.textContent ?? '',
        badge: el.querySelector('.badge')?.textContent ?? '',
      }));
  });
}

describe('entries and structured lines (Chromium)', function () {
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

  it("two identical FastAPI failures are two entries and ERROR 2 (uvicorn's 500 access lines count as requests), and an entry expands (screenshots)", async () => {
    host = new FakeHost();
    await host.start();
    host.setStatus({ state: 'ready' });
    const lines = fastApiLines(1);
    host.emit(lines);
    opened = await openTerminal(browser, host, { viewport: { width: 1200, height: 700 } });
    const { page } = opened;
    await waitForSeq(page, lines.length);

    const counts = await page.evaluate(() => window.__previewHost!.levelCounts());
    // The two 500 access lines are ERROR lines too (5xx), but they are the requests' side of the
    // same failures: the Requests summary counts them, the ERROR count counts the two tracebacks.
    const accessErrors = lines.filter((l) => l.level === 'ERROR' && l.text.includes('" 500 ')).length;
    assert.equal(accessErrors, 2, 'the capture has the two 500 access lines');
    assert.equal(counts.ERROR, 2, JSON.stringify(counts));
    const errorButton = await page.textContent('button.level.lv-ERROR');
    assert.equal(errorButton, 'ERROR 2');

    const heads = await page.$$eval('.row.entry-head', (els) => els.map((el) => el.textContent ?? ''));
    assert.equal(heads.length, 2, 'two entries');
    for (const h of heads) assert.match(h, /Exception in ASGI application.*more lines/);
    const rows = await visibleRows(page);
    const userFrames = rows.filter((r) => r.cls.includes('user-frame')).map((r) => r.msg.trim());
    assert.deepEqual(userFrames, [
      'File "/srv/app/app/main.py", line 30, in boom',
      'raise RuntimeError("fixture boom: the handler failed on purpose")',
      'File "/srv/app/app/main.py", line 30, in boom',
      'raise RuntimeError("fixture boom: the handler failed on purpose")',
    ]);
    const exceptions = rows.filter((r) => r.msg.startsWith('RuntimeError: fixture boom'));
    assert.equal(exceptions.length, 2, 'each collapsed entry ends with its exception');
    assert.ok(
      exceptions.every((r) => r.cls.includes('entry-line') && r.cls.includes('lv-ERROR')),
      'the exception carries the entry bar',
    );
    assert.equal(rows.filter((r) => r.msg.includes('site-packages') || r.msg.includes('dist-packages')).length, 0, 'library frames hidden');
    assert.equal(rows.length, lines.length - 2 * (lines.filter((l) => l.entrySeq !== undefined).length / 2 - 3), 'collapsed rows only');
    // `INFO:     …` lines do not repeat INFO in a badge: a dot is enough.
    const started = rows.find((r) => r.msg.startsWith('INFO:     Started server process'))!;
    assert.equal(started.badge, '');
    assert.match(started.cls, /lv-INFO/);
    await screenshot(page, 'entries-collapsed');

    // Expand the first entry: every line, library frames dimmed.
    await page.click('.row.entry-head .entry-toggle');
    await page.evaluate(() => window.__previewHost!.settled());
    const expanded = await page.$$eval('.row', (els) =>
      els.map((el) => ({ cls: el.className, msg: el.querySelector('.msg')?.textContent ?? '' })),
    );
    const libRows = expanded.filter((r) => r.cls.includes(' lib'));
    assert.ok(libRows.length >= 30, `library frames dimmed: ${libRows.length}`);
    assert.ok(
      libRows.every((r) => !r.msg.includes('/srv/app/app/main.py')),
      'the user frame is not dimmed',
    );
    assert.ok(
      expanded.some((r) => r.msg.includes('h11_impl.py')),
      'hidden frames shown',
    );
    await screenshot(page, 'entries-expanded');

    // Keyboard: select the head, ← collapses it again.
    await page.click('.row.entry-head .msg');
    await page.keyboard.press('ArrowLeft');
    await page.evaluate(() => window.__previewHost!.settled());
    assert.equal(await page.$$eval('.row.entry-head.collapsed', (els) => els.length), 2);

    // Next error goes entry by entry: head of the first, then the second traceback's head.
    await page.keyboard.press('Escape');
    await page.click('button:has-text("First error")');
    await page.keyboard.press('F8');
    const selected = await page.$$eval('.row.selected .msg', (els) => els.map((el) => el.textContent));
    assert.equal(selected.length, 1);

    // Search inside a hidden frame shows the entry's lines.
    await page.keyboard.press('Control+f');
    await page.keyboard.type('h11_impl.py');
    await page.evaluate(() => window.__previewHost!.settled());
    assert.equal(await page.evaluate(() => window.__previewHost!.matchCount()), 2);
    assert.ok(((await page.textContent('.scroller')) ?? '').includes('h11_impl.py'));
    assert.deepEqual(await pageProblems(opened), []);
  });

  it('shows JSON and logfmt lines as level, time, message and field chips, the raw line one click away (screenshot)', async () => {
    host = new FakeHost();
    await host.start();
    const json = [
      {
        level: 'INFO' as const,
        text: '{"level":30,"time":1764590400123,"pid":4242,"hostname":"web-1","msg":"request completed","req":{"method":"GET","url":"/api/items"},"responseTime":12}',
      },
      {
        level: 'ERROR' as const,
        text: '{"level":"error","ts":"2026-12-01T12:00:01.5Z","logger":"db","event":"connection refused","retries":3,"exc_info":"<script>alert(1)</script>"}',
      },
      { level: 'WARN' as const, text: 'time=2026-12-01T12:00:02.000Z level=WARN msg="slow query" duration=1.2s table=orders' },
      { level: 'INFO' as const, text: 'plain line after them' },
    ];
    host.emit(json);
    opened = await openTerminal(browser, host, { viewport: { width: 1200, height: 300 } });
    const { page } = opened;
    await waitForSeq(page, json.length);
    const chips = await page.$$eval('.row', (els) =>
      els.map((el) => ({
        msg: el.querySelector('.sl-msg')?.textContent ?? null,
        time: el.querySelector('.sl-time')?.textContent ?? null,
        chips: [...el.querySelectorAll('.chip')].map((c) => c.textContent),
      })),
    );
    chips.sort((a, b) => String(a.msg).localeCompare(String(b.msg)));
    const byMsg = Object.fromEntries(chips.filter((c) => c.msg !== null).map((c) => [c.msg, c]));
    assert.deepEqual(byMsg['request completed']!.chips, [
      'pid=4242',
      'hostname=web-1',
      'req={"method":"GET","url":"/api/items"}',
      'responseTime=12',
    ]);
    assert.equal(byMsg['request completed']!.time, '12:00:00.123');
    assert.deepEqual(byMsg['connection refused']!.chips, ['logger=db', 'retries=3', 'exc_info=<script>alert(1)</script>']);
    assert.deepEqual(byMsg['slow query']!.chips, ['duration=1.2s', 'table=orders']);
    assert.equal(
      await page.$$eval('script', (els) => els.filter((s) => s.textContent?.includes('alert(1)')).length),
      0,
      'text, not markup',
    );
    await screenshot(page, 'structured-chips');

    // `{}` shows the raw line; again, the fields.
    await page.click('.row:has(.sl-msg:text("slow query")) .raw-toggle');
    await page.evaluate(() => window.__previewHost!.settled());
    assert.ok(((await page.textContent('.scroller')) ?? '').includes('level=WARN msg="slow query" duration=1.2s'));
    await page.click('.row:has-text("slow query") .raw-toggle');
    await page.evaluate(() => window.__previewHost!.settled());
    assert.equal(await page.$$eval('.sl-msg', (els) => els.filter((e) => e.textContent === 'slow query').length), 1);
    assert.deepEqual(await pageProblems(opened), []);
  });
});
