// Acceptance 1, 2, 4 and 5 of issue 5, on the FastAPI fixture (test/fixtures/fastapi-app), in the
// real VS Code on both fronts: the bare server (direct loopback) and code-server (its proxy).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { PreviewHostApi } from '../../../src/extension/extension';
import type { PreviewInfo } from '../../../src/shared/protocol';
import { testFront, type TestBridge } from '../bridge';
import {
  PYTHON,
  bridgeOrSkip,
  requireSetup,
  clearNotifications,
  clickStatusBarItem,
  commandLine,
  editorTitleActions,
  folderUri,
  groupMembers,
  httpGet,
  isRunning,
  panelConfig,
  panelRows,
  previewHostApi,
  recordStates,
  statusBarEntries,
  waitForPanelText,
  waitForPreview,
} from './helpers';
import { waitFor } from './waitFor';

const FOLDER = 'fastapi-app';
const PANEL = `Preview: ${FOLDER}`;
const isOurs = (p: PreviewInfo) => p.name === FOLDER;

describe('FastAPI fixture', function () {
  let api: PreviewHostApi;
  let bridge: TestBridge | undefined;
  let appFile: string;
  /** The 1-based line of `raise` in /boom's handler, where the traceback points. */
  let raiseLine: number;

  before(async function () {
    requireSetup(
      this,
      'fastapi',
      path.basename(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '') === FOLDER,
      `the ${FOLDER} workspace`,
    );
    api = await previewHostApi();
    // The interpreter with fastapi and uvicorn; a setting, as a user would pick it.
    await vscode.workspace
      .getConfiguration('previewHost', folderUri(FOLDER))
      .update('pythonPath', PYTHON, vscode.ConfigurationTarget.Workspace);
    appFile = path.join(folderUri(FOLDER).fsPath, 'app', 'main.py');
    raiseLine =
      readFileSync(appFile, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('raise RuntimeError')) + 1;
    assert.ok(raiseLine > 0, `no raise in ${appFile}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  // No clean-up: the run ends with uvicorn running (acceptance 6's other half). The extension host
  // exits after the tests as a closing window would, and the launcher fails the run if any process
  // the tests started outlives it.

  it('acceptance 1: Start Preview runs uvicorn — status starting → ready, startup lines in level colours, a request shows its access line', async function () {
    this.timeout(90_000);
    bridge = bridgeOrSkip(this);
    const states = recordStates(api);
    await vscode.commands.executeCommand('previewHost.start');
    const preview = await waitForPreview(api, isOurs, 'ready');
    states.dispose();
    assert.deepEqual(states.states(FOLDER), ['starting', 'ready'], 'the status moves starting → ready');
    // Detection: uvicorn through the interpreter the setting names, on the port it picked.
    assert.deepEqual(preview.command, [
      PYTHON,
      '-m',
      'uvicorn',
      'app.main:app',
      '--reload',
      '--host',
      '127.0.0.1',
      '--port',
      String(preview.port),
    ]);

    // The status bar says so: ready on :port, with the "pass" icon.
    const entries = await waitFor(() => statusBarEntries(bridge!), {
      until: (list) => list.some((e) => e.text.includes(`${FOLDER} :${preview.port}`)),
      what: `the status bar item "${FOLDER} :${preview.port}"`,
    });
    const item = entries.find((e) => e.text.includes(`${FOLDER} :${preview.port}`))!;
    assert.ok(
      item.icons.some((c) => c.includes('codicon-pass-filled')),
      `status item icons: ${item.icons}`,
    );

    // The panel streams uvicorn's startup lines, tagged and coloured by level.
    const rows = await waitForPanelText(bridge, PANEL, 'Uvicorn running on');
    const started = rows.find((r) => r.text.includes('Started server process'));
    const warning = rows.find((r) => r.text.includes('no database configured'));
    const running = rows.find((r) => r.text.includes(`Uvicorn running on http://127.0.0.1:${preview.port}`));
    assert.ok(started && warning && running, `startup lines: ${rows.map((r) => r.text).join(' | ')}`);
    // uvicorn's lines start with their level word (`INFO:`, `WARNING:`): the mark is a coloured dot
    // that names the level in its title, not the word a second time.
    assert.match(started.className, /\blv-INFO\b/);
    assert.deepEqual([started.badge, started.badgeTitle], ['', 'INFO']);
    assert.match(warning.className, /\blv-WARN\b/);
    assert.deepEqual([warning.badge, warning.badgeTitle], ['', 'WARN']);
    assert.notEqual(warning.badgeColor, started.badgeColor, 'WARN and INFO marks have different colours');
    // uvicorn's own URL is a link in the panel.
    assert.ok(
      running.links.some((l) => l.className.includes('url') && l.text === `http://127.0.0.1:${preview.port}`),
      JSON.stringify(running.links),
    );

    // A request to the app shows its access line.
    const res = await httpGet(`http://127.0.0.1:${preview.port}/`);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.text), { app: 'fastapi-fixture', ok: true });
    const after = await waitForPanelText(bridge, PANEL, '"GET / HTTP/1.1" 200');
    assert.match(after.find((r) => r.text.includes('"GET / HTTP/1.1" 200'))!.className, /\blv-INFO\b/);
    await clearNotifications();
    await bridge.screenshot('fastapi-ready');
  });

  it(`acceptance 5: lines printed after the panel opened appear within 2 s (${testFront() === 'code-server' ? "through code-server's /proxy/<port>/ route" : 'direct loopback'})`, async function () {
    bridge = bridgeOrSkip(this);
    const preview = await waitForPreview(api, isOurs, 'ready');
    const config = await panelConfig(bridge, PANEL);
    const front = testFront();
    if (front === 'code-server') {
      // The remote case: the webview reaches the host only through code-server's proxy.
      const { origin } = await bridge.info();
      assert.ok(config.streamUrl.startsWith(`${origin}/proxy/`), `stream URL ${config.streamUrl} does not go through ${origin}/proxy/`);
    } else if (front === 'server') {
      assert.match(
        config.streamUrl,
        /^http:\/\/127\.0\.0\.1:\d+\/api\/previews\//,
        'the bare server maps no proxy route: the panel connects directly',
      );
    }
    const latencies: number[] = [];
    for (let i = 0; i < 3; i++) {
      const word = `live-${randomBytes(4).toString('hex')}`;
      const sent = Date.now();
      await httpGet(`http://127.0.0.1:${preview.port}/say?text=${word}`);
      await waitForPanelText(bridge, PANEL, `fixture says: ${word}`, 2000);
      latencies.push(Date.now() - sent);
    }
    console.log(`      live line → panel (${front}): ${latencies.join(', ')} ms`);
    assert.ok(Math.max(...latencies) < 2000, `latencies ${latencies}`);
  });

  it('Open Preview in Browser opens the app in the Simple Browser, through the proxy in the remote case', async function () {
    bridge = bridgeOrSkip(this);
    // The bare server's webviews share one service worker, which the panel's stream keeps busy: a
    // webview opened after it never loads there (see runTests.ts). code-server is the case to check.
    if (testFront() !== 'code-server') this.skip();
    const preview = await waitForPreview(api, isOurs, 'ready');
    await vscode.commands.executeCommand('previewHost.openInBrowser');
    try {
      const src = await waitFor(
        () => bridge!.evalInWebview<string>(`() => document.querySelector('iframe')?.src || ''`, { titleContains: 'Simple Browser' }),
        {
          what: 'the Simple Browser showing the app',
        },
      );
      const { origin } = await bridge.info();
      const url = new URL(src); // the Simple Browser adds its own query parameters
      assert.equal(`${url.origin}${url.pathname}`, `${origin}/proxy/${preview.port}/`);
      assert.deepEqual(JSON.parse((await httpGet(src)).text), { app: 'fastapi-fixture', ok: true });
      await bridge.screenshot('fastapi-simple-browser');
    } finally {
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.includes('Simple Browser'));
      await vscode.window.tabGroups.close(tabs);
    }
  });

  it('acceptance 4: a traceback → a Problems entry at app/main.py and its line; clicking the location in the panel opens that line', async function () {
    bridge = bridgeOrSkip(this);
    const preview = await waitForPreview(api, isOurs, 'ready');
    const res = await httpGet(`http://127.0.0.1:${preview.port}/boom`);
    assert.equal(res.status, 500);

    const uri = vscode.Uri.file(appFile);
    const diagnostics = await waitFor(() => vscode.languages.getDiagnostics(uri), {
      until: (d) => d.length > 0,
      what: `a Problems entry for ${appFile}`,
    });
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const [problem] = diagnostics;
    assert.equal(
      problem.range.start.line,
      raiseLine - 1,
      `the entry is at line ${problem.range.start.line + 1}, the raise at ${raiseLine}`,
    );
    assert.equal(problem.severity, vscode.DiagnosticSeverity.Error);
    assert.match(problem.message, /RuntimeError: fixture boom/);
    // Issue 11: the entry says whether an earlier run of this preview had the same error.
    await waitFor(() => vscode.languages.getDiagnostics(uri), {
      until: (d) => d.length === 1 && /\((?:new in this run|seen in an earlier run)\)$/.test(d[0].message),
      what: `the Problems entry saying new or seen before`,
    });
    assert.equal(problem.source, `Preview: ${FOLDER}`);

    // The panel shows the traceback with the location as a link; click it like a person.
    const location = `${path.join('app', 'main.py')}", line ${raiseLine}`;
    const rows = await waitForPanelText(bridge, PANEL, location);
    const row = rows.find((r) => r.text.includes(location))!;
    assert.ok(
      row.links.some((l) => l.className.includes('location')),
      `no location link in ${JSON.stringify(row)}`,
    );
    const error = rows.find((r) => r.text.includes('RuntimeError: fixture boom'));
    assert.ok(error, 'the exception line is shown');
    assert.match(error.className, /\blv-ERROR\b/);
    await bridge.screenshot('fastapi-traceback');
    assert.notEqual(vscode.window.activeTextEditor?.document.uri.fsPath, appFile, 'the click must be what opens it');
    await bridge.clickInWebview(`a.link.location:has-text(${JSON.stringify(`line ${raiseLine}`)})`, { titleContains: PANEL });
    const editor = await waitFor(() => vscode.window.activeTextEditor, {
      until: (e) => e?.document.uri.fsPath === appFile,
      what: `${appFile} to open in an editor`,
    });
    assert.equal(editor!.selection.active.line, raiseLine - 1, 'the editor is at the traceback line');
    await bridge.screenshot('fastapi-traceback-opened');

    // The whole story in one picture (the README's): logs, the editor at the line, Problems.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    for (let i = 0; i < 4; i++) await vscode.commands.executeCommand('workbench.action.increaseViewHeight'); // the editors grow, Problems stays low
    await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
    for (let i = 0; i < 4; i++) await vscode.commands.executeCommand('workbench.action.increaseViewWidth'); // more room for the logs
    await new Promise((r) => setTimeout(r, 300)); // the layout settles
    // Scrolled to the top, as a person reading the run from its start would.
    await bridge.evalInWebview(`() => { document.querySelector('.scroller').scrollTop = 0; }`, { titleContains: PANEL });
    await new Promise((r) => setTimeout(r, 300));
    await bridge.screenshot('fastapi-overview');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  it('acceptance 2: Stop Preview ends the whole process tree and shows stopped; Restart gives a new run in the same panel', async function () {
    this.timeout(90_000);
    bridge = bridgeOrSkip(this);
    const before = await waitForPreview(api, isOurs, 'ready');
    assert.ok(before.pid, 'the preview has a pid');
    const members = groupMembers(before.pid);
    assert.ok(members.includes(before.pid), `process group ${before.pid}: ${members}`);

    await vscode.commands.executeCommand('previewHost.stop');
    const stopped = await waitForPreview(api, isOurs, 'stopped');
    assert.equal(stopped.id, before.id);
    await waitFor(() => members.every((pid) => !isRunning(pid)), {
      timeoutMs: 10_000,
      what: `the process tree to end; still running: ${members
        .filter(isRunning)
        .map((p) => `${p} ${commandLine(p)}`)
        .join('; ')}`,
    });
    assert.deepEqual(groupMembers(before.pid), [], 'nothing is left in the process group');
    await waitFor(() => statusBarEntries(bridge!), {
      until: (list) => list.some((e) => e.text.includes(`${FOLDER}: stopped`)),
      what: 'the status bar to say stopped',
    });
    await waitFor(() => panelRows(bridge!, PANEL), { until: (r) => r.length > 0, what: 'the panel to keep the stopped run' });
    // Nothing runs: the editor title offers Start again, not Stop.
    await waitFor(() => editorTitleActions(bridge!), {
      until: (a) => a.some((l) => l.startsWith('Start Preview')) && !a.some((l) => l.startsWith('Stop Preview')),
      what: 'the editor title to offer Start Preview instead of Stop Preview',
    });

    await vscode.commands.executeCommand('previewHost.restart');
    const again = await waitForPreview(api, (p) => isOurs(p) && p.id !== before.id, 'ready');
    assert.notEqual(again.pid, before.pid);
    assert.equal(api.previews().filter(isOurs).length, 1, 'the old run is gone from the list');
    // The same panel now shows the new run: its first lines name the new process (uvicorn --reload: the reloader).
    await waitForPanelText(bridge, PANEL, `Started reloader process [${again.pid}]`);
    const rows = await panelRows(bridge, PANEL);
    assert.ok(!rows.some((r) => r.text.includes(`[${before.pid}]`)), 'the old run is no longer shown');
    assert.equal(
      (await bridge.webviews()).filter((w) => w.title.includes(PANEL) || w.documentTitle.includes(FOLDER)).length,
      1,
      'one panel',
    );
    await waitFor(() => editorTitleActions(bridge!), {
      until: (a) => a.some((l) => l.startsWith('Stop Preview')) && !a.some((l) => l.startsWith('Start Preview')),
      what: 'the editor title to offer Stop Preview again',
    });
    // Problems of the old run are cleared on restart.
    assert.deepEqual(vscode.languages.getDiagnostics(vscode.Uri.file(appFile)), []);

    // Closed, the panel comes back from its status bar item, with the run's lines so far.
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === PANEL));
    await waitFor(() => bridge!.webviews(), {
      until: (w) => !w.some((v) => v.title === PANEL || v.documentTitle === PANEL),
      what: 'the panel to close',
    });
    await clickStatusBarItem(bridge, `${FOLDER} :${again.port}`);
    await waitForPanelText(bridge, PANEL, `Started reloader process [${again.pid}]`);
  });
});
