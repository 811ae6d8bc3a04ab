import assert from 'node:assert/strict';
import { ErrorTracker, MAX_DISTINCT_ERRORS, errorCountText, newOrSeenNote, trackPreviewErrors } from '../../src/host/errorTracker';
import { LineTagger } from '../../src/host/lineTagger';
import { LogRing } from '../../src/host/ring';
import type { StreamName } from '../../src/shared/protocol';
import { FakeClock } from './helpers/fakeClock';
import { FakeHistory } from './helpers/fakeHistory';
import { FASTAPI_BOOM_STDERR, FASTAPI_BOOM_STDOUT } from './helpers/capturedFastapi';
import { NODE_CAUGHT, PYTHON_PLAIN } from './helpers/capturedTraces';

/** A ring fed the way Preview feeds it: one LineTagger per stream. */
function feeder() {
  const ring = new LogRing({ capacity: 10_000 });
  const taggers = { stdout: new LineTagger(), stderr: new LineTagger() };
  const write = (stream: StreamName, lines: readonly string[]) => {
    const first = ring.lastSeq + 1;
    ring.append(lines.map((text, i) => taggers[stream].line(text, '2026-12-01T10:00:00.000Z', stream, first + i)));
  };
  return { ring, write };
}

/** The FastAPI capture in the order uvicorn wrote it: each 500 access line, then its traceback. */
function writeFastapiBoomTwice(write: (stream: StreamName, lines: readonly string[]) => void): void {
  const heads = FASTAPI_BOOM_STDERR.flatMap((l, i) => (l === 'ERROR:    Exception in ASGI application' ? [i] : []));
  write('stderr', FASTAPI_BOOM_STDERR.slice(0, heads[0]));
  write('stdout', [FASTAPI_BOOM_STDOUT[0]]);
  write('stderr', FASTAPI_BOOM_STDERR.slice(heads[0], heads[1]));
  write('stdout', [FASTAPI_BOOM_STDOUT[1]]);
  write('stderr', FASTAPI_BOOM_STDERR.slice(heads[1], heads[1] + 52));
}

