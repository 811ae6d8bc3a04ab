// Crash loops (issue 12, acceptance 4): real processes that crash, through the host's stream and
// history (short backoff injected), and through the CLI with the default backoff.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseRunArgs, UsageError, type RunArgs } from '../../src/cli/args';
import type { CliBanner, LogLine, StatusEvent } from '../../src/shared/protocol';
import { openHistoryStore, type HistoryStore } from '../../src/store';
import { CLI, ensureBuilt } from './helpers/build';
import { startHost } from './helpers/host';
import { RawSseClient } from './helpers/sse';
import { withDeadline } from './helpers/wait';
import { removeTmpDirs, storeWorkerPath, tmpDir } from './store/helpers';

/** Prints a line and exits 1; the first run waits for `go` to exist, so the test's client sees every state. */
const CRASHER = `const fs = require('fs');
const go = process.argv[2];
const wait = () => (fs.existsSync(go) ? crash() : setTimeout(wait, 10));
const crash = () => { console.log('crasher pid ' + process.pid + ' up'); console.error('Error: no database at DB_URL'); process.exit(1); };
wait();
`;

describe('a real crash-looping process', function () {
  this.timeout(120_000);
  let history: HistoryStore | undefined;
  after(removeTmpDirs);
  afterEach(async () => {
    await history?.dispose();
    history = undefined;
  });

  it('streams restarting 1..4 with their delays, then failed naming the crash loop; seq continues; one history run per attempt', async () => {
    const dir = await tmpDir();
    const script = path.join(dir, 'crasher.js');
    const go = path.join(dir, 'go');
    fs.writeFileSync(script, CRASHER);
    history = await openHistoryStore({ dir, workerPath: await storeWorkerPath() });
    // A ring of 4 lines: a client resuming from the start must be served from history, across the runs.
    const host = await startHost({ history, restartLimits: { baseDelayMs: 50 }, ring: { capacity: 4 } });
    try {
      const preview = await host.manager.start({
        name: 'crasher',
        command: [process.execPath, script, go],
        cwd: dir,
        ready: { kind: 'none' },
        graceMs: 1000,
        restart: 'on-failure',
      });
      const spawned = [preview.pid];
      preview.onDidSpawn((pid) => spawned.push(pid));
      const client = new RawSseClient(host.server.streamUrl(preview.id));
      await client.ready;
      await client.until(() => client.ofType('status').length > 0);
      fs.writeFileSync(go, '');
      const statuses = (): StatusEvent[] => client.ofType('status').map((e) => JSON.parse(e.data) as StatusEvent);
      await withDeadline(
        client.until(() => statuses().some((s) => s.state === 'failed')),
        60_000,
        () => `no failed status; states: ${statuses().map((s) => s.state)}`,
      );
      await preview.exited;

      const moves = statuses().map((s) => (s.state === 'restarting' ? `restarting ${s.attempt} after ${s.delayMs} ms` : s.state));
      assert.deepEqual(moves, [
        'starting',
        'restarting 1 after 50 ms',
        'starting',
        'restarting 2 after 100 ms',
        'starting',
        'restarting 3 after 200 ms',
        'starting',
        'restarting 4 after 400 ms',
        'starting',
        'failed',
      ]);
      assertWaited(statuses());
      const failed = statuses().at(-1)!;
      assert.equal(failed.reason, 'crashed 5 times in 2 minutes (last: exit code 1: Error: no database at DB_URL); not restarting');
      assert.equal(failed.exitCode, 1);

      // The stream: ids 1..n, each once, across all five runs of the process.
      const ids = client.ofType('log').map((e) => Number(e.id));
      assert.deepEqual(
        ids,
        ids.map((_, i) => i + 1),
      );
      const logs = client.ofType('log').map((e) => JSON.parse(e.data) as LogLine);
      const pids = new Set(logs.flatMap((l) => /^crasher pid (\d+) up$/.exec(l.text)?.[1] ?? []));
      assert.equal(pids.size, 5, 'five processes, each printed its line');
      assert.deepEqual(spawned.map(String), [...pids], 'each launch said its pid (the extension records each group)');
      client.close();

      // History: one run per attempt, each holding its own process's lines and exit, in seq order.
      await history.flush();
      const runs = (await history.listRuns()).filter((r) => r.previewName === 'crasher').reverse();
      assert.equal(runs.length, 5);
      const seen = new Set<number>();
      for (const run of runs) {
        const lines = await history.readLines(run.id, { after: 0 });
        const own = lines.filter((l) => !l.text.startsWith('[preview-host]')).map((l) => l.text.replace(/\d+/, 'N'));
        assert.deepEqual(own.sort(), ['Error: no database at DB_URL', 'crasher pid N up'], `run ${run.id}`);
        assert.deepEqual([run.exitCode, run.signal, run.abnormal], [1, null, false], `run ${run.id} ended`);
        for (const l of lines) {
          assert.equal(seen.has(l.seq), false, `seq ${l.seq} is in one run only`);
          seen.add(l.seq);
        }
      }
      assert.deepEqual([...seen], ids, 'history holds every streamed line, run after run');

      // A client resuming from the start gets every line again, from the five runs, with no gap.
      const resumed = new RawSseClient(host.server.streamUrl(preview.id), { 'Last-Event-ID': '0' });
      await resumed.ready;
      await resumed.until(() => resumed.ofType('log').length >= ids.length);
      assert.deepEqual(
        resumed.ofType('log').map((e) => Number(e.id)),
        ids,
      );
      assert.deepEqual(resumed.ofType('gap'), []);
      console.log(`      note: ${ids.length} lines over ${runs.length} history runs, resumed from 0 with no gap`);
      resumed.close();
    } finally {
      await host.dispose();
    }
  });
});

