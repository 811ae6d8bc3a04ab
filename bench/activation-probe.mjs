// One fresh process's view of the extension's start-up, for bench/activation.mjs and
// test/unit/activation.test.ts: `require(entry)` with `vscode` stubbed, timed; then, if asked,
// activate() with a fake ExtensionContext and one command run, listing the modules each step loaded.
//
//   node bench/activation-probe.mjs <entry> [--activate] [--command <id>]
//   node --require tsx/cjs bench/activation-probe.mjs src/extension/extension.ts --activate --command previewHost.start
//
// Prints one JSON object: { requireMs, requireCpuMs, activateMs?, commandMs?, loaded: { required, activated?, commanded? }, ... }.
// `loaded` lists require.cache's files relative to the repository (node_modules/… for packages).
import { mkdtempSync, rmSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const [entryArg, ...flags] = process.argv.slice(2);
if (!entryArg) {
  console.error('usage: activation-probe.mjs <entry> [--activate] [--command <id>]');
  process.exit(2);
}
const entry = path.resolve(root, entryArg);
const commandId = flags.includes('--command') ? flags[flags.indexOf('--command') + 1] : undefined;

/** What the stubbed VS Code saw: the extension's commands, status bar items and messages. */
const seen = { commands: new Map(), statusBarItems: [], messages: [] };
const disposable = { dispose() {} };

class EventEmitter {
  listeners = new Set();
  event = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value) {
    for (const l of this.listeners) l(value);
  }
  dispose() {
    this.listeners.clear();
  }
}

const uri = (fsPath) => ({ scheme: 'file', fsPath, path: fsPath, toString: () => `file://${fsPath}` });
const message = (kind) => async (text) => {
  seen.messages.push({ kind, text });
  return undefined;
};
const vscode = {
  EventEmitter,
  StatusBarAlignment: { Left: 1, Right: 2 },
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
  ThemeColor: class {
    constructor(id) {
      this.id = id;
    }
  },
  Uri: { file: uri, parse: (s) => uri(s) },
  window: {
    createOutputChannel: () => ({ ...disposable, trace() {}, debug() {}, info() {}, warn() {}, error() {}, appendLine() {} }),
    createStatusBarItem: (id) => {
      const item = { id, show() {}, hide() {}, dispose() {} };
      seen.statusBarItems.push(item);
      return item;
    },
    showErrorMessage: message('error'),
    showWarningMessage: message('warning'),
    showInformationMessage: message('information'),
  },
  commands: {
    registerCommand: (id, run) => {
      seen.commands.set(id, run);
      return { dispose: () => seen.commands.delete(id) };
    },
    executeCommand: async () => undefined,
  },
  // Untrusted: the first command loads the host and then refuses to run anything.
  workspace: { isTrusted: false, workspaceFolders: undefined, getConfiguration: () => ({ get: (_key, fallback) => fallback }) },
  languages: { createDiagnosticCollection: () => ({ ...disposable, set() {}, delete() {}, clear() {} }) },
};

const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

/** require.cache's files in load order: repository-relative, or node_modules/<package>/… (node_modules may be a link). */
function loaded() {
  return Object.keys(require.cache).map((file) => {
    const posix = file.split(path.sep).join('/');
    const inPackages = posix.indexOf('/node_modules/');
    return inPackages >= 0 ? posix.slice(inPackages + 1) : path.relative(root, file).split(path.sep).join('/');
  });
}

function memento() {
  const values = new Map();
  return {
    get: (key, fallback) => (values.has(key) ? values.get(key) : fallback),
    update: async (key, value) => void values.set(key, value),
    keys: () => [...values.keys()],
  };
}

const result = { entry: entryArg, loaded: {} };
let start = performance.now();
const cpu = process.cpuUsage();
const extension = require(entry);
result.requireMs = performance.now() - start;
// CPU time too: on a busy machine the wall time mostly measures waiting for a core.
const used = process.cpuUsage(cpu);
result.requireCpuMs = (used.user + used.system) / 1000;
result.loaded.required = loaded();

const scratch = mkdtempSync(path.join(os.tmpdir(), 'preview-host-probe-'));
try {
  if (flags.includes('--activate') || commandId) {
    const extensionDir = path.dirname(path.dirname(entry)); // dist/extension.js or src/extension/extension.ts
    const context = {
      subscriptions: [],
      globalState: memento(),
      workspaceState: memento(),
      extensionPath: extensionDir,
      extensionUri: uri(extensionDir),
      globalStorageUri: uri(scratch),
      storageUri: undefined,
      asAbsolutePath: (p) => path.join(extensionDir, p),
    };
    start = performance.now();
    const api = await extension.activate(context);
    result.activateMs = performance.now() - start;
    result.loaded.activated = loaded();
    result.commands = [...seen.commands.keys()];
    result.statusBarItems = seen.statusBarItems.map((i) => i.id);
    result.previewsBeforeCommand = api.previews();
    if (commandId) {
      const run = seen.commands.get(commandId);
      if (!run) throw new Error(`activate() registered no command ${commandId}; it registered ${result.commands.join(', ')}`);
      start = performance.now();
      await run();
      result.commandMs = performance.now() - start;
      result.loaded.commanded = loaded();
      result.messages = seen.messages;
    }
    await extension.deactivate?.();
    for (const d of context.subscriptions) d.dispose();
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(result)}\n`);
