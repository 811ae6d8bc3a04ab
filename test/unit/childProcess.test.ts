import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChildProcessRunner, killProcessGroupSync, type ExitInfo, type SpawnRequest } from '../../src/host/childProcess';

const NODE = process.execPath;

// Fixture scripts, written once per run. Pid files are renamed into place so readers never see half.
// both.js waits 20 ms between its writes (real time, in the child) so stdout and stderr arrive as two reads.
const SCRIPTS: Record<string, string> = {
  'both.js': `process.stdout.write('out1\\n'); setTimeout(() => process.stderr.write('err1\\n'), 20);`,
  'env.js': `process.stdout.write(JSON.stringify({ given: process.env.PH_GIVEN, path: process.env.PATH }));`,
  'big.js': `process.stdout.write(Buffer.alloc(1024 * 1024, 120), () => process.exit(3));`,
  'forever.js': `setInterval(() => {}, 1000); process.stdout.write('up\\n');`,
  'parent.js': `
    const { spawn } = require('child_process');
    const fs = require('fs');
    const path = require('path');
    const dir = process.argv[2];
    fs.writeFileSync(dir + '/parent.pid.tmp', String(process.pid));
    fs.renameSync(dir + '/parent.pid.tmp', dir + '/parent.pid');
    spawn(process.execPath, [path.join(__dirname, 'worker.js'), dir], { stdio: 'inherit' });
    setInterval(() => {}, 1000);`,
  'worker.js': `
    const fs = require('fs');
    process.on('SIGTERM', () => {}); // stubborn: only SIGKILL ends it
    const dir = process.argv[2];
    fs.writeFileSync(dir + '/worker.pid.tmp', String(process.pid));
    fs.renameSync(dir + '/worker.pid.tmp', dir + '/worker.pid');
    setInterval(() => {}, 1000);`,
};

let scripts: string;
const runners: ChildProcessRunner[] = [];

function runner(command: string[], extra: { cwd?: string; env?: Record<string, string>; graceMs?: number } = {}): ChildProcessRunner {
  const r = new ChildProcessRunner({ command, cwd: extra.cwd ?? scripts, env: extra.env, graceMs: extra.graceMs ?? 1000 });
  runners.push(r);
  return r;
}

function collect(r: ChildProcessRunner): { stdout: Buffer[]; stderr: Buffer[]; errors: Error[]; exits: ExitInfo[]; order: string[] } {
  const seen = { stdout: [] as Buffer[], stderr: [] as Buffer[], errors: [] as Error[], exits: [] as ExitInfo[], order: [] as string[] };
  r.onStdout((chunk) => (seen.stdout.push(chunk), seen.order.push('stdout')));
  r.onStderr((chunk) => (seen.stderr.push(chunk), seen.order.push('stderr')));
  r.onError((err) => (seen.errors.push(err), seen.order.push('error')));
  r.onExit((info) => (seen.exits.push(info), seen.order.push('exit')));
  return seen;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Gone means no such process, or a zombie nobody reaped yet (PID 1 in containers may never reap). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
    throw err;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
}

async function waitFor<T>(what: string, get: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10)); // pid files and /proc states fire no events: poll them
  }
}

