// Acceptance 7 of issue 5: the FastAPI fixture opened in restricted mode (workspace trust on, the
// folder not trusted). Under @vscode/test-electron's desktop runs trust is always off: skipped there.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PreviewHostApi } from '../../../src/extension/extension';
import { bridgeOrSkip, clickNotificationButton, notifications, previewHostApi, requireSetup, underLauncher, workspaceIs } from './helpers';
import { waitFor } from './waitFor';

describe('Untrusted workspace', function () {
  let api: PreviewHostApi;

  before(async function () {
    requireSetup(this, 'untrusted', workspaceIs('fastapi-app'), 'the fastapi-app workspace');
    // Desktop runs always disable workspace trust: nothing to test there. The launcher keeps it on for this group.
    if (!underLauncher()) this.skip();
    requireSetup(
      this,
      'untrusted',
      !vscode.workspace.isTrusted,
      'workspace trust on (PREVIEW_HOST_WORKSPACE_TRUST=1) and the folder untrusted',
    );
    api = await previewHostApi();
  });

  it('acceptance 7: Start Preview refuses to run the workspace command and says why', async function () {
    const bridge = bridgeOrSkip(this);
    assert.equal(vscode.workspace.isTrusted, false);
    const starting = vscode.commands.executeCommand('previewHost.start');
    const toasts = await waitFor(() => notifications(bridge), {
      until: (list) => list.some((n) => n.message.includes('untrusted')),
      what: 'the notification about the untrusted workspace',
    });
    const toast = toasts.find((n) => n.message.includes('untrusted'))!;
    assert.equal(
      toast.message,
      'Preview Host does not run commands from an untrusted workspace: a dev server runs code from this folder. Trust the workspace to start a preview.',
    );
    assert.deepEqual(toast.buttons, ['Manage Workspace Trust']);
    await new Promise((r) => setTimeout(r, 1000)); // time enough to have started something, were it to
    assert.deepEqual(api.previews(), [], 'nothing was started');
    await bridge.screenshot('untrusted-refused');

    // The button leads to where trust is granted.
    await clickNotificationButton(bridge, 'untrusted', 'Manage Workspace Trust');
    await starting;
    await waitFor(() => bridge.evalInPage<string>(`() => document.querySelector('.tab.active .label-name')?.textContent || ''`), {
      until: (tab) => tab === 'Workspace Trust',
      what: 'the Workspace Trust editor',
    });
    assert.equal(vscode.workspace.isTrusted, false, 'the extension does not trust the folder by itself');
  });
});
