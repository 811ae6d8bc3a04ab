#!/usr/bin/env node
// A stand-in for the VS Code executable that @vscode/test-electron's runTests spawns, for machines
// with no desktop VS Code: it runs the VS Code 1.100.3 server from the npm package code-server
// (.ci/install-vscode-server.sh) and its web workbench in Debian's Chromium, runs the extension
// tests there and exits with their exit code — or 1 when a process the tests started outlives the
// extension host (which exits after the tests, as a closing window's does). See
// ../shared/docs/vscode-tests-offline.md.
//
// Env:
//   PREVIEW_HOST_FRONT              server (default: the bare VS Code server) | code-server (its
//                                   front with the /proxy/<port>/ route: the remote case)
//   CODE_SERVER_DIR                 the install's package/ dir (default: the install script's cache)
//   PREVIEW_HOST_CHROMIUM           default /usr/bin/chromium
//   PREVIEW_HOST_TEST_TIMEOUT_MS    the whole run, default 600000; then exit 124
//   PREVIEW_HOST_TEST_OUTPUT        default <repo>/test-output (screenshots go to screenshots/<front>/)
//   PREVIEW_HOST_TEST_VERBOSE=1     stream the server's output and the page's warnings and errors
//   PREVIEW_HOST_WORKSPACE_TRUST=1  keep workspace trust on (runTests always asks to disable it)
//   PREVIEW_HOST_TEST_REPORT        a file to which a failed run appends why (runTests shows it in
//                                   its summary, the part of a long CI log that is always read)
// The extension host inherits the server's env, to which this adds PREVIEW_HOST_TEST_BRIDGE (the
// bridge's URL with its token, see launch/bridgeServer.mjs) and PREVIEW_HOST_TEST_FRONT.
import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import util from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../chromium.mjs';
import { parseLaunchArgs } from './launch/args.mjs';
import { startBridge } from './launch/bridgeServer.mjs';
import { FRONTS, resolveCodeServerDir, startServer } from './launch/servers.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const verbose = process.env.PREVIEW_HOST_TEST_VERBOSE === '1';
const log = (/** @type {string} */ message) => process.stderr.write(`[launcher] ${message}\n`);
const started = Date.now();
const trace = (/** @type {string} */ message) => verbose && log(`${message} (+${Date.now() - started} ms)`);

/** What this run owns; finish() releases it. */
const owned = {
  /** @type {string | undefined} */ dataDir: undefined,
  /** @type {import('playwright-core').Browser | undefined} */ browser: undefined,
  /** @type {{ close: () => Promise<void> } | undefined} */ bridge: undefined,
  /** @type {import('./launch/servers.mjs').RunningServer | undefined} */ server: undefined,
};
/** The page's last errors, shown when the run fails. */
const pageErrors = /** @type {string[]} */ ([]);
/** What the bridge's GET /info returns. */
const bridgeInfo = /** @type {{ front?: string, origin?: string }} */ ({});
let finishing = false;

/** Stops everything (page first, so the workbench's reconnect noise never starts) and exits. */
async function finish(/** @type {number} */ code, /** @type {string | undefined} */ reason) {
  if (finishing) return;
  finishing = true;
  if (reason) log(reason);
  /** Why this run failed, for the summary (PREVIEW_HOST_TEST_REPORT). */
  const why = /** @type {string[]} */ (code !== 0 && reason ? [reason] : []);
  trace(`finishing with exit code ${code}`);
  const step = async (/** @type {string} */ name, /** @type {() => Promise<unknown>} */ run) => {
    await Promise.race([
      run().catch((err) => log(`clean-up "${name}" failed: ${err?.message ?? err}`)),
      new Promise((r) => setTimeout(r, 10000).unref()),
    ]);
    trace(`${name}: done`);
  };
  const { browser, bridge, server, dataDir } = owned;
  // After the tests the extension host exits by itself (as desktop VS Code's window closes): what
  // the extensions started must be gone by then. So wait for that before tearing anything down.
  if (server && code === 0) {
    await step('wait for the extension host to exit', async () => {
      if (!(await server.extensionHostsExited(8000))) log('the extension host was still running 8 s after the tests');
    });
  }
  if (browser) await step('close chromium', () => browser.close());
  if (bridge) await step('close bridge', () => bridge.close());
  if (server) {
    await step('stop server', async () => {
      const strays = await server.stop();
      for (const p of strays) log(`stopped a process the tests left running: ${p.pid} ${p.command}`);
      // A preview outliving the window is a bug of the extension (or of a test): fail the run.
      if (strays.length > 0 && code === 0) {
        code = 1;
        log(`failing the run: ${strays.length} process(es) started during the tests outlived the extension host`);
        why.push(`left running after the extension host: ${strays.map((p) => `${p.pid} ${p.command}`).join('; ')}`);
      }
    });
  }
  if (dataDir) await step('remove data dir', () => rm(dataDir, { recursive: true, force: true }));
  trace('all stopped');
  if (why.length > 0 && process.env.PREVIEW_HOST_TEST_REPORT) {
    appendFileSync(process.env.PREVIEW_HOST_TEST_REPORT, why.map((w) => `launcher: ${w}\n`).join(''));
  }
  if (code !== 0) {
    if (server && !verbose) process.stderr.write(`--- ${bridgeInfo.front} output (last lines) ---\n${server.logTail()}\n---\n`);
    if (pageErrors.length) process.stderr.write(`--- page errors (last ${pageErrors.length}) ---\n${pageErrors.join('\n')}\n---\n`);
  }
  process.exit(code);
}

