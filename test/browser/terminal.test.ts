/**
 * The terminal page in headless Chromium against a fake host that speaks the stream contract.
 * Covers issue 4's acceptance: colours, follow/pause, filter/search, XSS, reconnect, gap, VS Code
 * messages and bounded DOM. Screenshots go to test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { LogLevel } from '../../src/shared/protocol';
import { FakeHost } from './fakeHost';
import { assertContinuous, launchChromium, openTerminal, pageProblems, screenshot, waitForSeq, type OpenedPage } from './harness';
import { SAMPLE_LINES } from './sampleLines';

/** Rows inside the viewport, top to bottom: their classes and text. */
async function visibleRows(page: Page): Promise<{ cls: string; text: string; msg: string }[]> {
  return page.evaluate(() => {
    const scroller = document.querySelector('.scroller')!;
    const box = scroller.getBoundingClientRect();
    return [...scroller.querySelectorAll<HTMLElement>('.row')]
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.bottom > box.top + 1 && r.top < box.bottom - 1)
      .sort((a, b) => a.r.top - b.r.top)
      .map(({ el }) => ({
        cls: el.className,
        text: el.textContent ?? '',
        msg: el.querySelector('.msg')?.textContent ?? el.textContent ?? '',
      }));
  });
}

const hooks = <T>(page: Page, fn: (h: NonNullable<Window['__previewHost']>) => T) =>
  page.evaluate(`(${fn.toString()})(window.__previewHost)`) as Promise<Awaited<T>>;

/** Emits `perTick` numbered lines every `ms` until stopped. */
function flow(host: FakeHost, perTick: number, ms: number): () => void {
  const timer = setInterval(() => {
    const first = host.lastSeq + 1;
    host.emit(Array.from({ length: perTick }, (_, i) => ({ text: `flowing line ${first + i}` })));
  }, ms);
  return () => clearInterval(timer);
}

