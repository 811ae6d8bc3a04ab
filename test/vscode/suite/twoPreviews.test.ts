// Acceptance 6 of issue 5, on test/fixtures/two-previews: its .vscode/settings.json names two
// previews ("api", a shell command line, ready on GET /; "web", an argv array, ready on a line,
// which ignores SIGTERM) and a stop grace period longer than VS Code gives deactivate.
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import type { PreviewHostApi } from '../../../src/extension/extension';
import type { PreviewInfo } from '../../../src/shared/protocol';
import type { TestBridge } from '../bridge';
import {
  EXTENSION_ID,
  bridgeOrSkip,
  clearNotifications,
  commandLine,
  groupMembers,
  httpGet,
  isRunning,
  panelRows,
  pickQuickPickItem,
  previewHostApi,
  statusBarEntries,
  waitForPanelText,
  waitForPreview,
  waitForQuickPick,
  requireSetup,
  workspaceIs,
} from './helpers';
import { waitFor } from './waitFor';

const named = (name: string) => (p: PreviewInfo) => p.name === name;

describe('Two previews (previewHost.previews)', function () {
  let api: PreviewHostApi;
  let bridge: TestBridge;

  before(async function () {
    requireSetup(this, 'twoPreviews', workspaceIs('two-previews'), 'the two-previews workspace');
    api = await previewHostApi();
  });

  it('acceptance 6: Start Preview starts both, each with its own panel and status item', async function () {
    this.timeout(60_000);
    bridge = bridgeOrSkip(this);
    await vscode.commands.executeCommand('previewHost.start');
    const apiPreview = await waitForPreview(api, named('api'), 'ready');
    const webPreview = await waitForPreview(api, named('web'), 'ready');
    assert.deepEqual(apiPreview.command, ['/bin/sh', '-c', 'node server.js api']);
    assert.deepEqual(webPreview.command, ['node', 'server.js', 'web', '--slow-shutdown']);
    assert.notEqual(apiPreview.port, webPreview.port);
    assert.notEqual(apiPreview.pid, webPreview.pid);

    // Each has its panel, showing its own lines only.
    for (const p of [apiPreview, webPreview]) {
      const rows = await waitForPanelText(bridge, `Preview: ${p.name}`, `[${p.name}] listening on http://127.0.0.1:${p.port}/`);
      const other = p === apiPreview ? webPreview : apiPreview;
      assert.ok(!rows.some((r) => r.text.includes(`[${other.name}]`)), `the ${p.name} panel shows ${other.name}'s lines`);
    }
    await httpGet(`http://127.0.0.1:${webPreview.port}/from-test`);
    await waitForPanelText(bridge, 'Preview: web', '[web] GET /from-test');
    assert.ok(!(await panelRows(bridge, 'Preview: api')).some((r) => r.text.includes('/from-test')));
    const titles = (await bridge.webviews()).map((w) => w.title || w.documentTitle);
    assert.deepEqual(titles.filter((t) => t.startsWith('Preview: ')).sort(), ['Preview: api', 'Preview: web']);

    // ... and its status bar item.
    const items = await waitFor(() => statusBarEntries(bridge), {
      until: (list) => list.some((e) => e.text === `api :${apiPreview.port}`) && list.some((e) => e.text === `web :${webPreview.port}`),
      what: 'a status bar item per preview',
    });
    assert.equal(items.filter((e) => /^(api|web)\b/.test(e.text)).length, 2);
    await clearNotifications();
    await bridge.screenshot('two-previews');
  });

  it('acceptance 6: with two running, Stop Preview asks which; Start again restarts only the stopped one', async function () {
    this.timeout(60_000);
    bridge = bridgeOrSkip(this);
    const before = { api: await waitForPreview(api, named('api'), 'ready'), web: await waitForPreview(api, named('web'), 'ready') };
    const stopping = vscode.commands.executeCommand('previewHost.stop');
    const pick = await waitForQuickPick(bridge, 'Stop which preview?');
    assert.deepEqual(pick.items.map((i) => i.label).sort(), ['api', 'web']);
    await pickQuickPickItem(bridge, 'api');
    await stopping;
    await waitForPreview(api, named('api'), 'stopped');
    assert.equal(api.previews().find(named('web'))?.state, 'ready', 'web keeps running');
    await waitFor(() => groupMembers(before.api.pid!).length === 0, { what: "api's tree (sh, node) to end" });

    await vscode.commands.executeCommand('previewHost.start');
    const again = await waitForPreview(api, (p) => p.name === 'api' && p.id !== before.api.id, 'ready');
    assert.notEqual(again.pid, before.api.pid);
    assert.equal(api.previews().find(named('web'))?.id, before.web.id, 'web was not restarted');
  });

  it('acceptance 6: closing the window (deactivate) stops both process trees', async function () {
    this.timeout(60_000);
    const running = api.previews().filter((p) => p.state === 'ready');
    assert.deepEqual(running.map((p) => p.name).sort(), ['api', 'web']);
    const members = running.flatMap((p) => groupMembers(p.pid!));
    assert.ok(members.length >= 3, `expected sh + node for api and node for web: ${members.map(commandLine).join('; ')}`);

    // What VS Code calls when the window closes. (When the extension host just exits, as it does
    // after this run, a process 'exit' handler kills the groups: the launcher fails the run if any
    // process the tests started outlives it.)
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const main = path.join(ext.extensionPath, ext.packageJSON.main as string);
    // require, not import(): the very module instance VS Code loaded, whose state holds the previews.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const extensionModule = require(main) as { deactivate(): Promise<void> };
    const started = Date.now();
    await extensionModule.deactivate();
    const took = Date.now() - started;
    const left = members.filter(isRunning);
    assert.deepEqual(left, [], `still running after deactivate: ${left.map((p) => `${p} ${commandLine(p)}`).join('; ')}`);
    // "web" ignores SIGTERM and stopGraceMs is 10 s: deactivate kills it before VS Code's ~5 s are up.
    assert.ok(took < 5000, `deactivate took ${took} ms; VS Code gives it about 5 s`);
    console.log(`      deactivate stopped both trees in ${took} ms`);
    for (const p of running) assert.equal(api.previews().find((x) => x.id === p.id)?.state, 'stopped');
  });
});