/** Each restart waited its delay: the next `starting` comes at least `delayMs` after its `restarting`. */
function assertWaited(statuses: StatusEvent[]): void {
  const waits: string[] = [];
  statuses.forEach((s, i) => {
    if (s.state !== 'restarting') return;
    const waited = Date.parse(statuses[i + 1].ts) - Date.parse(s.ts);
    waits.push(`${waited}/${s.delayMs}`);
    // Node's timers run on a monotonic clock truncated to the ms: 1 ms early against Date.now() is noise.
    assert.ok(waited >= s.delayMs! - 1, `attempt ${s.attempt} started after ${waited} ms, before its ${s.delayMs} ms delay`);
  });
  console.log(`      note: restarting → starting after (ms waited/delay): ${waits.join(', ')}`);
}

describe('preview-host run --restart', function () {
  this.timeout(120_000);
  before(ensureBuilt);
  after(removeTmpDirs);

  it('parses never and on-failure, and names a bad value', () => {
    const parse = (...argv: string[]) => parseRunArgs(argv, '/here') as RunArgs;
    assert.equal(parse('--', 'x').restart, undefined);
    assert.equal(parse('--restart', 'on-failure', '--', 'x').restart, 'on-failure');
    assert.equal(parse('--restart', 'never', '--', 'x').restart, 'never');
    assert.throws(
      () => parse('--restart', 'always', '--', 'x'),
      (err: Error) => {
        assert.ok(err instanceof UsageError);
        assert.equal(err.message, 'invalid --restart: "always" (expected never or on-failure)');
        return true;
      },
    );
    assert.throws(() => parse('--restart'), UsageError);
  });

  it('restarts a crashing app after 1 s and 2 s with the default backoff, and keeps the one that then stays up', async () => {
    const dir = await tmpDir();
    // Fails on its first two runs, then serves until stopped.
    const script = path.join(dir, 'flaky.js');
    fs.writeFileSync(
      script,
      `const f = require('path').join(__dirname, 'runs'); const n = (require('fs').existsSync(f) ? Number(require('fs').readFileSync(f, 'utf8')) : 0) + 1;
require('fs').writeFileSync(f, String(n)); console.log('run ' + n);
if (n <= 2) process.exit(3); else setInterval(() => {}, 1000);`,
    );
    const cli = spawn(
      process.execPath,
      [CLI, 'run', '--json', '--no-history', '--restart', 'on-failure', '--ready-line', '^run 3$', '--', process.execPath, script],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      // Every stdout line is JSON in --json mode: the banner first, then one status per line.
      const messages: ({ event?: string } & Partial<CliBanner> & StatusEvent)[] = [];
      const statuses: StatusEvent[] = [];
      let text = '';
      const readyAt = new Promise<void>((resolve) => {
        cli.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
          const lines = text.split('\n');
          text = lines.pop()!;
          for (const line of lines) {
            const msg = JSON.parse(line) as (typeof messages)[number];
            messages.push(msg);
            if (msg.event !== 'status') continue;
            statuses.push(msg);
            if (msg.state === 'ready') resolve();
          }
        });
      });
      await withDeadline(readyAt, 30_000, () => `not ready; states: ${statuses.map((s) => s.state)}`);
      assert.ok(messages[0].previewId, 'the banner comes first');
      assert.deepEqual(
        statuses.map((s) => [s.state, s.attempt, s.delayMs, s.exitCode]),
        [
          ['starting', undefined, undefined, undefined],
          ['restarting', 1, 1000, 3],
          ['starting', undefined, undefined, undefined],
          ['restarting', 2, 2000, 3],
          ['starting', undefined, undefined, undefined],
          ['ready', undefined, undefined, undefined],
        ],
      );
      assertWaited(statuses);
    } finally {
      cli.kill('SIGTERM');
      await new Promise((r) => cli.once('exit', r));
    }
  });
});
