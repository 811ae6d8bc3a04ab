// Port collisions (issue 9, acceptance 3): a port the host chose that is taken by the time the app
// binds is retried once on a new port; a port the user fixed that is taken fails at once, naming it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../src/host/ports';
import type { Preview } from '../../src/host/preview';
import { PreviewManager } from '../../src/host/previewManager';
import type { StatusEvent } from '../../src/shared/protocol';
import { CLI, REPO, ensureBuilt } from './helpers/build';
import { withDeadline } from './helpers/wait';

// Binds $PORT the way Express's app.listen(port) does (no host: every address) and, like Express,
// dies of the unhandled EADDRINUSE error when the port is taken.
const SERVER = `const http = require('http');
const port = Number(process.env.PORT);
http.createServer((req, res) => res.end('ok from ' + port)).listen(port, () => console.log('listening on port ' + port));
`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-port-retry-'));
const script = path.join(dir, 'server.js');
fs.writeFileSync(script, SERVER);

/** Another program on a port: listening on every address, as a second dev server would be. */
function holdPort(port = 0): Promise<net.Server & { port: number }> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen({ port }, () => resolve(Object.assign(server, { port: (server.address() as net.AddressInfo).port })));
  });
}

/** Resolves with the first status for which `done` holds (checked on every state change). */
function until(
  preview: Preview,
  what: string,
  done: (s: StatusEvent) => boolean,
  timeoutMs: number,
  seen: StatusEvent[],
): Promise<StatusEvent> {
  const hit = seen.find(done);
  if (hit) return Promise.resolve(hit);
  let sub: { dispose(): void } | undefined;
  const hitLater = new Promise<StatusEvent>((resolve) => {
    sub = preview.onDidChangeState((s) => done(s) && resolve(s));
  });
  return withDeadline(
    hitLater,
    timeoutMs,
    () => `no ${what} within ${timeoutMs} ms; states: ${describeStates(seen)}\nlog:\n${logText(preview)}`,
  ).finally(() => sub?.dispose());
}

function describeStates(seen: StatusEvent[]): string {
  return seen.map((s) => s.state + (s.appUrl ? ` (${s.appUrl})` : '')).join(' → ') || '(none)';
}

function logText(preview: Preview): string {
  return (
    preview.ring
      .slice(0)
      .map((l) => `  [${l.stream} ${l.level}] ${l.text}`)
      .join('\n') || '  (no lines)'
  );
}

/** Resolves once the preview's ring holds a line for which `match` holds (checked on every append). */
function ringLine(preview: Preview, match: (text: string) => boolean, what: string): Promise<void> {
  if (preview.ring.slice(0).some((l) => match(l.text))) return Promise.resolve();
  let sub: { dispose(): void } | undefined;
  const appended = new Promise<void>((resolve) => {
    sub = preview.ring.onDidAppend((lines) => lines.some((l) => match(l.text)) && resolve());
  });
  return withDeadline(appended, 5000, () => `no ${what} in the log within 5 s:\n${logText(preview)}`).finally(() => sub?.dispose());
}

