// The per-line warm-up: it runs in slices on the clock, touches nothing of a preview, and goes
// through the level and entry rows real output takes (not only plain lines).
import assert from 'node:assert/strict';
import type { PreviewSpec } from '../../src/host/preview';
import { PreviewManager } from '../../src/host/previewManager';
import { LinePathRun, LinePathWarmUp, warmUpLineText } from '../../src/host/warmUpLinePath';
import { FakeClock } from './helpers/fakeClock';
import { FakeHistory } from './helpers/fakeHistory';
import { fakeSpawn } from './helpers/fakeProcess';
import type { LogLine } from '../../src/shared/protocol';

describe('LinePathWarmUp', () => {
  it('runs nothing at once, then a slice of at most 256 lines per timer, until every line has run', () => {
    const clock = new FakeClock();
    const warmUp = new LinePathWarmUp(clock, { lines: 1000 });
    assert.equal(warmUp.linesRun, 0, 'the caller is not held: nothing runs in the constructor');
    const slices: number[] = [];
    while (!warmUp.finished) {
      const before = warmUp.linesRun;
      clock.advance(1);
      slices.push(warmUp.linesRun - before);
    }
    assert.deepEqual(slices, [256, 256, 256, 232]);
    assert.equal(clock.pending, 0, 'no timer is left once it is done');
  });

  it('stops at dispose, leaves no timer behind, and may be disposed twice', () => {
    const clock = new FakeClock();
    const warmUp = new LinePathWarmUp(clock);
    clock.advance(1);
    assert.equal(warmUp.linesRun, 256);
    warmUp.dispose();
    warmUp.dispose();
    clock.advance(1000);
    assert.equal(warmUp.linesRun, 256);
    assert.ok(warmUp.finished);
    assert.equal(clock.pending, 0);
  });

  it('its lines take the rows real output takes: levels of each kind and multi-line entries', () => {
    const run = new LinePathRun();
    try {
      run.lines(500);
      const lines = run.ring.slice(0);
      assert.equal(lines.length, 500);
      const levels = new Set(lines.map((l) => l.level));
      for (const level of ['INFO', 'WARN', 'ERROR']) assert.ok(levels.has(level as never), `no ${level} line among ${[...levels]}`);
      assert.ok(
        lines.some((l) => l.entrySeq !== undefined),
        'a traceback was grouped into an entry',
      );
    } finally {
      run.dispose();
    }
  });
});

describe('LinePathRun, as a long-running preview', () => {
  it('reads chunks that end mid-line into whole lines, and its ring drops old lines as a full one does', () => {
    const run = new LinePathRun();
    try {
      run.lines(2048);
      const ring = run.ring;
      assert.equal(ring.lastSeq, 2048);
      assert.equal(run.linesAppended, 2048, "the ring's listeners were told of every line");
      assert.ok(ring.oldestSeq > 1, `the ring still holds seq ${ring.oldestSeq}: it never dropped a line`);
      for (const line of ring.slice(0)) assert.equal(line.text, warmUpLineText(line.seq - 1), `seq ${line.seq}`);
      assert.ok(new Set(ring.slice(0).map((l) => l.ts)).size > 1, 'each read has its own time');
    } finally {
      run.dispose();
    }
  });
});

describe('PreviewManager warm-up', () => {
  const SPEC: PreviewSpec = { command: ['dev-server'], cwd: process.cwd(), ready: { kind: 'none' } };

  it("a preview's own lines are untouched by the warm-up running beside them (seq from 1, only its text)", async () => {
    const clock = new FakeClock();
    const fake = fakeSpawn();
    const manager = new PreviewManager({ clock, spawn: fake.spawn, pickPort: async () => 4100, warmUp: true });
    try {
      const preview = await manager.start(SPEC);
      await preview.start();
      await fake.children[0].write('first line of the app\nsecond line\n');
      // The warm-up's slices and the preview's lines take turns: run both to the end.
      for (let i = 0; i < 200 && (preview.ring.length < 2 || clock.pending > 0); i++) {
        clock.advance(1);
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.deepEqual(
        preview.ring.slice(0).map((l) => [l.seq, l.text]),
        [
          [1, 'first line of the app'],
          [2, 'second line'],
        ],
      );
    } finally {
      manager.dispose();
    }
  });

  it("sends the warm-up's lines to the history's warmUpAppend, as the ring made them, and none to a run", async () => {
    const clock = new FakeClock();
    const fake = fakeSpawn();
    const history = new FakeHistory();
    const warmed: LogLine[][] = [];
    history.warmUpAppend = (lines) => void warmed.push([...lines]);
    const manager = new PreviewManager({ clock, spawn: fake.spawn, pickPort: async () => 4100, warmUp: true, history });
    try {
      const preview = await manager.start(SPEC);
      await fake.children[0].write('first line of the app\n');
      for (let i = 0; i < 200 && clock.pending > 0; i++) {
        clock.advance(1);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const lines = warmed.flat();
      assert.equal(lines.length, 12_000, 'every warm-up line, once');
      assert.deepEqual(
        lines.slice(0, 2).map((l) => [l.seq, l.text, l.level, l.stream]),
        [
          [1, warmUpLineText(0), 'INFO', 'stdout'],
          [2, warmUpLineText(1), 'INFO', 'stdout'],
        ],
      );
      assert.ok(
        lines.some((l) => l.level === 'ERROR'),
        'tagged as the ring tags them',
      );
      const runId = history.runs[0].id;
      assert.deepEqual(
        history.lines.get(runId)!.map((l) => l.text),
        ['first line of the app'],
        "the preview's run holds its own line only",
      );
      assert.equal(preview.ring.length, 1);
    } finally {
      manager.dispose();
    }
  });
});
