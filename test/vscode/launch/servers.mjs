// Starts one of the two fronts of the VS Code build installed by .ci/install-vscode-server.sh:
// the bare VS Code server, or code-server's own front (which adds the /proxy/<port>/ route).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { watchTree } from './processTree.mjs';

export const FRONTS = /** @type {const} */ (['server', 'code-server']);
export const CODE_SERVER_VERSION = '4.100.3';

/** The install's `package/` directory: $CODE_SERVER_DIR, else where the install script caches it. */
export function resolveCodeServerDir() {
  const cache = process.env.PREVIEW_HOST_CACHE || path.join(os.homedir(), '.cache', 'preview-host');
  const dir = process.env.CODE_SERVER_DIR || path.join(cache, `code-server-${CODE_SERVER_VERSION}`, 'package');
  if (!existsSync(path.join(dir, 'lib/vscode/out/server-main.js'))) {
    throw new Error(
      `launcher: no VS Code server build in ${dir} (CODE_SERVER_DIR=${process.env.CODE_SERVER_DIR ?? 'unset'}). ` +
        'Install it with .ci/install-vscode-server.sh, or set VSCODE_EXECUTABLE to a desktop VS Code.',
    );
  }
  return dir;
}

/** Keeps the last `max` lines written to it. */
class LineTail {
  /** @param {number} max */
  constructor(max) {
    this.max = max;
    /** @type {string[]} */
    this.lines = [];
    this.partial = '';
  }
  /** @param {string} text */
  push(text) {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }
  toString() {
    return [...this.lines, this.partial].join('\n').trimEnd();
  }
}

/**
 * @typedef {object} RunningServer
 * @property {string} origin e.g. http://127.0.0.1:41234
 * @property {number} pid leader of the server's process group
 * @property {() => string} logTail the last lines of its stdout and stderr
 * @property {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} exited
 * @property {(timeoutMs: number) => Promise<boolean>} extensionHostsExited waits for the running extension hosts to exit
 * @property {() => Promise<import('./processTree.mjs').ProcessInfo[]>} stop kills the whole tree; resolves with strays
 */

/**
 * Spawns the server on a free loopback port and resolves once it listens.
 * @param {object} o
 * @param {'server' | 'code-server'} o.front
 * @param {string} o.codeServerDir
 * @param {string} o.dataDir an empty directory this run owns
 * @param {string} o.extensionsDir
 * @param {boolean} o.disableWorkspaceTrust
 * @param {NodeJS.ProcessEnv} o.env the server's env; the extension host inherits it
 * @param {boolean} o.verbose stream the server's output
 * @param {number} [o.startTimeoutMs]
 * @returns {Promise<RunningServer>}
 */
export async function startServer(o) {
  await mkdir(o.extensionsDir, { recursive: true }); // the server only creates its last segment
  const { command, ready } = o.front === 'server' ? await bareServer(o) : await codeServerFront(o);
  const child = spawn(process.execPath, command, {
    cwd: o.dataDir,
    env: o.env,
    detached: true, // own process group, so stop() reaches the extension host and its children
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tree = watchTree(/** @type {number} */ (child.pid));
  const tail = new LineTail(300);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`launcher: the ${o.front} front did not listen within ${o.startTimeoutMs ?? 60000} ms`)),
      o.startTimeoutMs ?? 60000,
    );
    let listening = false;
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      const text = chunk.toString();
      tail.push(text);
      // stderr: the launcher's stdout carries the tests' output only.
      if (o.verbose) process.stderr.write(text.replace(/^(?=.)/gm, `[${o.front}] `));
      const m = listening ? null : ready.exec(tail.toString());
      if (m) {
        listening = true;
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`launcher: the ${o.front} front exited before listening (code ${code}, signal ${signal})`));
    });
  }).catch(async (err) => {
    await tree.stop({ graceMs: 500 });
    err.message += `\n--- ${o.front} output ---\n${tail}`;
    throw err;
  });
  const pid = /** @type {number} */ (child.pid);
  return {
    origin: `http://127.0.0.1:${port}`,
    pid,
    logTail: () => tail.toString(),
    exited,
    extensionHostsExited: (timeoutMs) => tree.extensionHostsExited(timeoutMs),
    stop: () => tree.stop(),
  };
}

/** @param {Parameters<typeof startServer>[0]} o */
async function bareServer(o) {
  const command = [
    path.join(o.codeServerDir, 'lib/vscode/out/server-main.js'),
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--without-connection-token',
    '--accept-server-license-terms',
    '--disable-telemetry',
    '--server-data-dir',
    path.join(o.dataDir, 'server-data'),
    '--extensions-dir',
    o.extensionsDir,
  ];
  if (o.disableWorkspaceTrust) command.push('--disable-workspace-trust');
  // No --disable-extensions: the server ignores it ("not supported for server"); a fresh
  // --extensions-dir holds none anyway.
  return { command, ready: /Extension host agent listening on (\d+)/ };
}

/** @param {Parameters<typeof startServer>[0]} o */
async function codeServerFront(o) {
  // Without --config it would write ~/.config/code-server/config.yaml.
  const config = path.join(o.dataDir, 'config.yaml');
  await writeFile(config, 'auth: none\ncert: false\n');
  const command = [
    path.join(o.codeServerDir, 'out/node/entry.js'),
    '--auth',
    'none',
    '--bind-addr',
    '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--ignore-last-opened',
    '--user-data-dir',
    path.join(o.dataDir, 'user-data'),
    '--extensions-dir',
    o.extensionsDir,
    '--config',
    config,
  ];
  if (o.disableWorkspaceTrust) command.push('--disable-workspace-trust');
  return { command, ready: /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/ };
}
