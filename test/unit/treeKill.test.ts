import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { PassThrough } from 'node:stream';
import { ChildProcessRunner, killProcessGroupSync } from '../../src/host/childProcess';
import { processTree, type ProcessTreeOptions } from '../../src/common/treeKill';
import { FakeClock } from './helpers/fakeClock';

/** A child with a pid that no real process has to own: the tree stop under test never signals it. */
class PidChild extends EventEmitter {
  readonly pid = 4242;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();

  exit(exitCode: number | null, signal: NodeJS.Signals | null = null): void {
    this.emit('exit', exitCode, signal);
    const ended = Promise.all([once(this.stdout, 'end'), once(this.stderr, 'end')]);
    this.stdout.resume().end();
    this.stderr.resume().end();
    void ended.then(() => this.emit('close', exitCode, signal));
  }
}

/** A Windows tree stop whose taskkill runs are recorded instead of started. */
function recordingWindowsTree(status = 0): { options: ProcessTreeOptions; runs: string[]; syncRuns: string[] } {
  const runs: string[] = [];
  const syncRuns: string[] = [];
  const options: ProcessTreeOptions = {
    platform: 'win32',
    spawn: (file, args) => (runs.push([file, ...args].join(' ')), new EventEmitter()),
    spawnSync: (file, args) => (syncRuns.push([file, ...args].join(' ')), { status }),
    signal: () => assert.fail('no POSIX signal on Windows'),
  };
  return { options, runs, syncRuns };
}

async function startedRunner(options: ProcessTreeOptions, clock: FakeClock): Promise<{ runner: ChildProcessRunner; child: PidChild }> {
  const child = new PidChild();
  const runner = new ChildProcessRunner({
    command: ['npm', 'run', 'dev'],
    cwd: process.cwd(),
    graceMs: 5000,
    clock,
    processTree: processTree(options),
    spawn: async () => ({ child: child as unknown as ChildProcess }),
  });
  runner.start();
  await runner.spawned;
  return { runner, child };
}

describe('tree stop per OS (platform, taskkill and signals injected)', () => {
  it('win32 Stop: taskkill /T at once, taskkill /T /F after the grace period, resolves once the child exited', async () => {
    const clock = new FakeClock();
    const { options, runs } = recordingWindowsTree();
    const { runner, child } = await startedRunner(options, clock);
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    assert.deepEqual(runs, ['taskkill /pid 4242 /T']);
    clock.advance(4999);
    assert.deepEqual(runs, ['taskkill /pid 4242 /T'], 'no forced kill before the grace period ends');
    clock.advance(1);
    assert.deepEqual(runs, ['taskkill /pid 4242 /T', 'taskkill /pid 4242 /T /F']);
    assert.equal(stopped, false);
    child.exit(1);
    clock.advance(25); // the runner's next look at the tree
    await stopping;
    assert.deepEqual(await runner.exited, { exitCode: 1, signal: null });
  });

  it('win32 Stop: a tree that ends on the graceful taskkill gets no forced one', async () => {
    const clock = new FakeClock();
    const { options, runs } = recordingWindowsTree();
    const { runner, child } = await startedRunner(options, clock);
    const stopping = runner.stop();
    child.exit(0);
    clock.advance(25);
    await stopping;
    clock.advance(10_000);
    assert.deepEqual(runs, ['taskkill /pid 4242 /T']);
  });

  it('win32 exit-time kill: killProcessGroupSync runs taskkill /T /F synchronously and reports its status', () => {
    const ok = recordingWindowsTree(0);
    assert.equal(killProcessGroupSync(4242, processTree(ok.options)), true);
    assert.deepEqual(ok.syncRuns, ['taskkill /pid 4242 /T /F']);
    assert.deepEqual(ok.runs, []);
    const notFound = recordingWindowsTree(128); // taskkill: no such process
    assert.equal(killProcessGroupSync(4242, processTree(notFound.options)), false);
  });

  it('POSIX Stop signals the negative pid (the group): SIGTERM, SIGKILL to group and child after the grace period', async () => {
    const clock = new FakeClock();
    const signals: string[] = [];
    const options: ProcessTreeOptions = {
      platform: 'darwin',
      signal: (pid, signal) => {
        signals.push(`${signal} ${pid}`);
        if (signal === 0) throw Object.assign(new Error('no such group'), { code: 'ESRCH' });
      },
    };
    const { runner, child } = await startedRunner(options, clock);
    const stopping = runner.stop();
    clock.advance(5000);
    assert.deepEqual(signals, ['SIGTERM -4242', 'SIGKILL -4242', 'SIGKILL 4242']);
    child.exit(null, 'SIGKILL');
    clock.advance(25);
    await stopping;
    assert.deepEqual(signals.slice(3), ['0 -4242'], 'then only asks whether the group is gone');
    assert.equal(processTree({ platform: 'darwin' }).kind, 'process-group');
    assert.equal(processTree({ platform: 'win32' }).kind, 'taskkill');
  });
});
