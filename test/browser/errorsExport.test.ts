/**
 * The error summary in the header and Export, in Chromium against the fake host: "2 errors · 1 new",
 * the list jumps to an error's first line and follows new ERROR entries; Export downloads exactly
 * the current filter or the selection's range in both formats, and says clearly when it cannot.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { LogLine } from '../../src/shared/protocol';
import { stripAnsi } from '../../src/shared/ansi';
import { ACCESS_LOG, RUN_ERRORS } from './accessLines';
import { FakeHost } from './fakeHost';
import { launchChromium, openTerminal, pageProblems, screenshot, waitForSeq, type OpenedPage } from './harness';

describe('terminal page: error summary and Export (Chromium)', function () {
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

  async function open(): Promise<Page> {
    host = new FakeHost();
    await host.start();
    host.setStatus({ state: 'ready' });
    host.emit(ACCESS_LOG);
    host.runs.errors = RUN_ERRORS;
    opened = await openTerminal(browser, host);
    await waitForSeq(opened.page, ACCESS_LOG.length);
    return opened.page;
  }

  const lastExport = () => host.runs.asked.filter((a) => a.startsWith('export?')).at(-1);
  const lines = (): LogLine[] => host.events.flatMap((e) => (e.kind === 'log' ? [e.line] : []));
  const selectedTexts = (page: Page) => page.locator('.scroller .row.selected .msg').allTextContents();
  const rowOf = (page: Page, seq: number) => page.locator('.scroller .row .msg', { hasText: stripAnsi(ACCESS_LOG[seq - 1]!.text) }).first();

  it('says "2 errors · 1 new", lists them (new first) and jumps to an error’s first line', async () => {
    const page = await open();
    const summary = page.locator('.errors-summary');
    await page.waitForFunction(() => document.querySelector('.errors-summary')?.textContent === '2 errors · 1 new');
    assert.ok(await summary.evaluate((el) => el.classList.contains('has-new')));
    await summary.click();
    const items = page.locator('.errors-pop .error-item');
    assert.deepEqual(await items.locator('.error-title').allTextContents(), ["KeyError: 'user_id'", 'ZeroDivisionError: division by zero']);
    assert.deepEqual(await items.locator('.error-mark').allTextContents(), ['new', 'seen']);
    assert.deepEqual(await items.locator('.error-count').allTextContents(), ['×1', '×2']);
    await screenshot(page, 'error-summary');

    await items.nth(1).click();
    await page.evaluate(() => window.__previewHost!.settled());
    assert.ok(await page.locator('.errors-pop').isHidden());
    assert.deepEqual(await selectedTexts(page), ['ERROR:    Exception in ASGI application'], 'line 13, the entry’s first line');
    assert.deepEqual(await pageProblems(opened!), []);
  });

  it('follows ERROR entries as they arrive, and says why a line it cannot show is missing', async () => {
    const page = await open();
    await page.waitForFunction(() => document.querySelector('.errors-summary')?.textContent === '2 errors · 1 new');
    const next = host.lastSeq + 1;
    host.runs.errors = [
      ...RUN_ERRORS,
      { fingerprint: 'te', title: 'TypeError: bad operand', count: 1, firstSeq: next, lastSeq: next, new: true },
    ];
    host.emit([{ text: 'TypeError: bad operand', level: 'ERROR' }]);
    await page.waitForFunction(() => document.querySelector('.errors-summary')?.textContent === '3 errors · 2 new', undefined, {
      timeout: 10_000,
    });

    // An error whose first line left the view (cleared here) is named, not silently skipped.
    await page.click('button.tool[title^="Clear the view"]');
    await page.click('.errors-summary');
    await page.locator('.errors-pop .error-item', { hasText: 'ZeroDivisionError' }).click();
    await page.waitForFunction(() => document.querySelector('.flash')?.textContent?.includes('Line 13 is older than the lines in view'));
  });

  it('exports the current filter (levels and search) as text and the selection’s range as JSONL, as downloads', async () => {
    const page = await open();
    await page.click('button.level.lv-INFO'); // INFO hidden: ERROR, WARN, DEBUG shown
    await page.keyboard.press('Control+f');
    await page.keyboard.type('GET');
    await page.click('.toolbar button:has-text("Export")');
    assert.equal(
      await page.locator('.export-scope').textContent(),
      'Exports the lines of this run at levels ERROR, WARN, DEBUG containing “get”.',
    );
    const [textDownload] = await Promise.all([page.waitForEvent('download'), page.click('.export-format[data-format="text"]')]);
    assert.match(textDownload.suggestedFilename(), /^sample-app-\d{8}-\d{6}-filtered\.log$/);
    const text = await readDownload(textDownload);
    const wanted = lines().filter((l) => l.level !== 'INFO' && stripAnsi(l.text).toLowerCase().includes('get'));
    assert.equal(wanted.length, 3);
    assert.equal(text, wanted.map((l) => `${l.ts} ${l.level} ${stripAnsi(l.text)}\n`).join(''));
    assert.equal(lastExport(), 'export?format=text&level=ERROR%2CWARN%2CDEBUG&q=get');
    await page.locator('.export-status', { hasText: 'Downloaded' }).waitFor();

    // A selection (click line 3, Ctrl+click line 9) exports its seq range, of the levels shown.
    await page.keyboard.press('Escape'); // closes the export panel
    await page.click('.searchbar button[aria-label="Close search"]');
    await rowOf(page, 3).click();
    await rowOf(page, 9).click({ modifiers: ['Control'] });
    await page.click('.toolbar button:has-text("Export")');
    assert.equal(
      await page.locator('.export-scope').textContent(),
      'Exports lines 3–9 (the selection’s range) at levels ERROR, WARN, DEBUG.',
    );
    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.click('.export-format[data-format="jsonl"]')]);
    assert.match(jsonDownload.suggestedFilename(), /-lines-3-9\.jsonl$/);
    const jsonl = (await readDownload(jsonDownload))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as LogLine);
    assert.deepEqual(
      jsonl.map((l) => l.seq),
      [3, 4, 8, 9],
    );
    assert.equal(lastExport(), 'export?format=jsonl&level=ERROR%2CWARN%2CDEBUG&from=3&to=9');
    assert.deepEqual(await pageProblems(opened!), []);
  });

  it('says clearly why an export failed, and exports the whole run with no filter', async () => {
    const page = await open();
    await page.click('.toolbar button:has-text("Export")');
    assert.equal(await page.locator('.export-scope').textContent(), 'Exports every line of this run.');
    host.runs.history = false;
    await page.click('.export-format[data-format="text"]');
    await page.locator('.export-status.is-error').waitFor();
    assert.equal(
      await page.locator('.export-status').textContent(),
      'Export failed: Export needs the run history, and this host keeps none for this run',
    );
    host.runs.history = true;
    await Promise.all([page.waitForEvent('download'), page.click('.export-format[data-format="text"]')]);
    host.runs.runId = 99; // the run went away (retention): the host's 404 text is shown
    await page.click('.export-format[data-format="jsonl"]');
    await page.locator('.export-status', { hasText: 'HTTP 404' }).waitFor();
    assert.equal(await page.locator('.export-status').textContent(), 'Export failed: the host answered HTTP 404: no such run: 7');
    await Promise.all([page.waitForEvent('download'), page.click('.export-format[data-format="jsonl"]')]);
    assert.equal(lastExport(), 'export?format=jsonl', 'the next export finds the run again');
    for (const level of ['ERROR', 'WARN', 'INFO', 'DEBUG']) await page.click(`button.level.lv-${level}`);
    await page.click('.toolbar button:has-text("Export")');
    assert.equal(await page.locator('.export-scope').textContent(), 'Every level is hidden: show a level to export its lines.');
    assert.ok(await page.locator('.export-format[data-format="text"]').isDisabled());
  });
});

async function readDownload(download: { createReadStream(): Promise<NodeJS.ReadableStream> }): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