describe('port collisions', function () {
  this.timeout(30_000);
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('a chosen port taken before the app binds: the app comes up on a new port after one retry, and the log says so', async () => {
    const busy = await holdPort();
    cleanups.push(() => new Promise((r) => busy.close(r)));
    const picked: number[] = [];
    const manager = new PreviewManager({
      pickPort: async () => {
        const port = picked.length === 0 ? busy.port : await findFreePort();
        picked.push(port);
        return port;
      },
    });
    cleanups.push(
      () => manager.dispose(),
      () => manager.stopAll(),
    );
    const seen: StatusEvent[] = [];
    manager.onDidChangeState(({ status }) => seen.push(status));
    const preview = await manager.start({ command: [process.execPath, script], cwd: dir, graceMs: 1000, readyTimeoutMs: 20_000 });
    // The end: ready after the retry, or any final state. (A probe may answer on the busy port before
    // the app dies of EADDRINUSE: the host then says ready, and starting again once it retries.)
    const end = await until(
      preview,
      'ready after a retry, or a final state',
      (s) => (s.state === 'ready' && picked.length >= 2) || ['failed', 'exited', 'stopped'].includes(s.state),
      20_000,
      seen,
    );

    const states = describeStates(seen);
    const early = seen.filter((s) => s.state === 'ready' && s !== end);
    if (early.length) console.log(`      note: ready on the busy port first, before the retry: ${states}`);
    assert.equal(end.state, 'ready', `states: ${states}; reason: ${end.reason}\nlog:\n${logText(preview)}`);
    assert.equal(
      picked.length,
      2,
      `pickPort was called ${picked.length} time(s) (${picked.join(', ')}); expected the busy port, then one retry\nlog:\n${logText(preview)}`,
    );
    const [first, second] = picked;
    assert.equal(first, busy.port);
    assert.ok(end.appUrl, `the ready status has no appUrl: ${JSON.stringify(end)}`);
    assert.equal(
      Number(new URL(end.appUrl).port),
      second,
      `ready on ${end.appUrl}, expected port ${second} (the busy one was ${first}); states: ${states}`,
    );
    assert.equal(preview.info().appUrl, end.appUrl, "the preview's info carries the same appUrl");
    assert.equal(preview.appPort, second, 'appPort is the port the app really got');
    assert.ok(!seen.some((s) => s.state === 'failed'), `no failed state on the way: ${states}`);

    const lines = preview.ring.slice(0).map((l) => l.text);
    assert.ok(
      lines.some((t) => /retr(y|ies|ying)/i.test(t) && t.includes(String(first))),
      `no log line says that port ${first} was in use and the app was retried (on ${second}); the log:\n${logText(preview)}`,
    );
    // Readiness comes from probing the port, and output is paced into the ring: the app's own line
    // may land just after `ready`.
    await ringLine(preview, (t) => t === `listening on port ${second}`, `the app's own "listening on port ${second}"`);
    const answer = await fetch(end.appUrl);
    assert.equal(await answer.text(), `ok from ${second}`);
  });

  it('a port the user fixed that is taken: failed at once, naming the port', async () => {
    const busy = await holdPort();
    cleanups.push(() => new Promise((r) => busy.close(r)));
    const manager = new PreviewManager({ pickPort: async () => assert.fail('the fixed port must be used, not a picked one') });
    cleanups.push(
      () => manager.dispose(),
      () => manager.stopAll(),
    );
    const seen: StatusEvent[] = [];
    manager.onDidChangeState(({ status }) => seen.push(status));
    const t0 = Date.now();
    const preview = await manager.start({ command: [process.execPath, script], cwd: dir, port: busy.port, graceMs: 1000 });
    const end = await until(preview, 'final state', (s) => ['failed', 'exited', 'stopped'].includes(s.state), 10_000, seen);
    const took = Date.now() - t0;
    const states = describeStates(seen);
    if (seen.some((s) => s.state === 'ready'))
      console.log(`      note: said ready (the busy port's owner answered) before failing: ${states}`);
    assert.equal(end.state, 'failed', `expected failed; states: ${states} (${JSON.stringify(end)})\nlog:\n${logText(preview)}`);
    assert.ok(took < 5000, `failed only after ${took} ms`);
    assert.match(end.reason ?? '', new RegExp(`\\b${busy.port}\\b`), `the reason names the port ${busy.port}`);
    assert.match(end.reason ?? '', /in use/i, 'the reason says the port is in use');
  });

  it('an app whose command binds a port of its own that is taken: failed at once naming that port, no retry on another', async () => {
    const busy = await holdPort();
    cleanups.push(() => new Promise((r) => busy.close(r)));
    const own = path.join(dir, 'own-port.js');
    fs.writeFileSync(own, SERVER.replace('Number(process.env.PORT)', String(busy.port))); // like `uvicorn --port 8000`
    let picks = 0;
    const manager = new PreviewManager({
      pickPort: async () => (++picks === 1 ? findFreePort() : assert.fail('no retry: a new port of ours would not be used')),
    });
    cleanups.push(
      () => manager.dispose(),
      () => manager.stopAll(),
    );
    const seen: StatusEvent[] = [];
    manager.onDidChangeState(({ status }) => seen.push(status));
    const preview = await manager.start({ command: [process.execPath, own], cwd: dir, graceMs: 1000 });
    const end = await until(preview, 'final state', (s) => ['failed', 'exited', 'stopped'].includes(s.state), 10_000, seen);
    assert.equal(end.state, 'failed', `expected failed; states: ${describeStates(seen)}\nlog:\n${logText(preview)}`);
    assert.match(
      end.reason ?? '',
      new RegExp(`^port ${busy.port} is already in use`),
      `the reason names the app's own port ${busy.port}: ${end.reason}`,
    );
    await ringLine(preview, (t) => t.includes('the app chose that port itself'), 'the host line saying why there is no retry');
  });

  it('CLI: --port N while N is taken → a failed status naming the port, well before the ready timeout', async function () {
    this.timeout(60_000);
    ensureBuilt();
    const busy = await holdPort();
    cleanups.push(() => new Promise((r) => busy.close(r)));
    const args = [
      CLI,
      'run',
      '--json',
      '--no-history',
      '--port',
      String(busy.port),
      '--grace',
      '1000',
      '--cwd',
      dir,
      '--',
      process.execPath,
      'server.js',
    ];
    const child = spawn(process.execPath, args, { cwd: REPO });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    });
    const t0 = Date.now();
    const transcript = () => `\`node ${args.slice(0, -2).join(' ')} node server.js\`\n--- stdout:\n${stdout}\n--- stderr:\n${stderr}`;
    const final = new Promise<Record<string, string>>((resolve, reject) => {
      const check = () => {
        for (const line of stdout.split('\n').slice(0, -1)) {
          const obj = JSON.parse(line);
          if (obj.event === 'status' && ['failed', 'exited', 'stopped'].includes(obj.state)) {
            resolve({ ...obj, transcript: transcript() });
            return;
          }
        }
      };
      child.stdout.setEncoding('utf8').on('data', (c: string) => ((stdout += c), check()));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      child.on('exit', () => setImmediate(() => (check(), reject(new Error(`the CLI exited without a final status\n${transcript()}`)))));
    });
    const status = await withDeadline(final, 10_000, () => `no failed/exited status within 10 s\n${transcript()}`);
    const took = Date.now() - t0;
    assert.equal(status.state, 'failed', `expected failed:\n${status.transcript}`);
    assert.ok(took < 5000, `failed only after ${took} ms`);
    assert.match(
      status.reason ?? '',
      new RegExp(`\\b${busy.port}\\b.*in use|in use.*\\b${busy.port}\\b`, 'i'),
      `the reason names port ${busy.port} as in use:\n${status.transcript}`,
    );
  });
});
