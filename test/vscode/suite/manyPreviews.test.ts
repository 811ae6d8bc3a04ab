// Issue 12, acceptance 1 in VS Code, on test/fixtures/many-previews: eight previews (each
// test/fixtures/emit-lines.mjs at 10 lines a second), eight panels. Webviews share one browser,
// which allows six connections per host; panels read their streams through the extension (the
// relay), so all eight are live at once, side by side. A panel hidden behind an editor drops its
// stream and, shown again, has every line once.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PreviewHostApi } from '../../../src/extension/extension';
import { testBridge, type TestBridge } from '../bridge';
import { bridgeOrSkip, clearNotifications, previewHostApi, requireSetup, waitForPreview, workspaceIs } from './helpers';
import { waitFor } from './waitFor';

const NAMES = Array.from({ length: 8 }, (_, i) => `p${i + 1}`);
const title = (name: string) => `Preview: ${name}`;

interface PanelState {
  lastSeq: number;
  connection: string | undefined;
}

function panelState(bridge: TestBridge, name: string): Promise<PanelState> {
  return bridge.evalInWebview<PanelState>(
    `() => ({ lastSeq: window.__previewHost?.lastSeq() ?? 0, connection: window.__previewHost?.connection() })`,
    { titleContains: title(name) },
  );
}

function seqLast(api: PreviewHostApi, name: string): number {
  return api.previews().find((p) => p.name === name)?.lastSeq ?? 0;
}

/** The editor group (1-based view column) whose tabs include the panel of `name`. */
function groupOf(name: string): number | undefined {
  return vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.label === title(name)))?.viewColumn;
}

async function testBridgeScreenshot(name: string): Promise<void> {
  await testBridge()
    ?.screenshot(name.replace(/\W+/g, '-'))
    .catch(() => {});
}

const FOCUS_GROUP = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth'].map(
  (n) => `workbench.action.focus${n}EditorGroup`,
);

