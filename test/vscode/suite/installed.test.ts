// Acceptance 8 of issue 5: the .vsix that `npm run package` built, installed into the VS Code build
// with --install-extension (runTests.ts does both), activates and runs a preview from its own
// bundle. Only in that run (PREVIEW_HOST_INSTALLED_FROM names the extensions dir), on static-site.
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { PreviewHostApi } from '../../../src/extension/extension';
import {
  EXTENSION_ID,
  bridgeOrSkip,
  clearNotifications,
  httpGet,
  requireSetup,
  stopAll,
  waitForPanelText,
  waitForPreview,
  workspaceIs,
} from './helpers';

const installedFrom = process.env.PREVIEW_HOST_INSTALLED_FROM;

describe('Installed .vsix', function () {
  before(function () {
    requireSetup(this, 'installed', workspaceIs('static-site'), 'the static-site workspace');
    requireSetup(this, 'installed', installedFrom !== undefined, 'an installed .vsix (PREVIEW_HOST_INSTALLED_FROM)');
  });

  it('acceptance 8: the packaged extension installed with --install-extension activates and runs a preview', async function () {
    this.timeout(60_000);
    const ext = vscode.extensions.getExtension<PreviewHostApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    // From the extensions dir the .vsix went into, not from the repository.
    assert.ok(ext.extensionPath.startsWith(installedFrom! + path.sep), `loaded from ${ext.extensionPath}`);
    assert.equal(path.basename(ext.extensionPath), `${EXTENSION_ID}-${ext.packageJSON.version}`);
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal(typeof api.previews, 'function', 'activate returns the API');
    const commands = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('previewHost.')).sort();
    assert.deepEqual(commands, [
      'previewHost.clearLogs',
      'previewHost.find',
      'previewHost.openInBrowser',
      'previewHost.restart',
      'previewHost.showHistory',
      'previewHost.showLogs',
      'previewHost.start',
      'previewHost.stop',
    ]);

    // Issue 12: activation loaded the entry only; the host's bundle comes with the first command.
    // (These tests run in the extension host that loaded the extension: require.cache is its own.)
    const dist = path.join(realpathSync(ext.extensionPath), 'dist'); // require.cache holds real paths
    const runtimeBundle = path.join(dist, 'hostRuntime.js');
    const loadedBundles = () => Object.keys(require.cache).filter((f) => f.startsWith(dist + path.sep));
    assert.deepEqual(loadedBundles(), [path.join(dist, 'extension.js')], 'activation loaded more than the entry');

    // The packaged CLI serves the static site; the packaged webview shows its lines.
    const bridge = bridgeOrSkip(this);
    await vscode.commands.executeCommand('previewHost.start');
    assert.ok(loadedBundles().includes(runtimeBundle), `Start Preview did not load ${runtimeBundle}`);
    const preview = await waitForPreview(api, (p) => p.name === 'static-site', 'ready');
    assert.equal(preview.command[1], path.join(ext.extensionPath, 'dist', 'cli.js'));
    const page = await httpGet(`http://127.0.0.1:${preview.port}/`);
    assert.match(page.text, /Static site fixture/);
    await waitForPanelText(
      bridge,
      'Preview: static-site',
      `Serving ${vscode.workspace.workspaceFolders![0].uri.fsPath} at http://127.0.0.1:${preview.port}/`,
    );
    await waitForPanelText(bridge, 'Preview: static-site', '"GET / HTTP/1.1" 200');
    await clearNotifications();
    await bridge.screenshot('installed-vsix');
    await stopAll(api);
  });
});
