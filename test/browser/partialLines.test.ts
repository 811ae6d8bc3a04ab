/**
 * Unfinished lines (`event: partial`) in the terminal page: shown as the last row, replaced by a
 * newer one, gone once the line is finished, shown once again after a reconnect.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { FakeHost } from './fakeHost';
import { launchChromium, openTerminal, pageProblems, screenshot, waitForSeq, type OpenedPage } from './harness';

const PROMPT = 'Port 3000 is in use. Use another? (Y/n) ';

/** Every row in the DOM, top to bottom: partial or not, and its message text. */
async function rows(page: Page): Promise<{ partial: boolean; msg: string }[]> {
  await page.evaluate(() => window.__previewHost!.settled());
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.scroller .row')]
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((el) => ({ partial: el.classList.contains('partial'), msg: el.querySelector('.msg')?.textContent ?? '' })),
  );
}

const untilPartials = (page: Page, n: number) =>
  page.waitForFunction((k) => window.__previewHost!.partials().length === k, n, { timeout: 5000, polling: 20 });

describe('terminal page: unfinished lines (Chromium)', function () {
  this.timeout(30_000);
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

  for (const transport of ['fetch', 'eventsource'] as const) {
    it(`shows a partial as the last row, replaces it, and leaves one whole row once the line ends (${transport})`, async () => {
      host = new FakeHost({ transport });
      await host.start();
      host.emit([{ text: 'starting' }]);
      opened = await openTerminal(browser, host);
      const { page } = opened;
      await waitForSeq(page, 1);

      host.emitPartial({ text: 'Port 3000 is in use. ' });
      await page.waitForFunction(() => window.__previewHost!.partials()[0] === 'Port 3000 is in use. ');
      host.emitPartial({ text: PROMPT });
      await page.waitForFunction((p) => window.__previewHost!.partials()[0] === p, PROMPT);
      assert.deepEqual(await rows(page), [
        { partial: false, msg: 'starting' },
        { partial: true, msg: PROMPT },
      ]);
      await screenshot(page, `partial-line-${transport}`);

      host.emit([{ text: `${PROMPT}y` }]);
      await waitForSeq(page, 2);
      assert.deepEqual(await rows(page), [
        { partial: false, msg: 'starting' },
        { partial: false, msg: `${PROMPT}y` },
      ]);
      assert.deepEqual(await page.evaluate(() => window.__previewHost!.partials()), []);
      assert.deepEqual(await pageProblems(opened), []);
    });
  }

  it('keeps each stream’s partial, renders its text literally, and starts over after a reconnect', async () => {
    host = new FakeHost({ retryMs: 100 });
    await host.start();
    host.emit([{ text: 'line 1' }]);
    opened = await openTerminal(browser, host);
    const { page } = opened;
    await waitForSeq(page, 1);
    host.emitPartial({ text: '<img src=x onerror=alert(1)> Continue? ', stream: 'stderr', level: 'WARN' });
    host.emitPartial({ text: '\x1b[32mdownloading\x1b[0m 40%', stream: 'stdout' });
    await untilPartials(page, 2);
    assert.deepEqual(
      (await rows(page)).map((r) => [r.partial, r.msg]),
      [
        [false, 'line 1'],
        [true, '<img src=x onerror=alert(1)> Continue? '],
        [true, 'downloading 40%'],
      ],
    );
    assert.equal(await page.locator('.row.partial img').count(), 0, 'text, never HTML');

    // A reconnect starts over from what the host sends: stale partials go, current ones come back once.
    host.dropConnections();
    await page.waitForFunction(() => window.__previewHost!.connection() === 'reconnecting', undefined, { timeout: 5000 });
    await page.waitForFunction(() => window.__previewHost!.connection() === 'open', undefined, { timeout: 5000 });
    await untilPartials(page, 2);
    assert.equal((await rows(page)).filter((r) => r.partial).length, 2);
    host.clearPartials();
    host.emitPartial({ text: 'Continue? ', stream: 'stderr' });
    host.dropConnections();
    await page.waitForFunction(() => window.__previewHost!.connection() === 'reconnecting', undefined, { timeout: 5000 });
    await page.waitForFunction(() => window.__previewHost!.connection() === 'open', undefined, { timeout: 5000 });
    await untilPartials(page, 1);
    assert.deepEqual(await page.evaluate(() => window.__previewHost!.partials()), ['Continue? ']);

    host.emit([{ text: 'Continue? y', stream: 'stderr' }]);
    await waitForSeq(page, 2);
    assert.deepEqual(
      (await rows(page)).map((r) => [r.partial, r.msg]),
      [
        [false, 'line 1'],
        [false, 'Continue? y'],
      ],
    );
    assert.deepEqual(await pageProblems(opened), []);
  });
});
