// The store's warm-up of its batch path: a store opened with it holds exactly what it was given,
// and closing waits until V8 has had time to finish compiling for the worker (ending a worker
// mid-compile can abort the process).
import * as assert from 'node:assert/strict';
import { openHistoryStore } from '../../../src/store';
import { checkLines, makeLines, removeTmpDirs, runStart, storeWorkerPath, tmpDir } from './helpers';

describe('history store warm-up', function () {
  this.timeout(60_000);
  after(removeTmpDirs);
  let workerPath: string;
  before(async () => {
    workerPath = await storeWorkerPath();
  });

  it('leaves no trace: the runs and lines read back are only those appended', async () => {
    const dir = await tmpDir();
    const store = await openHistoryStore({ dir, workerPath, warmUp: true });
    try {
      const id = await store.beginRun(runStart('web'));
      store.append(id, makeLines(1, 3000));
      const runs = await store.listRuns();
      assert.deepEqual(
        runs.map((r) => [r.previewName, r.lineCount]),
        [['web', 3000]],
      );
      const lines = await store.readLines(id, { after: 0, limit: 5000 });
      assert.equal(lines.length, 3000);
      checkLines(lines, 1);
    } finally {
      await store.dispose();
    }
    const reopened = await openHistoryStore({ dir, workerPath });
    try {
      assert.deepEqual(
        (await reopened.listRuns()).map((r) => [r.previewName, r.lineCount]),
        [['web', 3000]],
      );
    } finally {
      await reopened.dispose();
    }
  });

  it("drops what warmUpAppend sends, silently, and stores a run's lines batched with it intact", async () => {
    const dir = await tmpDir();
    const notices: string[] = [];
    // One batch for all: the warm-up's lines and the run's share every batch the store posts.
    const store = await openHistoryStore({ dir, workerPath, batchLines: 100_000, onNotice: (m) => notices.push(m) });
    try {
      const id = await store.beginRun(runStart('web'));
      for (let from = 1; from <= 3000; from += 500) {
        store.warmUpAppend(makeLines(1, 400));
        store.append(id, makeLines(from, 500));
      }
      store.warmUpAppend(makeLines(1, 400));
      await store.flush();
      const lines = await store.readLines(id, { after: 0, limit: 10_000 });
      assert.equal(lines.length, 3000);
      checkLines(lines, 1);
      assert.deepEqual(
        (await store.listRuns()).map((r) => [r.id, r.previewName, r.lineCount]),
        [[id, 'web', 3000]],
      );
      assert.deepEqual(await store.readLines(0, { after: 0, limit: 10 }), [], 'no run 0 was made up');
      assert.deepEqual(notices, [], 'the warm-up is not reported as lines of a run that is not running');
      assert.equal(store.stats().backlogChars, 0, "the warm-up's batches are counted off the backlog once handled");
    } finally {
      await store.dispose();
    }
  });

  it('a store closed as soon as it opened waits ~300 ms past the warm-up before its worker ends', async () => {
    const store = await openHistoryStore({ dir: await tmpDir(), workerPath, warmUp: true });
    const start = performance.now();
    await store.dispose();
    assert.ok(performance.now() - start >= 250, `closed after ${Math.round(performance.now() - start)} ms`);
  });
});