/** Logs a step with the seconds since the test began (a slow machine shows where the time went). */
function stepper(): (what: string) => void {
  const started = Date.now();
  return (what) => console.log(`      [${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
}

describe('Eight previews, eight panels (issue 12)', function () {
  let api: PreviewHostApi;

  afterEach(async function () {
    if (this.currentTest?.state !== 'passed') await testBridgeScreenshot(`many-previews-failed-${this.currentTest?.title.slice(14, 30)}`);
  });

  before(async function () {
    requireSetup(this, 'manyPreviews', workspaceIs('many-previews'), 'the many-previews workspace');
    api = await previewHostApi();
  });

  it('acceptance 1: 8 panels side by side in a grid all show live lines', async function () {
    this.timeout(600_000);
    const bridge = bridgeOrSkip(this);
    const step = stepper();
    await vscode.commands.executeCommand('previewHost.start');
    step('Start Preview returned');
    for (const name of NAMES) await waitForPreview(api, (p) => p.name === name, 'ready', 60_000);
    step('all 8 ready');
    await bridge.screenshot('many-previews-started');

    // Two rows of four editor groups, one panel in each.
    await vscode.commands.executeCommand('vscode.setEditorLayout', {
      orientation: 1,
      groups: [{ groups: [{}, {}, {}, {}] }, { groups: [{}, {}, {}, {}] }],
    });
    step(`layout set; panels in groups ${NAMES.map(groupOf).join(',')}`);
    for (const [i, name] of NAMES.entries()) {
      const from = groupOf(name);
      assert.ok(from, `no tab for ${title(name)}`);
      if (from === i + 1) continue;
      await vscode.commands.executeCommand(FOCUS_GROUP[from - 1]!);
      await vscode.commands.executeCommand('previewHost.showLogs', name); // its tab becomes the active one
      await vscode.commands.executeCommand('moveActiveEditor', { to: 'position', by: 'group', value: i + 1 });
      await waitFor(() => groupOf(name) === i + 1, { what: `${title(name)} to move to group ${i + 1}` });
      step(`${name} moved from group ${from} to ${i + 1}`);
    }
    const visible = () =>
      vscode.window.tabGroups.all.filter((g) => g.activeTab && NAMES.some((n) => g.activeTab!.label === title(n))).length;
    await waitFor(visible, { until: (n) => n === 8, what: 'all 8 panels to be the front tab of their group' });

    // Each panel shows lines written after all 8 were on screen.
    const marks = new Map(NAMES.map((name) => [name, seqLast(api, name)]));
    const figures: string[] = [];
    for (const name of NAMES) {
      const state = await waitFor(() => panelState(bridge, name), {
        until: (s) => s.connection === 'open' && s.lastSeq >= marks.get(name)! + 10,
        // Time for the panel's watchdog to load a page that stayed blank again, twice, and then to
        // replace the panel (10 s each: src/extension/panel.ts), as a user would see it recover.
        timeoutMs: 45_000,
        what: `${title(name)} to show lines after seq ${marks.get(name)}`,
      }).catch((error: Error) => {
        // Whether the panel's watchdog saw the page go quiet, reloaded it or replaced the panel.
        const events = api.panelEvents().filter((e) => e.includes(title(name)));
        error.message += `\n${title(name)}'s panel events: ${events.join(' | ') || 'none'}`;
        throw error;
      });
      figures.push(`${name} ${state.lastSeq}`);
      const rescued = api.panelEvents().filter((e) => e.includes(title(name)) && e.includes('did not answer'));
      step(`${name} live (seq ${state.lastSeq})${rescued.length ? `; its page was reloaded: ${rescued.join(' | ')}` : ''}`);
    }
    const webviews = await bridge.webviews();
    assert.equal(webviews.filter((w) => w.visible && w.title.startsWith('Preview: ')).length, 8, JSON.stringify(webviews));
    await clearNotifications();
    await bridge.screenshot('many-previews-grid');
    console.log(`      all 8 live side by side; last seq shown: ${figures.join(', ')}`);
  });

  it('acceptance 1: a panel hidden behind an editor drops its stream and, shown again, has every line once', async function () {
    this.timeout(180_000);
    const bridge = bridgeOrSkip(this);
    const name = 'p1';
    const group = groupOf(name)!;
    const doc = await vscode.workspace.openTextDocument({ content: 'covers the panel', language: 'plaintext' });
    await vscode.window.showTextDocument(doc, { viewColumn: group, preview: false });
    await waitFor(() => panelState(bridge, name), {
      until: (s) => s.connection === 'paused',
      timeoutMs: 15_000,
      what: `${title(name)} to let go of its stream while hidden`,
    });
    const hiddenAt = (await panelState(bridge, name)).lastSeq;
    await waitFor(() => seqLast(api, name), { until: (n) => n >= hiddenAt + 30, timeoutMs: 30_000, what: 'lines while hidden' });
    const others = await panelState(bridge, 'p2');
    assert.equal(others.connection, 'open', 'the visible panels stay live');

    await vscode.commands.executeCommand('previewHost.showLogs', name);
    const target = seqLast(api, name) + 10;
    await waitFor(() => panelState(bridge, name), {
      until: (s) => s.connection === 'open' && s.lastSeq >= target,
      timeoutMs: 30_000,
      what: `${title(name)} to catch up past seq ${target}`,
    });
    const { seqs, gaps } = await bridge.evalInWebview<{ seqs: number[]; gaps: unknown[] }>(
      `() => ({ seqs: window.__previewHost.seqs(), gaps: window.__previewHost.gaps() })`,
      { titleContains: title(name) },
    );
    assert.deepEqual(gaps, []);
    const last = seqs[seqs.length - 1]!;
    assert.deepEqual(
      seqs,
      Array.from({ length: last }, (_, i) => i + 1),
      'every line 1..last exactly once',
    );
    await bridge.screenshot('many-previews-shown-again');
    console.log(`      hidden at seq ${hiddenAt}, shown again: ${seqs.length} lines 1..${last}, no gap, no duplicate`);
  });
});
