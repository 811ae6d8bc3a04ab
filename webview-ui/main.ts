/** Entry point of the terminal page (bundled by esbuild to dist/webview/main.js + main.css). */
import './styles.css';
import { CONFIG_ELEMENT_ID, isTerminalConfig, type TerminalConfig } from '../src/shared/webviewProtocol';
import { TerminalApp } from './app';
import { createBridge } from './bridge';

/** The config from `<script type="application/json" id="preview-host-config">` or `#app[data-config]`. */
function readConfig(): TerminalConfig | string {
  const raw = document.getElementById(CONFIG_ELEMENT_ID)?.textContent ?? document.getElementById('app')?.dataset.config;
  if (!raw) return `no config: expected <script type="application/json" id="${CONFIG_ELEMENT_ID}">`;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return `config is not JSON: ${(err as Error).message}`;
  }
  return isTerminalConfig(value) ? value : `config lacks streamUrl, token, previewId or mode: ${raw.slice(0, 200)}`;
}

function main(): void {
  const mount = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  const config = readConfig();
  if (typeof config === 'string') {
    const p = document.createElement('p');
    p.className = 'fatal';
    p.textContent = `Preview Host terminal: ${config}`;
    mount.replaceChildren(p);
    return;
  }
  new TerminalApp(mount, config, createBridge(config.mode)).start();
}

main();
