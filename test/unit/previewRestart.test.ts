// Crash loops (issue 12, acceptance 4): a Preview with `restart: on-failure` on a fake clock and
// fake children, so each backoff is a clock advance and each crash an exit the test chooses.
import assert from 'node:assert/strict';
import type { RunEnd, RunHistory, RunStart } from '../../src/host/history';
import { Preview, type PreviewSpec } from '../../src/host/preview';
import { PreviewManager } from '../../src/host/previewManager';
import type { LogLine, StatusEvent } from '../../src/shared/protocol';
import { FakeClock } from './helpers/fakeClock';
import { fakeSpawn, type FakeChild } from './helpers/fakeProcess';
import { withDeadline } from './helpers/wait';

/** A history that keeps what it is told, by run. */
function recordingHistory() {
  const runs: { id: number; start: RunStart; lines: LogLine[]; end?: RunEnd }[] = [];
  const history: RunHistory = {
    beginRun: async (start) => (runs.push({ id: runs.length + 1, start, lines: [] }), runs.length),
    append: (runId, lines) => (runs[runId - 1].lines.push(...lines), true),
    whenDrained: async () => {},
    endRun: async (runId, end) => void (runs[runId - 1].end = end),
    readLines: async () => [],
    listRuns: async () => [],
    exportRun: async () => '',
    flush: async () => {},
    dispose: async () => {},
  };
  return { history, runs };
}

const SPEC: PreviewSpec = { command: ['dev-server'], cwd: process.cwd(), ready: { kind: 'none' }, restart: 'on-failure' };

function setup(spec: Partial<PreviewSpec> = {}) {
  const clock = new FakeClock();
  const fake = fakeSpawn();
  const recorded = recordingHistory();
  let ports = 4000;
  const preview = new Preview({
    id: '1',
    spec: { ...SPEC, ...spec },
    clock,
    spawn: fake.spawn,
    history: recorded.history,
    pickPort: async () => ++ports,
  });
  const states: StatusEvent[] = [];
  preview.onDidChangeState((s) => states.push(s));
  /** Resolves at the next state the preview moves to that `done` accepts. */
  const next = (what: string, done: (s: StatusEvent) => boolean = () => true): Promise<StatusEvent> =>
    withDeadline(
      new Promise<StatusEvent>((resolve) => {
        const sub = preview.onDidChangeState((s) => done(s) && (sub.dispose(), resolve(s)));
      }),
      10_000,
      () => `no ${what}; states: ${states.map((s) => s.state).join(' → ')}`,
    );
  /** Resolves once the fake spawn has started child number `n` (1-based). */
  const child = async (n: number): Promise<FakeChild> => {
    await withDeadline(
      (async () => {
        while (fake.children.length < n) await new Promise((r) => setImmediate(r));
      })(),
      10_000,
      () => `child ${n} was never spawned (${fake.children.length} were)`,
    );
    return fake.children[n - 1];
  };
  return { clock, fake, preview, states, next, child, runs: recorded.runs };
}