async function main() {
  const args = parseLaunchArgs(process.argv.slice(2));
  const front = /** @type {'server' | 'code-server'} */ (process.env.PREVIEW_HOST_FRONT || 'server');
  if (!FRONTS.includes(front))
    throw new Error(`launcher: PREVIEW_HOST_FRONT must be one of ${FRONTS.join(', ')}, got ${JSON.stringify(front)}`);
  bridgeInfo.front = front;
  const codeServerDir = resolveCodeServerDir();
  const timeoutMs = Number(process.env.PREVIEW_HOST_TEST_TIMEOUT_MS || 600000);
  if (!(timeoutMs > 0))
    throw new Error(
      `launcher: PREVIEW_HOST_TEST_TIMEOUT_MS must be a positive number of ms, got ${JSON.stringify(process.env.PREVIEW_HOST_TEST_TIMEOUT_MS)}`,
    );
  setTimeout(() => finish(124, `timed out after ${timeoutMs} ms (PREVIEW_HOST_TEST_TIMEOUT_MS)`), timeoutMs).unref();

  owned.dataDir = await mkdtemp(path.join(os.tmpdir(), 'preview-host-vscode-'));

  const browser = await chromium.launch({
    executablePath: CHROMIUM_EXECUTABLE,
    args: CHROMIUM_ARGS,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  owned.browser = browser;
  trace('chromium is up');
  browser.on('disconnected', () => finish(1, 'chromium went away'));
  // 1280×800: a common laptop workbench, and screenshots small enough for the README.
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.on('crash', () => finish(1, 'the workbench page crashed'));
  page.on('pageerror', (err) => remember(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error' && msg.type() !== 'warning') return; // logs arrive via codeAutomationLog
    const text = msg.text().replace(/^%c\s*(\w+)\s+color: #\w+\s*/, '$1 '); // the workbench's styled prefix
    if (verbose) process.stderr.write(`[page ${msg.type()}] ${text}\n`);
    if (msg.type() === 'error') remember(text);
  });

  const bridge = await startBridge({
    page,
    screenshotDir: path.join(process.env.PREVIEW_HOST_TEST_OUTPUT || path.join(repoRoot, 'test-output'), 'screenshots', front),
    info: bridgeInfo,
  });
  owned.bridge = bridge;

  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, PREVIEW_HOST_TEST_BRIDGE: bridge.url, PREVIEW_HOST_TEST_FRONT: front };
  // A VS Code terminal's variables would make code-server hand the folder to that instance.
  for (const name of Object.keys(env)) if (name.startsWith('VSCODE_')) delete env[name];
  const server = await startServer({
    front,
    codeServerDir,
    dataDir: owned.dataDir,
    extensionsDir: args.extensionsDir ?? path.join(owned.dataDir, 'extensions'),
    disableWorkspaceTrust: args.disableWorkspaceTrust && process.env.PREVIEW_HOST_WORKSPACE_TRUST !== '1',
    env,
    verbose,
  });
  owned.server = server;
  trace(`the ${front} front listens at ${server.origin}`);
  bridgeInfo.origin = server.origin;
  server.exited.then(({ code, signal }) => finish(1, `the ${front} front exited during the run (code ${code}, signal ${signal})`));

  // The workbench calls these when it runs extension tests (the payload below asks it to).
  await page.exposeFunction('codeAutomationLog', (/** @type {string} */ _type, /** @type {unknown[]} */ logArgs) => {
    if (finishing) return;
    process.stdout.write(`${util.format(...(Array.isArray(logArgs) ? logArgs : [logArgs]))}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (/** @type {unknown} */ code) => {
    finish(typeof code === 'number' ? code : 1, code === 0 ? undefined : `the tests exited with code ${code}`);
  });
  await page.goto(workbenchUrl(server.origin, args), { waitUntil: 'domcontentloaded' });
  trace('the workbench page is loaded');
}

function remember(/** @type {string} */ line) {
  pageErrors.push(line);
  if (pageErrors.length > 50) pageErrors.shift();
}

/** The workbench URL that opens the workspace and runs the tests: the web twin of the CLI args. */
function workbenchUrl(/** @type {string} */ origin, /** @type {import('./launch/args.mjs').LaunchArgs} */ args) {
  const authority = new URL(origin).host;
  const remote = (/** @type {string} */ p) => `vscode-remote://${authority}${p}`;
  const payload = [
    ...args.extensionDevelopmentPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
    ['extensionTestsPath', remote(args.extensionTestsPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const url = new URL('/', origin);
  if (args.workspace) url.searchParams.set(args.workspace.kind, args.workspace.path);
  else url.searchParams.set('ew', 'true');
  url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT', 'SIGHUP'])) {
  process.on(signal, () => finish(signal === 'SIGINT' ? 130 : 143, `got ${signal}`));
}
// Our own errors ("launcher: ...") say what to do; anything else gets its stack.
main().catch((err) =>
  finish(1, String(err?.message).startsWith('launcher:') ? err.message.slice('launcher: '.length) : (err?.stack ?? String(err))),
);