function readPid(file: string): number | undefined {
  try {
    return Number(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

describe('ChildProcessRunner', function () {
  this.timeout(8000);

  before(async () => {
    scripts = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ph-child-'));
    for (const [name, text] of Object.entries(SCRIPTS)) await fs.promises.writeFile(path.join(scripts, name), text);
  });

  afterEach(async () => {
    // A failed test must not leave process trees behind.
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });

  after(async () => {
    await fs.promises.rm(scripts, { recursive: true, force: true });
  });

  it('streams stdout and stderr chunks separately, then reports the exit', async () => {
    const r = runner([NODE, 'both.js']);
    const seen = collect(r);
    r.start();
    assert.deepEqual(await r.exited, { exitCode: 0, signal: null });
    assert.equal(Buffer.concat(seen.stdout).toString(), 'out1\n');
    assert.equal(Buffer.concat(seen.stderr).toString(), 'err1\n');
    assert.ok(Buffer.isBuffer(seen.stdout[0]));
    assert.deepEqual(seen.exits, [{ exitCode: 0, signal: null }]);
    assert.equal(seen.order.at(-1), 'exit');
  });

  it('keeps stdin open as a terminal would: `esbuild --watch` goes on watching instead of stopping at once', async () => {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ph-esbuild-watch-'));
    try {
      await fs.promises.writeFile(path.join(dir, 'app.js'), 'console.log(1);\n');
      // esbuild's install puts its native binary in place of the JavaScript launcher where it can.
      const esbuild = require.resolve('esbuild/bin/esbuild');
      const launcher = (await fs.promises.readFile(esbuild)).subarray(0, 2).toString() === '#!' ? [NODE, esbuild] : [esbuild];
      const r = runner([...launcher, 'app.js', '--bundle', '--outfile=out.js', '--watch'], { cwd: dir });
      const seen = collect(r);
      r.start();
      const deadline = Date.now() + 10_000;
      while (!Buffer.concat(seen.stderr).toString().includes('build finished') && seen.exits.length === 0 && Date.now() < deadline)
        await sleep(50);
      await sleep(500); // with stdin closed it says "stopped automatically" and exits within ~50 ms
      assert.deepEqual(seen.exits, [], Buffer.concat(seen.stderr).toString());
      assert.doesNotMatch(Buffer.concat(seen.stderr).toString(), /stopped automatically/);
      await r.stop();
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  });

  it('passes the given env on top of the inherited one', async () => {
    const r = runner([NODE, 'env.js'], { env: { PH_GIVEN: 'yes' } });
    const seen = collect(r);
    r.start();
    await r.exited;
    assert.deepEqual(JSON.parse(Buffer.concat(seen.stdout).toString()), { given: 'yes', path: process.env.PATH });
  });

  it('delivers every byte before onExit (1 MB, then exit code 3)', async () => {
    const r = runner([NODE, 'big.js']);
    let bytes = 0;
    let bytesAtExit = -1;
    r.onStdout((chunk) => (bytes += chunk.length));
    r.onExit(() => (bytesAtExit = bytes));
    r.start();
    assert.deepEqual(await r.exited, { exitCode: 3, signal: null });
    assert.equal(bytesAtExit, 1024 * 1024);
  });

  it('reports a missing command through onError, then onExit, without hanging', async () => {
    const r = runner(['ph-no-such-command-1234']);
    const seen = collect(r);
    r.start();
    assert.deepEqual(await r.exited, { exitCode: null, signal: null });
    assert.deepEqual(
      seen.errors.map((e) => e.message),
      ['command not found: ph-no-such-command-1234'],
    );
    assert.deepEqual(seen.order, ['error', 'exit']);
    assert.equal(r.pid, undefined);
    await r.stop();
  });

  it('reports a command that is not executable', async () => {
    const file = path.join(scripts, 'not-executable.sh');
    await fs.promises.writeFile(file, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    const r = runner([file]);
    const seen = collect(r);
    r.start();
    await r.exited;
    assert.deepEqual(
      seen.errors.map((e) => e.message),
      [`command is not executable: ${file}`],
    );
  });

  it('reports a working directory that does not exist or is a file', async () => {
    const missing = path.join(scripts, 'no-such-dir');
    const file = path.join(scripts, 'both.js');
    for (const [cwd, message] of [
      [missing, `working directory does not exist: ${missing}`],
      [file, `working directory is not a directory: ${file}`],
    ]) {
      const r = runner([NODE, '-v'], { cwd });
      const seen = collect(r);
      assert.doesNotThrow(() => r.start());
      assert.deepEqual(await r.exited, { exitCode: null, signal: null });
      assert.deepEqual(
        seen.errors.map((e) => e.message),
        [message],
      );
    }
  });

  it('rejects an empty command and a negative grace period up front', () => {
    assert.throws(() => new ChildProcessRunner({ command: [], cwd: scripts }), {
      message: 'invalid command: [] (expected the program, then its arguments)',
    });
    assert.throws(() => new ChildProcessRunner({ command: ['x'], cwd: scripts, graceMs: -1 }), {
      message: 'invalid graceMs: -1 (expected a number >= 0)',
    });
  });

  it('stop() kills the whole tree, SIGKILLing a worker that ignores SIGTERM after the grace period', async () => {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ph-tree-'));
    try {
      const r = runner(['sh', '-c', `node parent.js '${dir}'`], { graceMs: 1000 });
      const seen = collect(r);
      r.start();
      const workerPid = await waitFor('worker.pid', () => readPid(path.join(dir, 'worker.pid')));
      const parentPid = await waitFor('parent.pid', () => readPid(path.join(dir, 'parent.pid')));
      const shPid = r.pid!;
      assert.ok(!isGone(workerPid) && !isGone(parentPid) && !isGone(shPid));

      const t0 = Date.now();
      await r.stop();
      const elapsed = Date.now() - t0;
      assert.ok(elapsed >= 900, `resolved after ${elapsed} ms, before the grace period: the worker should have needed SIGKILL`);
      assert.ok(elapsed < 2000, `resolved after ${elapsed} ms, expected within grace + 1 s`);
      for (const [name, pid] of [
        ['sh', shPid],
        ['parent', parentPid],
        ['worker', workerPid],
      ] as const) {
        assert.ok(isGone(pid), `${name} (pid ${pid}) is still alive`);
      }
      assert.equal(seen.exits.length, 1, 'onExit fired before stop() resolved');
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  });

  it('stop() also kills what is left in the group after the direct child exited', async () => {
    // The background sleep keeps our stdout pipe open, so onExit waits for it too.
    const r = runner(['sh', '-c', 'sleep 1000 & echo $!; exit 0']);
    const seen = collect(r);
    r.start();
    const sleepPid = await waitFor('sleep pid', () => (seen.stdout.length ? Number(Buffer.concat(seen.stdout).toString()) : undefined));
    await waitFor('sh to exit', () => isGone(r.pid!));
    assert.equal(isGone(sleepPid), false);
    const t0 = Date.now();
    await r.stop();
    assert.ok(Date.now() - t0 < 900, 'sleep takes SIGTERM; no SIGKILL needed');
    assert.ok(isGone(sleepPid), `sleep (pid ${sleepPid}) is still alive`);
    assert.deepEqual(seen.exits, [{ exitCode: 0, signal: null }]);
  });

  it('reports a child that exits by itself; stop() afterwards is quick and dispose() is safe twice', async () => {
    const r = runner([NODE, '-e', 'process.exit(7)']);
    r.start();
    assert.deepEqual(await r.exited, { exitCode: 7, signal: null });
    const t0 = Date.now();
    await r.stop();
    assert.ok(Date.now() - t0 < 200);
    r.dispose();
    r.dispose();
  });

  it('stop() returns the same promise to every caller and reports the SIGTERM', async () => {
    const r = runner([NODE, 'forever.js']);
    const seen = collect(r);
    r.start();
    await waitFor('output', () => seen.stdout.length > 0);
    const first = r.stop();
    assert.equal(r.stop(), first);
    await first;
    assert.deepEqual(seen.exits, [{ exitCode: null, signal: 'SIGTERM' }]);
    assert.throws(() => r.start(), /already stopped/);
  });

  it('dispose() without awaiting still ends the process', async () => {
    const r = runner([NODE, 'forever.js']);
    const seen = collect(r);
    r.start();
    await waitFor('output', () => seen.stdout.length > 0);
    const pid = r.pid!;
    r.dispose();
    r.dispose();
    await waitFor('the child to go', () => isGone(pid), 3000);
  });

  it('stop() right after start() waits for the spawn, then stops it', async () => {
    const r = runner([NODE, 'forever.js']);
    r.start();
    await r.stop();
    assert.ok(r.pid === undefined || isGone(r.pid));
  });

  it('uses an injected spawn function', async () => {
    const requests: SpawnRequest[] = [];
    const r = new ChildProcessRunner({
      command: [NODE, 'env.js'],
      cwd: scripts,
      env: { PH_GIVEN: 'injected' },
      spawn: async (request) => {
        requests.push(request);
        const env = { ...process.env, ...request.env };
        return { child: spawn(request.file, request.args, { cwd: request.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }) };
      },
    });
    runners.push(r);
    const seen = collect(r);
    r.start();
    await r.exited;
    assert.deepEqual(requests, [{ file: NODE, args: ['env.js'], cwd: scripts, env: { PH_GIVEN: 'injected' } }]);
    assert.equal(JSON.parse(Buffer.concat(seen.stdout).toString()).given, 'injected');
  });

  it('killProcessGroupSync SIGKILLs the group at once', async () => {
    const r = runner([NODE, 'forever.js']);
    const seen = collect(r);
    r.start();
    await waitFor('output', () => seen.stdout.length > 0);
    assert.equal(killProcessGroupSync(r.pid!), true);
    assert.deepEqual(await r.exited, { exitCode: null, signal: 'SIGKILL' });
  });
});
