// Acceptance for macOS on this Linux machine: the POSIX tree stop with /proc unavailable (injected),
// so group liveness rests on kill(-pgid, 0) alone. Real processes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChildProcessRunner } from '../../src/host/childProcess';
import { processTree } from '../../src/common/treeKill';

const NODE = process.execPath;
const GRACE_MS = 1000;

// parent.js starts worker.js, which ignores SIGTERM; both write their pid (renamed into place, never half-read).
const SCRIPTS: Record<string, string> = {
  'parent.js': `
    const { spawn } = require('child_process');
    const fs = require('fs');
    const dir = process.argv[2];
    fs.writeFileSync(dir + '/parent.pid.tmp', String(process.pid));
    fs.renameSync(dir + '/parent.pid.tmp', dir + '/parent.pid');
    spawn(process.execPath, [__dirname + '/worker.js', dir], { stdio: 'inherit' });
    setInterval(() => {}, 1000);`,
  'worker.js': `
    const fs = require('fs');
    process.on('SIGTERM', () => {});
    const dir = process.argv[2];
    fs.writeFileSync(dir + '/worker.pid.tmp', String(process.pid));
    fs.renameSync(dir + '/worker.pid.tmp', dir + '/worker.pid');
    setInterval(() => {}, 1000);`,
  'server.js': `require('http').createServer(() => {}).listen(0, '127.0.0.1', () => process.stdout.write('listening\\n'));`,
};

let dir: string;
const runners: ChildProcessRunner[] = [];

function runnerWithoutProc(command: string[]): ChildProcessRunner {
  const tree = processTree({ platform: 'darwin', groupMembers: () => undefined });
  const r = new ChildProcessRunner({ command, cwd: dir, graceMs: GRACE_MS, processTree: tree });
  runners.push(r);
  return r;
}

/**
 * Ended: no such process, or a zombie. The test may read /proc (the code under test may not): PID 1
 * here reaps orphans late, and kill(pid, 0) counts a zombie until then.
 */
function processEnded(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return ['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2)[0]);
}

async function waitForPid(file: string): Promise<number> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (text) return Number(text);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${file}`);
    await new Promise((resolve) => setTimeout(resolve, 10)); // pid files fire no events: poll them
  }
}

describe('POSIX tree stop without /proc (as on macOS)', function () {
  this.timeout(10_000);

  beforeEach(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ph-noproc-'));
    for (const [name, text] of Object.entries(SCRIPTS)) await fs.promises.writeFile(path.join(dir, name), text);
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  it('without /proc: stops a tree whose grandchild ignores SIGTERM (SIGKILL after the grace period)', async () => {
    const r = runnerWithoutProc(['sh', '-c', `"${NODE}" parent.js "${dir}"; echo parent ended`]);
    r.start();
    const parentPid = await waitForPid(path.join(dir, 'parent.pid'));
    const workerPid = await waitForPid(path.join(dir, 'worker.pid'));
    const shPid = r.pid!;
    const t0 = Date.now();
    await r.stop();
    const elapsed = Date.now() - t0;
    assert.ok(elapsed >= GRACE_MS - 100, `resolved after ${elapsed} ms: the worker should have needed SIGKILL`);
    // Without /proc an unreaped zombie counts as alive, so Stop may wait out its 2 s limit after SIGKILL.
    assert.ok(elapsed < GRACE_MS + 2000 + 500, `resolved after ${elapsed} ms, expected by the post-SIGKILL limit`);
    for (const [name, pid] of Object.entries({ sh: shPid, parent: parentPid, worker: workerPid })) {
      assert.ok(processEnded(pid), `${name} (pid ${pid}) still runs`);
    }
  });

  it('without /proc: Stop of a server that exits at once on SIGTERM returns in well under the grace period', async () => {
    const r = runnerWithoutProc([NODE, 'server.js']);
    const up = new Promise<void>((resolve) => r.onStdout(() => resolve()));
    r.start();
    await up;
    const t0 = Date.now();
    await r.stop();
    const elapsed = Date.now() - t0;
    assert.ok(elapsed < GRACE_MS / 4, `resolved after ${elapsed} ms, expected well under the ${GRACE_MS} ms grace period`);
    assert.deepEqual(await r.exited, { exitCode: null, signal: 'SIGTERM' });
    assert.ok(processEnded(r.pid!));
  });
});
