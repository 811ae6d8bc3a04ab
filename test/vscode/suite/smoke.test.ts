// Checks the harness itself: the extension loads in a real VS Code, a webview runs its script,
// and (under the launcher) the bridge reads the webview's DOM and screenshots the workbench.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { testBridge, testFront } from '../bridge';
import { bridgeOrSkip } from './helpers';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'preview-host.preview-host';
const MARKER = 'preview-host smoke marker';

describe('harness smoke', () => {
  it('loads and activates the extension under development, in the fixture workspace', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not among the loaded extensions`);
    await ext.activate();
    assert.equal(ext.isActive, true);
    assert.ok(vscode.workspace.workspaceFolders?.length, 'no workspace folder is open');
  });

  it('gives the extension host the bridge when it runs under the launcher', async function () {
    if (vscode.env.uiKind !== vscode.UIKind.Web) this.skip(); // desktop VS Code: no launcher, no bridge
    const bridge = testBridge();
    assert.ok(bridge, 'PREVIEW_HOST_TEST_BRIDGE did not reach the extension host');
    const info = await bridge.info();
    assert.equal(info.front, testFront());
  });

  describe('a webview panel', () => {
    let panel: vscode.WebviewPanel;
    const messages: unknown[] = [];

    before(() => {
      panel = vscode.window.createWebviewPanel('previewHostSmoke', 'Smoke Panel', vscode.ViewColumn.One, { enableScripts: true });
      panel.webview.onDidReceiveMessage((m) => messages.push(m));
      const nonce = randomBytes(16).toString('base64');
      panel.webview.html = `<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'">
<title>smoke document</title></head>
<body style="font: 20px sans-serif"><h1 id="marker">${MARKER}</h1><button id="poke">Poke</button>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
vscode.postMessage({ type: 'ready', hasEventSource: typeof EventSource === 'function' });
document.getElementById('poke').addEventListener('click', () => vscode.postMessage({ type: 'poked' }));
</script>
</body></html>`;
    });

    after(() => panel.dispose());

    it('runs its script, which posts a message back', async () => {
      await waitFor(() => messages.length > 0, { what: 'a message from the webview' });
      assert.deepEqual(messages[0], { type: 'ready', hasEventSource: true });
    });

    it('can be read and screenshotted through the bridge', async function () {
      const bridge = bridgeOrSkip(this);
      const text = await waitFor(() => bridge.evalInWebview<string>('document.body.textContent', { titleContains: 'Smoke Panel' }), {
        until: (t) => t.includes(MARKER),
        what: 'the marker in the webview',
      });
      assert.match(text, new RegExp(MARKER));
      const file = await bridge.screenshot('smoke-panel');
      assert.ok(statSync(file).size > 1000, `screenshot ${file} is nearly empty`);
    });

    it('can be clicked through the bridge, like a person would', async function () {
      const bridge = bridgeOrSkip(this);
      await bridge.clickInWebview('#poke', { titleContains: 'Smoke Panel' });
      await waitFor(() => messages.some((m) => (m as { type?: string }).type === 'poked'), { what: 'the click to reach the extension' });
      const tabs = await bridge.evalInPage<string[]>(`[...document.querySelectorAll('.tab .label-name')].map((e) => e.textContent)`);
      assert.ok(tabs.includes('Smoke Panel'), `editor tabs: ${JSON.stringify(tabs)}`);
    });
  });

  it('maps a loopback port with asExternalUri as the front expects', async () => {
    const server = http.createServer((_req, res) => res.end('hello from the extension host'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const external = await vscode.env.asExternalUri(vscode.Uri.parse(`http://127.0.0.1:${port}/`));
      const front = testFront();
      if (front === 'desktop') return; // desktop maps it to itself (or a tunnel): nothing to check
      assert.match(external.toString(true), new RegExp(`/proxy/${port}/$`));
      if (front === 'code-server') {
        // The remote case: code-server's own front serves /proxy/<port>/.
        const res = await fetch(external.toString(true));
        assert.equal(await res.text(), 'hello from the extension host');
      }
    } finally {
      server.close();
    }
  });
});
