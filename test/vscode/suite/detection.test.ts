// Acceptance 3 of issue 5 (and 2 on a real process tree: npm → sh → node), in the multi-root
// workspace test/fixtures/detection.code-workspace: empty, npm-app, static-site, fastapi-app.
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import type { PreviewHostApi } from '../../../src/extension/extension';
import type { PreviewInfo } from '../../../src/shared/protocol';
import type { TestBridge } from '../bridge';
import {
  PYTHON,
  bridgeOrSkip,
  clearNotifications,
  clickNotificationButton,
  commandLine,
  folderUri,
  groupMembers,
  httpGet,
  isRunning,
  notifications,
  pickQuickPickItem,
  previewHostApi,
  quickPick,
  requireSetup,
  statusBarEntries,
  stopAll,
  waitForPanelText,
  waitForPreview,
  waitForQuickPick,
  workspaceIs,
} from './helpers';
import { waitFor } from './waitFor';

const PICK_TITLE = 'Start Preview: what should run?';
const isNpmApp = (p: PreviewInfo) => p.name === 'npm-app';

describe('Detection (multi-root workspace)', function () {
  let api: PreviewHostApi;
  let bridge: TestBridge;

  before(async function () {
    const folders = ['empty', 'npm-app', 'static-site', 'fastapi-app'];
    requireSetup(this, 'detection', workspaceIs(...folders), `the workspace folders ${folders.join(', ')}`);
    api = await previewHostApi();
    await vscode.workspace
      .getConfiguration('previewHost', folderUri('fastapi-app'))
      .update('pythonPath', PYTHON, vscode.ConfigurationTarget.WorkspaceFolder);
  });

  afterEach(async function () {
    if (api) await stopAll(api);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('acceptance 3: detection proposes the right command for each folder in a quick pick, runs the pick and remembers it', async function () {
    this.timeout(90_000);
    bridge = bridgeOrSkip(this);
    const starting = vscode.commands.executeCommand('previewHost.start');
    const pick = await waitForQuickPick(bridge, PICK_TITLE);
    const fixtures = (name: string) => folderUri(name).fsPath;
    const byLabel = new Map(pick.items.map((i) => [i.label, i.detail]));
    assert.deepEqual(
      [...byLabel.keys()].sort(),
      ['FastAPI: app.main:app', 'Static site: index.html', 'npm run dev'],
      JSON.stringify(pick.items),
    );
    assert.equal(byLabel.get('npm run dev'), 'npm run dev — in npm-app');
    assert.equal(
      byLabel.get('FastAPI: app.main:app'),
      `${PYTHON} -m uvicorn app.main:app --reload --host 127.0.0.1 --port {port} — in fastapi-app`,
    );
    assert.match(
      byLabel.get('Static site: index.html')!,
      new RegExp(`dist/cli\\.js static --port \\{port\\} ${escape(fixtures('static-site'))} — in static-site$`),
    );

    await pickQuickPickItem(bridge, 'npm run dev');
    await starting;
    const preview = await waitForPreview(api, isNpmApp, 'ready');
    assert.deepEqual(preview.command, ['npm', 'run', 'dev']);
    assert.equal(preview.cwd, fixtures('npm-app'));
    await waitForPanelText(bridge, 'Preview: npm-app', `npm fixture listening on http://127.0.0.1:${preview.port}/`);
    assert.equal((await httpGet(`http://127.0.0.1:${preview.port}/`)).text, 'npm fixture\n');

    // Stop ends the whole tree: npm, the shell it runs the script with, and node.
    const members = groupMembers(preview.pid!);
    assert.ok(members.length >= 2, `npm's tree: ${members.map((p) => `${p} ${commandLine(p)}`).join('; ')}`);
    await vscode.commands.executeCommand('previewHost.stop', 'npm-app');
    await waitForPreview(api, isNpmApp, 'stopped');
    await waitFor(() => members.every((p) => !isRunning(p)), {
      what: `npm's tree to end: ${members.filter(isRunning).map(commandLine).join('; ')}`,
    });

    // The pick is remembered: the next Start asks nothing.
    await vscode.commands.executeCommand('previewHost.start');
    const again = await waitForPreview(api, (p) => isNpmApp(p) && p.id !== preview.id, 'ready');
    assert.deepEqual(again.command, ['npm', 'run', 'dev']);
    assert.equal((await quickPick(bridge)).visible, false, 'no quick pick the second time');
  });

  it('acceptance 3: the previewHost.command setting overrides detection, with {port} filled in', async function () {
    this.timeout(60_000);
    bridge = bridgeOrSkip(this);
    const line = 'node server.js --from-setting --port {port}';
    await vscode.workspace
      .getConfiguration('previewHost', folderUri('npm-app'))
      .update('command', line, vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      const starting = vscode.commands.executeCommand('previewHost.start');
      // The remembered pick was detection's: it is gone, so Start asks again.
      const pick = await waitForQuickPick(bridge, PICK_TITLE);
      const labels = pick.items.map((i) => i.label);
      assert.ok(labels.includes(line), JSON.stringify(pick.items));
      assert.ok(!labels.includes('npm run dev'), 'the setting replaces what detection found in that folder');
      assert.equal(pick.items.find((i) => i.label === line)!.detail, 'previewHost.command in npm-app');
      await pickQuickPickItem(bridge, line);
      await starting;
      const preview = await waitForPreview(api, isNpmApp, 'ready');
      assert.deepEqual(preview.command, ['/bin/sh', '-c', line.replace('{port}', String(preview.port))]);
      await waitForPanelText(bridge, 'Preview: npm-app', '(started from previewHost.command)');
      // Still one preview of this folder: its panel and status item now show the new command's run.
      const panels = (await bridge.webviews()).filter((w) => w.title === 'Preview: npm-app' || w.documentTitle === 'Preview: npm-app');
      assert.equal(panels.length, 1, JSON.stringify(panels));
      const items = (await statusBarEntries(bridge)).filter((e) => e.text.includes('npm-app'));
      assert.deepEqual(
        items.map((e) => e.text),
        [`npm-app :${preview.port}`],
      );
    } finally {
      await vscode.workspace
        .getConfiguration('previewHost', folderUri('npm-app'))
        .update('command', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
  });

  it('acceptance 3: a workspace with nothing runnable gets a clear message with a link to the setting', async function () {
    this.timeout(60_000);
    bridge = bridgeOrSkip(this);
    // Leave only "empty" (the first folder, so the extension host keeps running).
    const changed = new Promise((resolve) => vscode.workspace.onDidChangeWorkspaceFolders(resolve));
    assert.ok(
      vscode.workspace.updateWorkspaceFolders(1, (vscode.workspace.workspaceFolders?.length ?? 1) - 1),
      'updateWorkspaceFolders refused',
    );
    await changed;
    assert.deepEqual(
      vscode.workspace.workspaceFolders?.map((f) => path.basename(f.uri.fsPath)),
      ['empty'],
    );
    await clearNotifications();

    const before = api.previews().length;
    await vscode.commands.executeCommand('previewHost.start');
    const toast = await waitFor(() => notifications(bridge), {
      until: (list) => list.some((n) => n.message.includes('nothing to run')),
      what: 'the "nothing to run" notification',
    });
    const message = toast.find((n) => n.message.includes('nothing to run'))!;
    assert.match(message.message, /Preview Host found nothing to run here/);
    assert.match(message.message, /previewHost\.command/);
    assert.ok(message.buttons.includes('Open Settings'), JSON.stringify(message));
    assert.equal(api.previews().length, before, 'nothing was started');
    await bridge.screenshot('detection-nothing-to-run');

    // The button opens the settings editor at that setting.
    await clickNotificationButton(bridge, 'nothing to run', 'Open Settings');
    const shown = await waitFor(
      () =>
        bridge.evalInPage<{ tab: string; setting: string }>(`() => ({
        tab: document.querySelector('.tab.active .label-name')?.textContent || '',
        setting: [...document.querySelectorAll('.settings-editor .setting-item-contents .setting-item-title')].map((e) => e.textContent.replace(/\\s+/g, ' ').trim()).join(' | '),
      })`),
      { until: (s) => s.tab === 'Settings' && s.setting.includes('Command'), what: 'the settings editor showing previewHost.command' },
    );
    assert.match(shown.setting, /Preview Host: Command/);
    await bridge.screenshot('detection-open-settings');
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