describe('terminal page (Chromium)', function () {
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

  it('shows lines with level badges and ANSI colours (dark and light screenshots)', async () => {
    host = new FakeHost();
    await host.start();
    host.setStatus({ state: 'ready' });
    host.emit(SAMPLE_LINES);
    opened = await openTerminal(browser, host);
    const { page } = opened;
    await waitForSeq(page, SAMPLE_LINES.length);

    const rows = await visibleRows(page);
    assert.equal(rows.length, SAMPLE_LINES.length);
    rows.forEach((row, i) => assert.match(row.cls, new RegExp(`lv-${SAMPLE_LINES[i]!.level}`), `row ${i} level`));
    assert.equal(rows[0]!.msg, "INFO:     Will watch for changes in these directories: ['/srv/sample']");

    const colours = await page.evaluate(() => {
      const find = (text: string) => [...document.querySelectorAll<HTMLElement>('.msg span, .msg a')].find((s) => s.textContent === text);
      const style = (text: string) => {
        const el = find(text);
        return el
          ? { color: getComputedStyle(el).color, bg: getComputedStyle(el).backgroundColor, weight: getComputedStyle(el).fontWeight }
          : null;
      };
      return {
        ok: style('200 OK'),
        notFound: style('404 Not Found'),
        orange: style('256-colour orange'),
        truecolor: style('truecolor blue'),
        bold: style('GET /api/items HTTP/1.1'),
        errorBadge: getComputedStyle(document.querySelector('.row.lv-ERROR .badge')!).color,
        warnBadge: getComputedStyle(document.querySelector('.row.lv-WARN .badge')!).color,
        header: document.querySelector('.header')!.textContent,
        url: document.querySelector<HTMLAnchorElement>('a.url')?.href,
        urlTarget: document.querySelector<HTMLAnchorElement>('a.url')?.target,
        urlRel: document.querySelector<HTMLAnchorElement>('a.url')?.rel,
        locations: document.querySelectorAll('a.location').length,
      };
    });
    assert.equal(colours.ok?.color, 'rgb(13, 188, 121)'); // dark fallback green
    assert.equal(colours.notFound?.color, 'rgb(205, 49, 49)'); // red
    assert.equal(colours.orange?.color, 'rgb(255, 135, 0)'); // palette 208
    assert.equal(colours.truecolor?.color, 'rgb(120, 180, 255)');
    assert.equal(colours.bold?.weight, '700');
    assert.equal(colours.errorBadge, 'rgb(241, 76, 76)');
    assert.equal(colours.warnBadge, 'rgb(204, 167, 0)');
    assert.match(colours.header ?? '', /uvicorn app:app --port 8000.*Ready.*http:\/\/127\.0\.0\.1:8000\/.*up 1m \d\ds.*22 lines.*Open app/);
    assert.equal(colours.url, 'http://127.0.0.1:8000/');
    assert.equal(colours.urlTarget, '_blank');
    assert.equal(colours.urlRel, 'noopener noreferrer');
    assert.equal(colours.locations, 0, 'no location links in a browser');
    await screenshot(page, 'levels-ansi-dark');

    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => window.__previewHost!.settled());
    const lightOk = await page.evaluate(() => {
      const el = [...document.querySelectorAll<HTMLElement>('.msg span')].find((s) => s.textContent === '200 OK')!;
      return getComputedStyle(el).color;
    });
    assert.equal(lightOk, 'rgb(0, 188, 0)'); // light fallback green
    await screenshot(page, 'levels-ansi-light');
    assert.deepEqual(await pageProblems(opened), []);
  });

  it('pauses follow when scrolled up, counts new lines, resumes with End or the button, loses nothing', async () => {
    host = new FakeHost();
    await host.start();
    host.emit(Array.from({ length: 300 }, (_, i) => ({ text: `early line ${i + 1}` })));
    opened = await openTerminal(browser, host);
    const { page } = opened;
    await waitForSeq(page, 300);
    const stop = flow(host, 4, 20);
    try {
      await page.waitForFunction(() => window.__previewHost!.lastSeq() > 400);
      assert.equal(await hooks(page, (h) => h.following()), true);
      const last = await visibleRows(page);
      assert.match(last[last.length - 1]!.msg, /line \d+/);

      await page.mouse.move(500, 300);
      await page.mouse.wheel(0, -800);
      await page.waitForFunction(() => window.__previewHost!.following() === false);
      const topBefore = (await visibleRows(page))[0]!.msg;
      await page.waitForFunction(() => window.__previewHost!.newLines() > 10);
      const n1 = await hooks(page, (h) => h.newLines());
      await page.waitForFunction((n) => window.__previewHost!.newLines() > n + 10, n1);
      const button = page.locator('.new-lines');
      assert.match((await button.textContent()) ?? '', /^↓ [\d,]+ new lines$/);
      assert.equal(await button.isVisible(), true);
      assert.equal((await visibleRows(page))[0]!.msg, topBefore, 'the paused view stays put');
      await screenshot(page, 'paused-new-lines');

      await page.keyboard.press('End');
      await page.waitForFunction(() => window.__previewHost!.following() === true);
      assert.equal(await button.isVisible(), false);

      await page.mouse.wheel(0, -500);
      await page.waitForFunction(() => window.__previewHost!.newLines() > 5);
      await button.click();
      await page.waitForFunction(() => window.__previewHost!.following() === true);
    } finally {
      stop();
    }
    const final = host.lastSeq;
    await waitForSeq(page, final);
    const rows = await visibleRows(page);
    assert.equal(rows[rows.length - 1]!.msg, `flowing line ${final}`, 'following shows the last line');
    assertContinuous(await hooks(page, (h) => h.seqs()), 1, final);
    assert.deepEqual(await pageProblems(opened), []);
  });

  it('filters by level and searches with next/previous and a match count', async () => {
    const levelOf = (i: number): LogLevel => (i % 10 === 0 ? 'ERROR' : i % 5 === 0 ? 'WARN' : i % 2 === 0 ? 'DEBUG' : 'INFO');
    const N = 20_000;
    const lines = Array.from({ length: N }, (_, k) => {
      const i = k + 1;
      return { level: levelOf(i), text: `line ${i} ${i % 7 === 0 ? 'has the Needle here' : 'plain hay'}` };
    });
    host = new FakeHost();
    await host.start();
    host.emit(lines);
    opened = await openTerminal(browser, host);
    const { page } = opened;
    await waitForSeq(page, N);
    assert.equal(await hooks(page, (h) => h.shownRows()), N);
    assert.equal(await page.locator('button.level.lv-DEBUG').textContent(), 'DEBUG 8,000');

    const toggleMs = await page.evaluate(async () => {
      const t0 = performance.now();
      document.querySelector<HTMLButtonElement>('button.level.lv-DEBUG')!.click();
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t0;
    });
    const shown = lines.filter((l) => l.level !== 'DEBUG');
    assert.equal(await hooks(page, (h) => h.shownRows()), shown.length);
    assert.equal(await page.locator('button.level.lv-DEBUG').getAttribute('aria-pressed'), 'false');
    for (const row of await visibleRows(page)) assert.doesNotMatch(row.cls, /lv-DEBUG/);

    await page.keyboard.press('Control+f');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'search-input');
    const t0 = Date.now();
    await page.keyboard.type('needle');
    const typedMs = Date.now() - t0;
    const expected = shown.filter((l) => l.text.includes('Needle')).length;
    assert.equal(await hooks(page, (h) => h.matchCount()), expected);
    const count = page.locator('.search-count');
    const k = Number(/^([\d,]+) of/.exec((await count.textContent()) ?? '')![1]!.replace(/,/g, ''));
    assert.equal(await count.textContent(), `${k.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')}`);
    assert.equal(await hooks(page, (h) => h.following()), false, 'a search pauses follow at the match');

    await page.keyboard.press('Enter');
    assert.equal(await count.textContent(), `${(k + 1).toLocaleString('en-US')} of ${expected.toLocaleString('en-US')}`);
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.press('Shift+Enter');
    assert.equal(await count.textContent(), `${(k - 1).toLocaleString('en-US')} of ${expected.toLocaleString('en-US')}`);
    const current = (await visibleRows(page)).filter((r) => r.cls.includes('current-match'));
    assert.equal(current.length, 1);
    assert.match(current[0]!.msg, /Needle/);
    const marks = await page.evaluate(() => [...document.querySelectorAll('.row.current-match .match')].map((m) => m.textContent));
    assert.deepEqual(marks, ['Needle']);
    await screenshot(page, 'filter-search');

    // No match, then Esc closes and clears.
    await page.fill('.search-input', 'no such text');
    assert.equal(await count.textContent(), 'No results');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('.searchbar').isVisible(), false);
    assert.equal(await hooks(page, (h) => h.matchCount()), 0);
    assert.ok(toggleMs < 100, `filter took ${toggleMs.toFixed(1)} ms`);
    assert.ok(typedMs < 3000, `typing a 6-letter search took ${typedMs} ms`);
    assert.deepEqual(await pageProblems(opened), []);
  });

  it('renders hostile lines literally and runs nothing', async () => {
    const evil = [
      '<img src=x onerror="window.__xss=1">',
      '</script><script>window.__xss=2</script>',
      '\x1b[31m<svg onload="window.__xss=3"></svg>\x1b[0m',
      '"><iframe src="javascript:window.top.__xss=4"></iframe>',
      'http://example.com/"><img src=x onerror=window.__xss=5>',
      'javascript:window.__xss=6',
      '<a href="javascript:window.__xss=7">click</a> &amp; &lt;b&gt;',
      '\x1b]8;;javascript:window.__xss=8\x07osc link\x1b]8;;\x07',
    ];
    host = new FakeHost({ title: '</script><script>window.__xss=9</script>' });
    await host.start();
    host.emit(evil.map((text) => ({ text, level: 'ERROR' as const })));
    opened = await openTerminal(browser, host);
    const { page } = opened;
    await waitForSeq(page, evil.length);
    await page.waitForTimeout(200);

    const result = await page.evaluate(() => ({
      xss: (window as unknown as { __xss?: number }).__xss,
      injected: document.querySelectorAll('.scroller img, .scroller svg, .scroller iframe, .scroller script').length,
      hrefs: [...document.querySelectorAll<HTMLAnchorElement>('.scroller a')].map((a) => a.href),
      title: document.title,
    }));
    assert.equal(result.xss, undefined, 'no script ran');
    assert.equal(result.injected, 0);
    assert.deepEqual(result.hrefs, ['http://example.com/'], 'only the http URL became a link');
    const rows = await visibleRows(page);
    assert.deepEqual(
      rows.map((r) => r.msg),
      [evil[0], evil[1], '<svg onload="window.__xss=3"></svg>', evil[3], evil[4], evil[5], evil[6], 'osc link'],
    );
    assert.equal(await page.locator('.title').textContent(), 'uvicorn app:app --port 8000');
    await screenshot(page, 'xss-literal');
    assert.deepEqual(await pageProblems(opened), []);
  });

  for (const transport of ['fetch', 'eventsource'] as const) {
    it(`shows reconnecting when the host restarts, resumes with Last-Event-ID, no line lost or doubled (${transport})`, async () => {
      host = new FakeHost({ retryMs: 200, transport });
      await host.start();
      host.emit(Array.from({ length: 50 }, (_, i) => ({ text: `before ${i + 1}` })));
      opened = await openTerminal(browser, host);
      const { page } = opened;
      const stop = flow(host, 3, 15);
      try {
        await page.waitForFunction(() => window.__previewHost!.lastSeq() > 150);
        // 1. The host dies and comes back on the same port.
        const restarting = host.restart(1200);
        await page.waitForFunction(() => window.__previewHost!.connection() === 'reconnecting', undefined, { timeout: 5000 });
        assert.equal(await page.locator('.conn').textContent(), 'reconnecting…');
        await screenshot(page, 'reconnecting');
        await restarting;
        await page.waitForFunction(() => window.__previewHost!.connection() === 'open', undefined, { timeout: 10_000 });
        const resumedAt = host.lastSeq;
        await page.waitForFunction((s) => window.__previewHost!.lastSeq() > s + 30, resumedAt);

        // 2. The socket drops while the server stays up.
        host.dropConnections();
        await page.waitForFunction((s) => window.__previewHost!.lastSeq() > s + 60, resumedAt, { timeout: 10_000 });
      } finally {
        stop();
      }
      await waitForSeq(page, host.lastSeq);
      assertContinuous(await hooks(page, (h) => h.seqs()), 1, host.lastSeq);
      const resumes = host.resumeRequests.filter((r) => Number(r.lastEventId) > 0);
      assert.ok(resumes.length >= 1, `EventSource resent Last-Event-ID: ${JSON.stringify(host.resumeRequests)}`);
      assert.equal(await page.locator('.conn').textContent(), 'live');
      assert.deepEqual(await pageProblems(opened), []);
    });
  }

  it('reads a backlog in 1 MiB pieces, announcing and fetching for a status only when it changed', async () => {
    host = new FakeHost();
    await host.start();
    host.setStatus({ state: 'ready' });
    // About 3 MB of frames: three pieces, each starting with the same status.
    host.emit(Array.from({ length: 20_000 }, (_, i) => ({ text: `backlog line ${i + 1} ${'x'.repeat(80)}` })));
    opened = await openTerminal(browser, host);
    const { page } = opened;
    await waitForSeq(page, 20_000);
    assertContinuous(await hooks(page, (h) => h.seqs()), 1, 20_000, []);
    const afters = host.resumeRequests.map((r) => Number(r.after ?? 0));
    assert.ok(afters.length >= 3, `${afters.length} responses`);
    assert.ok(
      afters.every((a, i) => i === 0 || a > afters[i - 1]!),
      `each resumes further on: ${afters.join(', ')}`,
    );
    assert.equal(host.previewListRequests, 2, 'the details fetched at start and for the one status, not per piece');
    assert.equal(await page.locator('.sr-only[role=status]').textContent(), 'Ready');
    assert.deepEqual(await pageProblems(opened), []);
  });

  it('shows a gap as one visible row with its count', async () => {
    host = new FakeHost();
    await host.start();
    host.emit(Array.from({ length: 10 }, (_, i) => ({ text: `first ${i + 1}` })));
    host.emitGap(1234);
    host.emit(Array.from({ length: 10 }, (_, i) => ({ text: `after ${i + 1}` })));
    opened = await openTerminal(browser, host);
    const { page } = opened;
    await waitForSeq(page, 1254);
    const rows = await visibleRows(page);
    assert.equal(rows.length, 21);
    assert.match(rows[10]!.cls, /\bgap\b/);
    assert.equal(rows[10]!.msg, '⋯ 1,234 lines not available (11–1,244)');
    assert.deepEqual(await hooks(page, (h) => h.gaps()), [{ kind: 'gap', from: 11, to: 1244, count: 1234 }]);
    assertContinuous(await hooks(page, (h) => h.seqs()), 1, 1254, [{ from: 11, to: 1244 }]);
    assert.equal(await page.locator('.row.gap').isVisible(), true);
    await screenshot(page, 'gap-row');
  });

  it('in VS Code posts ready, openLocation and openExternal, and obeys clear', async () => {
    host = new FakeHost({ mode: 'vscode' });
    await host.start();
    host.emit([
      { text: '  File "/srv/sample/app/main.py", line 42, in read_item', level: 'ERROR' },
      { text: '    at renderList (src/list.ts:17:23)', level: 'ERROR' },
      { text: 'docs at https://example.com/guide.', level: 'INFO' },
    ]);
    opened = await openTerminal(browser, host, {
      initScript: `window.__posted = []; window.acquireVsCodeApi = () => ({
        postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });`,
    });
    const { page } = opened;
    await waitForSeq(page, 3);
    await page.locator('a.location').first().click();
    await page.locator('a.location').nth(1).click();
    await page.locator('a.url').click();
    const posted = await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
    assert.deepEqual(posted, [
      { method: 'ready', params: {} },
      { method: 'openLocation', params: { file: '/srv/sample/app/main.py', line: 42 } },
      { method: 'openLocation', params: { file: 'src/list.ts', line: 17, column: 23 } },
      { method: 'openExternal', params: { url: 'https://example.com/guide' } },
    ]);
    assert.equal(page.url(), host.pageUrl, 'no navigation happened');
    await screenshot(page, 'vscode-mode-links');

    await page.evaluate(() => window.postMessage({ method: 'clear', params: {} }, '*'));
    await page.waitForFunction(() => window.__previewHost!.shownRows() === 0);
    host.emit([{ text: 'after clear' }]);
    await waitForSeq(page, 4);
    assert.deepEqual(await hooks(page, (h) => h.seqs()), [4], 'cleared lines do not come back');

    // Shown by VS Code, the page answers `alive` (the extension reloads a page that stays silent).
    const answers = () =>
      page.evaluate(() => (window as unknown as { __posted: { method: string }[] }).__posted.filter((m) => m.method === 'alive').length);
    await page.evaluate(() => window.postMessage({ method: 'visibility', params: { visible: false } }, '*'));
    await page.evaluate(() => window.postMessage({ method: 'visibility', params: { visible: true } }, '*'));
    await page.waitForFunction(() => (window as unknown as { __posted: { method: string }[] }).__posted.some((m) => m.method === 'alive'));
    assert.equal(await answers(), 1, 'one answer, to being shown, none to being hidden');
  });

  it('toggles the time column, jumps to the first error, copies selected and all lines, tracks the state', async () => {
    host = new FakeHost({ mode: 'vscode' });
    await host.start();
    host.setStatus({ state: 'ready' });
    host.emit([
      ...Array.from({ length: 100 }, (_, i) => ({ text: `ok ${i + 1}` })),
      { text: 'KeyError: 7', level: 'ERROR' as const },
      ...Array.from({ length: 100 }, (_, i) => ({ text: `later ${i + 1}` })),
    ]);
    opened = await openTerminal(browser, host, {
      initScript: `window.__posted = []; window.acquireVsCodeApi = () => ({
        postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });`,
    });
    const { page } = opened;
    await waitForSeq(page, 201);
    const posted = () =>
      page.evaluate(() => (window as unknown as { __posted: { method: string; params: Record<string, unknown> }[] }).__posted);

    assert.equal(await page.locator('.row .time').first().isVisible(), false);
    await page.getByRole('button', { name: 'Time' }).click();
    assert.match((await page.locator('.row .time').first().textContent()) ?? '', /^\d\d:\d\d:\d\d\.\d{3}$/);
    assert.equal(await page.locator('.row .time').first().isVisible(), true);
    assert.deepEqual(
      await page.evaluate(() => (window as unknown as { __state: unknown }).__state),
      {
        prefs: { showTime: true, levels: ['ERROR', 'WARN', 'INFO', 'DEBUG'] },
      },
      'remembered through the webview state',
    );

    await page.getByRole('button', { name: 'First error' }).click();
    await page.evaluate(() => window.__previewHost!.settled());
    assert.equal(await hooks(page, (h) => h.following()), false);
    const selected = await page.locator('.row.selected').allTextContents();
    assert.equal(selected.length, 1);
    assert.match(selected[0]!, /ERROR\s*KeyError: 7$/);

    // Shift+click extends the selection from the error to the next two lines.
    await page
      .locator('.row')
      .filter({ hasText: /later 2$/ })
      .click({ modifiers: ['Shift'] });
    await page.getByRole('button', { name: /Copy selected/ }).click();
    await page.getByRole('button', { name: 'Copy all' }).click();
    const copies = (await posted()).filter((m) => m.method === 'copy');
    assert.deepEqual(copies[0]!.params, { text: 'KeyError: 7\nlater 1\nlater 2', lineCount: 3 });
    assert.equal(copies[1]!.params.lineCount, 201);
    assert.match(String(copies[1]!.params.text), /^ok 1\nok 2\n[\s\S]*\nlater 100$/);

    host.setStatus({ state: 'exited', exitCode: 3 });
    await page.waitForFunction(() => document.querySelector('.state')?.textContent === 'Exited with code 3');
    assert.equal(await page.locator('.open-app').isVisible(), false, 'no app to open once it exited');
    await page.waitForFunction(() => document.querySelector('[role=status]')?.textContent === 'Exited with code 3');
    assert.equal(await page.locator('[role=log]').count(), 1);
    await screenshot(page, 'time-selection-exited');
    assert.deepEqual(await pageProblems(opened), []);
  });

  it('takes its colours from VS Code theme variables and fits a narrow panel', async () => {
    host = new FakeHost({ mode: 'vscode' });
    await host.start();
    host.setStatus({ state: 'ready' });
    host.emit(SAMPLE_LINES);
    // What VS Code does for a light theme: --vscode-* variables on <html> and a body class.
    const theme = {
      '--vscode-editor-background': '#fffffe',
      '--vscode-editor-foreground': '#202020',
      '--vscode-terminal-ansiGreen': '#008000',
      '--vscode-terminal-ansiRed': '#c00000',
      '--vscode-editorError-foreground': '#e51400',
      '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-editorInfo-foreground': '#1a85ff',
      '--vscode-editor-font-family': 'DejaVu Sans Mono, monospace',
      '--vscode-editor-font-size': '12px',
    };
    opened = await openTerminal(browser, host, {
      colorScheme: 'dark', // the theme variables must win over the browser fallback
      viewport: { width: 560, height: 420 },
      initScript: `window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });
        document.addEventListener('DOMContentLoaded', () => {
          for (const [k, v] of Object.entries(${JSON.stringify(theme)})) document.documentElement.style.setProperty(k, v);
          document.body.classList.add('vscode-light');
        });`,
    });
    const { page } = opened;
    await waitForSeq(page, SAMPLE_LINES.length);
    const styles = await page.evaluate(() => {
      const span = [...document.querySelectorAll<HTMLElement>('.msg span')].find((s) => s.textContent === '200 OK')!;
      return {
        ok: getComputedStyle(span).color,
        bg: getComputedStyle(document.body).backgroundColor,
        errorBadge: getComputedStyle(document.querySelector('.row.lv-ERROR .badge')!).color,
        fontSize: getComputedStyle(document.querySelector('.scroller')!).fontSize,
        headerOverflow: document.querySelector('.header')!.scrollWidth - document.querySelector('.header')!.clientWidth,
      };
    });
    assert.equal(styles.ok, 'rgb(0, 128, 0)');
    assert.equal(styles.bg, 'rgb(255, 255, 254)');
    assert.equal(styles.errorBadge, 'rgb(229, 20, 0)');
    assert.equal(styles.fontSize, '12px');
    assert.ok(styles.headerOverflow <= 0, `header overflows by ${styles.headerOverflow}px`);
    await screenshot(page, 'vscode-light-narrow');
    assert.deepEqual(await pageProblems(opened), []);
  });

  it('keeps the DOM bounded and the store within maxLines, with a banner for dropped lines', async () => {
    host = new FakeHost({ maxLines: 10_000 });
    await host.start();
    host.emit(Array.from({ length: 30_000 }, (_, i) => ({ text: `bulk ${i + 1}`, level: (['INFO', 'DEBUG', 'WARN'] as const)[i % 3] })));
    opened = await openTerminal(browser, host);
    const { page } = opened;
    await waitForSeq(page, 30_000);
    assert.ok((await hooks(page, (h) => h.domRows())) <= 500);
    assertContinuous(await hooks(page, (h) => h.seqs()), 20_001, 30_000);
    assert.equal(
      await page.locator('.banner').textContent(),
      '20,000 older lines dropped from view to stay within 10,000 (still in history)',
    );
    await page.locator('.scroller').focus();
    await page.keyboard.press('Home');
    await page.evaluate(() => window.__previewHost!.settled());
    assert.equal((await visibleRows(page))[0]!.msg, 'bulk 20001');
    assert.equal(await hooks(page, (h) => h.following()), false);
    await page.keyboard.press('End');
    await page.evaluate(() => window.__previewHost!.settled());
    const rows = await visibleRows(page);
    assert.equal(rows[rows.length - 1]!.msg, 'bulk 30000');
    assert.ok((await hooks(page, (h) => h.domRows())) <= 500);
  });
});