/** Lets pending promise callbacks and I/O callbacks run (no time passes on the fake clock). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

describe('Preview restart on failure (fake clock)', () => {
  it('restarts a crashing app after 1, 2, 4, 8 s, then fails naming the crash loop and its last error; one history run per attempt', async () => {
    const t = setup();
    try {
      await t.preview.start();
      const restarting: StatusEvent[] = [];
      for (let attempt = 1; attempt <= 5; attempt++) {
        const child = await t.child(attempt);
        await child.write(`attempt ${attempt} up\n`);
        child.stderr.write(`Error: cannot connect to db (attempt ${attempt})\n`);
        const moved = t.next(`the state after crash ${attempt}`, (s) => s.state === 'restarting' || s.state === 'failed');
        child.exit(1);
        const status = await moved;
        if (attempt === 5) {
          assert.equal(status.state, 'failed');
          assert.equal(
            status.reason,
            'crashed 5 times in 2 minutes (last: exit code 1: Error: cannot connect to db (attempt 5)); not restarting',
          );
          assert.equal(status.exitCode, 1);
          break;
        }
        restarting.push(status);
        assert.equal(t.preview.hasEnded, false, 'a restart is pending: the preview is not over');
        assert.equal(t.preview.pid, undefined, 'no process while waiting');
        const relaunched = t.next(`starting of attempt ${attempt + 1}`, (s) => s.state === 'starting');
        t.clock.advance(status.delayMs! - 1);
        await settle();
        assert.equal(t.fake.children.length, attempt, `attempt ${attempt + 1} waited its full delay`);
        t.clock.advance(1);
        await relaunched;
      }
      assert.deepEqual(
        restarting.map((s) => [s.attempt, s.delayMs, s.exitCode]),
        [
          [1, 1000, 1],
          [2, 2000, 1],
          [3, 4000, 1],
          [4, 8000, 1],
        ],
      );
      await t.preview.exited;
      assert.equal(t.preview.hasEnded, true);
      t.clock.advance(60_000);
      await settle();
      assert.equal(t.fake.children.length, 5, 'nothing runs after the crash loop');

      // The stream: one seq sequence across the attempts, with the host's own lines between them.
      const lines = t.preview.ring.slice(0);
      assert.deepEqual(
        lines.map((l) => l.seq),
        lines.map((_, i) => i + 1),
      );
      const texts = lines.map((l) => l.text);
      assert.ok(texts.includes('[preview-host] exit code 1; restarting in 4 s (attempt 3)'), texts.join('\n'));
      assert.equal(texts.at(-1), `[preview-host] ${t.preview.lastStatus.reason}`);

      // History: one run per attempt, each with its own lines and its own end.
      await settle();
      assert.equal(t.runs.length, 5);
      t.runs.forEach((run, i) => {
        const own = run.lines.map((l) => l.text).filter((text) => !text.startsWith('[preview-host]'));
        assert.deepEqual(own.sort(), [`Error: cannot connect to db (attempt ${i + 1})`, `attempt ${i + 1} up`], `run ${run.id}`);
        assert.deepEqual(run.end && [run.end.exitCode, run.end.signal], [1, null], `run ${run.id} ended`);
      });
      assert.ok(t.runs[1].lines[0].seq > t.runs[0].lines.at(-1)!.seq, 'run 2 continues the seq');
    } finally {
      t.preview.dispose();
    }
  });

  it('Stop during a pending restart cancels it: no new process, state stopped', async () => {
    const t = setup();
    try {
      await t.preview.start();
      const restarting = t.next('restarting', (s) => s.state === 'restarting');
      (await t.child(1)).exit(2);
      await restarting;
      await withDeadline(t.preview.stop(), 10_000, () => 'stop() did not resolve during a pending restart');
      assert.equal(t.preview.state, 'stopped');
      assert.equal(t.preview.hasEnded, true);
      t.clock.advance(60_000);
      await settle();
      assert.equal(t.fake.children.length, 1, 'no restart after Stop');
      assert.deepEqual(
        t.states.map((s) => s.state),
        ['restarting', 'stopped'],
      );
    } finally {
      t.preview.dispose();
    }
  });

  it('a user Restart (stop, then a new run, as the extension does) cancels the pending restart of the old run', async () => {
    const clock = new FakeClock();
    const fake = fakeSpawn();
    const manager = new PreviewManager({ clock, spawn: fake.spawn, pickPort: async () => 4100 });
    try {
      const old = await manager.start(SPEC);
      const restarting = new Promise((resolve) => old.onDidChangeState((s) => s.state === 'restarting' && resolve(s)));
      fake.children[0].exit(1);
      await withDeadline(restarting, 10_000, () => 'no restarting');
      await old.stop();
      const fresh = await manager.start(SPEC);
      void manager.remove(old.id);
      clock.advance(60_000);
      await settle();
      assert.equal(fake.children.length, 2, 'the old preview started nothing: only the new run spawned');
      assert.equal(old.state, 'stopped');
      assert.equal(fresh.state, 'starting');
    } finally {
      manager.dispose();
    }
  });

  it('a preview disposed as its restart is due starts no process', async () => {
    const t = setup();
    await t.preview.start();
    const restarting = t.next('restarting', (s) => s.state === 'restarting');
    (await t.child(1)).exit(1);
    await restarting;
    t.clock.advance(1000); // the restart begins: it waits for the crashed group to be gone
    t.preview.dispose();
    await settle();
    assert.equal(t.fake.children.length, 1);
  });

  it('a clean exit (code 0) and a Stop of a running app are not restarted; a signal the host did not send is', async () => {
    const clean = setup();
    try {
      await clean.preview.start();
      (await clean.child(1)).exit(0);
      await clean.preview.exited;
      assert.deepEqual(
        clean.states.map((s) => [s.state, s.exitCode]),
        [['exited', 0]],
      );
    } finally {
      clean.preview.dispose();
    }

    const stopped = setup();
    try {
      await stopped.preview.start();
      const child = await stopped.child(1);
      const stopping = stopped.preview.stop();
      child.exit(null, 'SIGTERM'); // what the group's SIGTERM does to a real child
      await stopping;
      stopped.clock.advance(60_000);
      await settle();
      assert.deepEqual(
        stopped.states.map((s) => [s.state, s.signal]),
        [['stopped', 'SIGTERM']],
      );
      assert.equal(stopped.fake.children.length, 1);
    } finally {
      stopped.preview.dispose();
    }

    const killed = setup();
    try {
      await killed.preview.start();
      const restarting = killed.next('restarting', (s) => s.state === 'restarting');
      (await killed.child(1)).exit(null, 'SIGKILL'); // the OOM killer, say
      assert.deepEqual(await restarting, {
        state: 'restarting',
        attempt: 1,
        delayMs: 1000,
        exitCode: null,
        signal: 'SIGKILL',
        ts: killed.states[0].ts,
      });
    } finally {
      killed.preview.dispose();
    }
  });

  it('with restart never (the default), a crash is final', async () => {
    const t = setup({ restart: undefined });
    try {
      await t.preview.start();
      (await t.child(1)).exit(1);
      await t.preview.exited;
      t.clock.advance(60_000);
      await settle();
      assert.deepEqual(
        t.states.map((s) => [s.state, s.exitCode]),
        [['exited', 1]],
      );
      assert.equal(t.fake.children.length, 1);
    } finally {
      t.preview.dispose();
    }
  });

  it('a port collision is still retried on a new port, not counted as a crash', async () => {
    const t = setup();
    try {
      await t.preview.start();
      const first = await t.child(1);
      first.stderr.write('Error: listen EADDRINUSE: address already in use :::4001\n');
      await settle();
      first.exit(1);
      const second = await t.child(2);
      assert.equal(second.request.env?.PORT, '4002');
      assert.equal(
        t.states.some((s) => s.state === 'restarting'),
        false,
      );
      assert.equal(t.runs.length, 1, 'the retry continues the same history run');
      // The retried launch may still crash and be restarted as usual.
      const restarting = t.next('restarting', (s) => s.state === 'restarting');
      second.exit(1);
      assert.equal((await restarting).attempt, 1);
    } finally {
      t.preview.dispose();
    }
  });
});
