/**
 * Issue 12, acceptance 1 in a browser: 8 tabs of one preview's page in one Chromium window (which
 * allows 6 connections per host). Each shows live lines when brought to the front, and one hidden
 * and shown again has every line once. The real CLI host (`dist/cli.js`, build first) runs
 * test/fixtures/emit-lines.mjs at 40 lines a second.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { CliBanner } from '../../src/shared/protocol';
import { HIDDEN_GRACE_MS } from '../../webview-ui/hiddenPause';
import { ChromiumTabs, type Tab } from './cdpTabs';
import { assertContinuous, SCREENSHOTS } from './harness';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const TABS = 8;
const RATE = 40;

function startCli(): Promise<{ child: ChildProcess; banner: CliBanner }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node esbuild.mjs\` first`);
  const fixtures = path.join(ROOT, 'test/fixtures');
  const child = spawn(
    process.execPath,
    [
      CLI,
      'run',
      '--json',
      '--ready-line',
      '^line 1 ',
      '--cwd',
      fixtures,
      '--',
      process.execPath,
      'emit-lines.mjs',
      '1000000',
      String(RATE),
      '--stay',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      try {
        resolve({ child, banner: JSON.parse(line) as CliBanner });
      } catch (err) {
        reject(new Error(`first stdout line of the CLI is not JSON: ${line} (${(err as Error).message})`));
      }
    });
    child.once('exit', (code) => reject(new Error(`the CLI exited with ${code} before its banner`)));
  });
}

const hooks = 'window.__previewHost';
const lastSeq = (chromium: ChromiumTabs, tab: Tab) => chromium.evaluate<number>(tab, `${hooks}?.lastSeq() ?? 0`);
const connection = (chromium: ChromiumTabs, tab: Tab) => chromium.evaluate<string | undefined>(tab, `${hooks}?.connection()`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('8 tabs of one preview (six connections per host)', function () {
  this.timeout(120_000);
  let cli: ChildProcess | undefined;
  let chromium: ChromiumTabs | undefined;

  after(async () => {
    await chromium?.close();
    if (cli && cli.exitCode === null) cli.kill('SIGTERM');
  });

  it('each of 8 tabs shows live lines when brought to the front; a hidden tab holds no stream and, shown again, has every line once', async () => {
    const started = await startCli();
    cli = started.child;
    chromium = await ChromiumTabs.launch();
    const tabs: Tab[] = [];
    for (let i = 0; i < TABS; i++) tabs.push(await chromium.open(started.banner.pageUrl));

    const figures: string[] = [];
    for (const [i, tab] of tabs.entries()) {
      await chromium.activate(tab);
      const shownAt = Date.now();
      await chromium.waitFor(tab, `${hooks}?.connection() === 'open'`, `tab ${i + 1} to connect`);
      // Live: lines written after it came to the front arrive too.
      const seen = await lastSeq(chromium, tab);
      await chromium.waitFor(tab, `${hooks}.lastSeq() >= ${seen + 5}`, `tab ${i + 1} to show new lines after seq ${seen}`);
      figures.push(`tab ${i + 1}: live ${Date.now() - shownAt} ms after shown (seq ${seen}+)`);
      assert.equal(await chromium.evaluate(tab, 'document.visibilityState'), 'visible');
    }

    // The tabs in the background let go of their streams; only the front one reads.
    await sleep(HIDDEN_GRACE_MS + 1000);
    const states = await Promise.all(tabs.map((t) => connection(chromium!, t)));
    assert.deepEqual(states, [...Array<string>(TABS - 1).fill('paused'), 'open'], 'hidden tabs hold no stream');
    const hiddenStates = await Promise.all(tabs.map((t) => chromium!.evaluate<string>(t, 'document.visibilityState')));
    assert.deepEqual(hiddenStates, [...Array<string>(TABS - 1).fill('hidden'), 'visible']);

    // Tab 1 has been hidden (and paused) while lines kept coming: shown again, it has every line once.
    const first = tabs[0]!;
    const before = await lastSeq(chromium, first);
    const now = await lastSeq(chromium, tabs[TABS - 1]!);
    assert.ok(now > before + 20, `lines arrived while tab 1 was hidden (it had ${before}, tab 8 has ${now})`);
    await chromium.activate(first);
    await chromium.waitFor(first, `${hooks}.lastSeq() >= ${now + 5}`, 'tab 1 to catch up and go on');
    await chromium.evaluate(first, `${hooks}.settled()`);
    const seqs = await chromium.evaluate<number[]>(first, `${hooks}.seqs()`);
    const gaps = await chromium.evaluate<unknown[]>(first, `${hooks}.gaps()`);
    assert.deepEqual(gaps, []);
    assertContinuous(seqs, 1, seqs[seqs.length - 1]!);
    figures.push(`tab 1 shown again: had seq ${before}, now ${seqs.length} lines 1..${seqs[seqs.length - 1]} with no gap or duplicate`);

    await mkdir(SCREENSHOTS, { recursive: true });
    await chromium.screenshot(first, path.join(SCREENSHOTS, 'many-tabs-tab1-shown-again.png'));
    await chromium.activate(tabs[6]!);
    await chromium.waitFor(tabs[6]!, `${hooks}.lastSeq() >= ${now + 10}`, 'tab 7 to be live again');
    await chromium.evaluate(tabs[6]!, `${hooks}.settled()`);
    await chromium.screenshot(tabs[6]!, path.join(SCREENSHOTS, 'many-tabs-tab7.png'));
    for (const f of figures) console.log(`      ${f}`);
  });
});