describe('error tracker', () => {
  it('counts two identical FastAPI failures as one error seen twice; the 500 access lines are requests, not errors', async () => {
    const { ring, write } = feeder();
    const tracker = new ErrorTracker({ previewName: 'api', onLines: ring.onDidAppend, runId: () => undefined, clock: new FakeClock() });
    writeFastapiBoomTwice(write);
    const records = tracker.currentRecords(); // the second traceback is still open (nothing followed it on stderr)
    assert.equal(records.length, 1);
    assert.equal(records[0].title, 'RuntimeError: fixture boom: the handler failed on purpose');
    assert.equal(records[0].count, 2);
    const heads = ring
      .slice(0)
      .filter((l) => l.text.includes('Exception in ASGI application'))
      .map((l) => l.seq);
    assert.deepEqual([records[0].firstSeq, records[0].lastSeq], heads);
    assert.equal(tracker.fingerprintOfEntry(heads[0]), records[0].fingerprint);
    assert.equal(tracker.fingerprintOfEntry(heads[1]), records[0].fingerprint, 'an open entry is known too');
    assert.deepEqual(
      (await tracker.summaries()).map((s) => s.new),
      [true],
      'without history every error is new',
    );
    tracker.dispose();
    tracker.dispose();
  });

  it('stores the records in history, debounced, and marks only errors no earlier run of the same name had as new', async () => {
    const history = new FakeHistory();
    const clock = new FakeClock();
    // Run 1 of "api": the ZeroDivisionError; run 2 of another preview: the Node TypeError.
    const run1 = await history.beginRun({ previewName: 'api', command: ['x'], cwd: '/srv', port: 1, startedAt: 't' });
    const other = await history.beginRun({ previewName: 'web', command: ['x'], cwd: '/srv', port: 1, startedAt: 't' });
    const runAndFinish = async (name: string, runId: number, lines: string[][]) => {
      const { ring, write } = feeder();
      const tracker = new ErrorTracker({ previewName: name, onLines: ring.onDidAppend, history, runId: () => runId, clock });
      for (const chunk of lines) write('stderr', chunk);
      await tracker.finish();
      return tracker;
    };
    (await runAndFinish('api', run1, [PYTHON_PLAIN])).dispose();
    (await runAndFinish('web', other, [NODE_CAUGHT])).dispose();

    const run3 = await history.beginRun({ previewName: 'api', command: ['x'], cwd: '/srv', port: 1, startedAt: 't' });
    const { ring, write } = feeder();
    const tracker = new ErrorTracker({
      previewName: 'api',
      onLines: ring.onDidAppend,
      history,
      runId: () => run3,
      clock,
      persistDelayMs: 500,
    });
    // What a change says: the fingerprints new so far (undefined until history answered).
    const changes: (boolean | undefined)[][] = [];
    tracker.onDidChange(() => changes.push(tracker.currentRecords().map((r) => tracker.isNew(r.fingerprint))));
    write('stderr', [...PYTHON_PLAIN, ...NODE_CAUGHT, 'INFO: next']);
    assert.equal(history.puts.filter((p) => p.runId === run3).length, 0, 'not stored at once');
    clock.advance(499);
    assert.equal(history.puts.filter((p) => p.runId === run3).length, 0);
    clock.advance(1);
    await new Promise((r) => setImmediate(r));
    const stored = history.errors.get(run3)!;
    assert.deepEqual(
      stored.map((e) => [e.title, e.count]),
      [
        ['ZeroDivisionError: division by zero', 1],
        ["TypeError: Cannot read properties of null (reading 'x')", 1],
      ],
    );
    // One change when stored, one when history said which are new: the Problems panel re-renders then.
    assert.deepEqual(changes, [
      [undefined, undefined],
      [false, true],
    ]);
    const summaries = await tracker.summaries();
    assert.deepEqual(
      summaries.map((s) => [s.title, s.new]),
      [
        ['ZeroDivisionError: division by zero', false],
        ["TypeError: Cannot read properties of null (reading 'x')", true], // only preview "web" had it
      ],
    );
    assert.equal(tracker.isNew(summaries[0].fingerprint), false);
    assert.equal(tracker.isNew(summaries[1].fingerprint), true);
    tracker.dispose();
  });

  it('stores once more when the run ends, with the entry still open then', async () => {
    const history = new FakeHistory();
    const runId = await history.beginRun({ previewName: 'api', command: ['x'], cwd: '/srv', port: 1, startedAt: 't' });
    const { ring, write } = feeder();
    let exit!: () => void;
    const exited = new Promise<void>((r) => (exit = r));
    const tracker = trackPreviewErrors({ name: 'api', ring, historyRunId: runId, exited }, history, new FakeClock());
    write('stderr', PYTHON_PLAIN);
    assert.equal(history.puts.length, 0);
    exit();
    await exited;
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      history.errors.get(runId)!.map((e) => [e.title, e.count, e.firstSeq, e.lastSeq]),
      [['ZeroDivisionError: division by zero', 1, 1, 1]],
    );
    tracker.dispose();
  });

  it('words new and seen errors for the Problems panel and the status bar tooltip', () => {
    assert.equal(newOrSeenNote(true), ' (new in this run)');
    assert.equal(newOrSeenNote(false), ' (seen in an earlier run)');
    assert.equal(newOrSeenNote(undefined), '');
    assert.equal(errorCountText([{ new: true }, { new: false }]), '2 errors · 1 new');
    assert.equal(errorCountText([{ new: false }]), '1 error · 0 new');
    assert.equal(errorCountText([]), undefined);
  });

  it(`keeps at most ${MAX_DISTINCT_ERRORS} distinct errors, still counting the ones it has`, () => {
    const { ring, write } = feeder();
    const tracker = new ErrorTracker({ previewName: 'api', onLines: ring.onDidAppend, runId: () => undefined, clock: new FakeClock() });
    const word = (n: number) => n.toString(26).replace(/\d/g, (d) => 'qrstuvwxyz'[Number(d)]);
    write(
      'stderr',
      Array.from({ length: MAX_DISTINCT_ERRORS + 50 }, (_, i) => `ERROR:    failed for ${word(i)}`),
    );
    write('stderr', ['ERROR:    failed for ' + word(0), 'INFO: done']);
    const records = tracker.currentRecords();
    assert.equal(records.length, MAX_DISTINCT_ERRORS);
    assert.equal(records[0].count, 2);
    tracker.dispose();
  });

  it('starts counting afresh when the preview moves on to a new history run, storing the old run’s records under its id', async () => {
    const history = new FakeHistory();
    const clock = new FakeClock();
    const start = () => history.beginRun({ previewName: 'api', command: ['x'], cwd: '/srv', port: 1, startedAt: 't' });
    let runId = await start();
    const { ring, write } = feeder();
    const tracker = new ErrorTracker({ previewName: 'api', onLines: ring.onDidAppend, history, runId: () => runId, clock });
    write('stderr', [...PYTHON_PLAIN, 'INFO: restarting']);
    const first = runId;
    runId = await start();
    write('stderr', [...NODE_CAUGHT, 'INFO: up']);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      history.errors.get(first)!.map((e) => e.title),
      ['ZeroDivisionError: division by zero'],
    );
    assert.deepEqual(
      (await tracker.summaries()).map((s) => [s.title, s.new]),
      [["TypeError: Cannot read properties of null (reading 'x')", true]],
    );
    await tracker.finish();
    assert.deepEqual(
      history.errors.get(runId)!.map((e) => e.title),
      ["TypeError: Cannot read properties of null (reading 'x')"],
    );
    tracker.dispose();
  });
});
