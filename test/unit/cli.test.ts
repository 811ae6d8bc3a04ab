import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliBanner } from '../../src/shared/protocol';
import { CLI, ensureBuilt } from './helpers/build';
import { RawSseClient } from './helpers/sse';
import { firstLine } from './helpers/wait';

/** Runs the built CLI, collecting its output; history goes to a temporary data dir, not the user's. */
const DATA_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-cli-data-'));

function cli(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, XDG_DATA_HOME: DATA_HOME },
  }) as ChildProcessWithoutNullStreams;
  const out = { stdout: '', stderr: '', code: undefined as number | null | undefined };
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out.stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out.stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve((out.code = code))));
  const bannerLine = firstLine(child.stdout);
  bannerLine.catch(() => {}); // only the tests that ask for the banner care that there was none
  const banner = async (): Promise<CliBanner> => {
    const line = await bannerLine.catch(async () => {
      throw new Error(`exited ${await exited}: ${out.stderr}`);
    });
    return JSON.parse(line) as CliBanner;
  };
  return { child, out, exited, banner };
}

function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('preview-host CLI', function () {
  before(ensureBuilt);
  this.timeout(30_000);

  it('says clearly when the command is not found, and exits 1 without hanging', async () => {
    const run = cli(['run', '--json', '--', 'no-such-command-xyz']);
    const code = await run.exited;
    assert.equal(code, 1);
    const [banner, ...statuses] = run.out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(banner.url && banner.token && banner.previewId && banner.apiBase, 'the banner comes first');
    assert.deepEqual(
      statuses.map((s) => s.state),
      ['starting', 'failed'],
    );
    assert.equal(statuses[1].reason, 'command not found: no-such-command-xyz');
    assert.match(run.out.stderr, /command not found: no-such-command-xyz/);
  });

  it('says clearly when the working directory does not exist', async () => {
    const run = cli(['run', '--cwd', '/no/such/dir', '--', 'ls']);
    assert.equal(await run.exited, 1);
    assert.match(run.out.stderr, /working directory does not exist: \/no\/such\/dir/);
  });

  it('rejects a missing command and bad options with a message and exit 2', async () => {
    for (const [args, message] of [
      [['run'], /no command given/],
      [['run', '--port', 'abc', '--', 'ls'], /invalid port: "abc"/],
      [['run', '--ready-line', '(', '--', 'ls'], /invalid --ready-line/],
      [['frobnicate'], /unknown command: "frobnicate"/],
    ] as const) {
      const run = cli([...args]);
      assert.equal(await run.exited, 2, args.join(' '));
      assert.match(run.out.stderr, message);
    }
  });

  it('with --exit-with-child, exits with the child code after a connected client got the last line', async () => {
    const run = cli(['run', '--json', '--exit-with-child', '--', 'sh', '-c', 'sleep 1; for i in 1 2 3; do echo line $i; done; exit 7']);
    const banner = await run.banner();
    const client = new RawSseClient(banner.url);
    await client.ready;
    assert.equal(await run.exited, 7);
    await client.until(() => client.ofType('log').length === 3);
    assert.deepEqual(
      client.ofType('log').map((e) => JSON.parse(e.data).text),
      ['line 1', 'line 2', 'line 3'],
    );
    const states = client.ofType('status').map((e) => JSON.parse(e.data));
    assert.deepEqual(states.at(-1), { ...states.at(-1), state: 'exited', exitCode: 7 });
    client.close();
  });

  it('on SIGTERM stops the whole tree, including a worker that ignores SIGTERM, within grace + 1 s', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-cli-'));
    fs.writeFileSync(
      path.join(dir, 'worker.js'),
      `process.on('SIGTERM', () => {}); console.log('worker ' + process.pid); setInterval(() => {}, 1000);`,
    );
    fs.writeFileSync(
      path.join(dir, 'parent.js'),
      `require('child_process').spawn(process.execPath, [__dirname + '/worker.js'], { stdio: 'inherit' }); setInterval(() => {}, 1000);`,
    );
    const run = cli(['run', '--json', '--grace', '1000', '--cwd', dir, '--', 'sh', '-c', 'node parent.js']);
    const banner = await run.banner();
    const client = new RawSseClient(banner.url);
    await client.ready;
    const workerLine = () =>
      client
        .ofType('log')
        .map((e) => JSON.parse(e.data).text as string)
        .find((t) => t.startsWith('worker '));
    await client.until(() => workerLine() !== undefined);
    client.close();
    const workerPid = Number(workerLine()!.slice('worker '.length));
    assert.ok(alive(workerPid) && alive(banner.pid!));
    const t0 = Date.now();
    run.child.kill('SIGTERM');
    // The CLI exits only after its preview's whole group is gone, so its exit bounds the tree's.
    assert.equal(await run.exited, 0);
    const took = Date.now() - t0;
    assert.ok(!alive(workerPid), 'the SIGTERM-ignoring worker is gone');
    assert.ok(took <= 1000 + 1000, `the tree took ${took} ms to go (grace 1000 ms)`);
    assert.ok(!alive(banner.pid!), 'the shell is gone');
    const last = JSON.parse(run.out.stdout.trim().split('\n').at(-1)!);
    assert.equal(last.state, 'stopped');
  });

  it('stops quietly when the reader of its stdout has gone (`--json | head -1`) and it next writes there', async () => {
    // The app prints for a while, then exits: the CLI's next JSON status line meets the closed pipe.
    const app = 'setInterval(() => console.log("tick"), 50); setTimeout(() => process.exit(3), 1500)';
    const run = cli(['run', '--json', '--grace', '1000', '--', process.execPath, '-e', app]);
    await run.banner();
    run.child.stdout.destroy(); // what `head -1` does once it has its line
    assert.equal(await run.exited, 0, run.out.stderr);
    assert.doesNotMatch(run.out.stderr, /EPIPE|Error/, 'no stack trace');
  });

  it("in human mode too: the echo of the app's lines meets the closed pipe, and the app is stopped", async () => {
    const run = cli([
      'run',
      '--grace',
      '1000',
      '--',
      process.execPath,
      '-e',
      'console.log("pid " + process.pid); setInterval(() => console.log("tick"), 50)',
    ]);
    const pidLine = /^pid (\d+)$/m;
    await new Promise<void>((resolve) => run.child.stdout.on('data', () => pidLine.test(run.out.stdout) && resolve()));
    const pid = Number(pidLine.exec(run.out.stdout)![1]);
    run.child.stdout.destroy();
    assert.equal(await run.exited, 0, run.out.stderr);
    assert.doesNotMatch(run.out.stderr, /EPIPE|Error/, 'no stack trace');
    assert.ok(!alive(pid), 'the app is gone');
  });
});
