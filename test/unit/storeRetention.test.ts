import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import { openHistoryStore, type HistoryStore } from '../../src/store';
import { makeLines, removeTmpDirs, runStart, storeWorkerPath, tmpDir } from './store/helpers';

describe('history store: retention', function () {
  this.timeout(60_000);
  after(removeTmpDirs);
  let workerPath: string;
  before(async () => {
    workerPath = await storeWorkerPath();
  });

  const end = { exitCode: 0, signal: null };
  // Runs start a minute apart so "oldest" is unambiguous.
  const at = (n: number): string => new Date(Date.UTC(2025, 0, 1, 0, n)).toISOString();

  async function addRun(store: HistoryStore, name: string, n: number, lines: number, pad = 0): Promise<number> {
    const id = await store.beginRun(runStart(name, at(n)));
    store.append(id, makeLines(1, lines, pad));
    await store.endRun(id, { ...end, endedAt: at(n) });
    return id;
  }

  it('keeps the newest 20 runs per preview, deleting the oldest first', async () => {
    const dir = await tmpDir();
    const store = await openHistoryStore({ dir, workerPath });
    const web: number[] = [];
    for (let n = 0; n < 25; n++) {
      web.push(await addRun(store, 'web', n, 50));
      if (n % 10 === 0) await addRun(store, 'api', 100 + n, 50);
    }
    const runs = await store.listRuns();
    await store.dispose();
    assert.deepEqual(
      runs.filter((r) => r.previewName === 'web').map((r) => r.id),
      web.slice(5).reverse(),
    );
    assert.equal(runs.filter((r) => r.previewName === 'api').length, 3, 'other previews keep their own 20');

    // A smaller limit applies on open too.
    const reopened = await openHistoryStore({ dir, workerPath, retention: { maxRunsPerPreview: 4 } });
    const kept = await reopened.listRuns();
    await reopened.dispose();
    assert.deepEqual(
      kept.filter((r) => r.previewName === 'web').map((r) => r.id),
      web.slice(21).reverse(),
    );
  });

  it('keeps the file under maxBytes by deleting the oldest runs, and VACUUMs', async () => {
    const dir = await tmpDir();
    const maxBytes = 2 * 1024 * 1024;
    const store = await openHistoryStore({ dir, workerPath, retention: { maxBytes } });
    const ids: number[] = [];
    // ~0.6 MB per run
    for (let n = 0; n < 10; n++) ids.push(await addRun(store, n % 2 ? 'web' : 'api', n, 2500, 150));
    await store.flush();
    const size = (await fs.stat(store.file)).size;
    const kept = (await store.listRuns()).map((r) => r.id);
    await store.dispose();
    console.log(`      cap ${maxBytes} B: file ${size} B, ${kept.length} of 10 runs kept`);
    assert.ok(size <= maxBytes, `file ${size} B is over the cap ${maxBytes} B`);
    assert.ok(kept.length >= 2 && kept.length < 10, `kept ${kept.length} runs`);
    assert.deepEqual(kept, ids.slice(-kept.length).reverse(), 'the newest runs are the ones kept');
  });

  it('never deletes a running run (nor the latest run of a preview), even past the cap', async () => {
    const dir = await tmpDir();
    const maxBytes = 1024 * 1024;
    const store = await openHistoryStore({ dir, workerPath, retention: { maxBytes } });
    const old = await addRun(store, 'web', 0, 1000, 150);
    const running = await store.beginRun(runStart('web', at(1)));
    store.append(running, makeLines(1, 16_000, 150)); // ~2 MB: alone over the cap
    const other = await addRun(store, 'api', 2, 100); // its end triggers retention
    let ids = (await store.listRuns()).map((r) => r.id);
    assert.deepEqual(ids, [other, running], 'the ended older run went; the running one stayed');
    assert.equal((await store.readLines(running, { after: 15_990 })).length, 10);

    await store.endRun(running, { ...end, endedAt: at(3) });
    ids = (await store.listRuns()).map((r) => r.id);
    assert.deepEqual(ids, [other, running], "a just-ended run is its preview's latest: kept");
    await store.flush();
    assert.ok((await fs.stat(store.file)).size > maxBytes, 'documented: over the cap while the latest run is that big');
    await store.dispose();
    assert.ok(old < running);
  });

  it('trims the oldest lines of a long running run to keep the file under the cap, never its newest minLinesPerRun', async () => {
    const dir = await tmpDir();
    const maxBytes = 1024 * 1024;
    const store = await openHistoryStore({ dir, workerPath, persistIntervalMs: 50, retention: { maxBytes, minLinesPerRun: 1000 } });
    try {
      const previous = await addRun(store, 'web', 0, 3000, 150); // an older run, ~0.7 MB
      const id = await store.beginRun(runStart('web', at(1)));
      // A server that keeps logging: ~5 MB in all, five times the cap.
      for (let seq = 1; seq <= 20_000; seq += 1000) {
        store.append(id, makeLines(seq, 1000, 150));
        // Real time on purpose: the worker's 50 ms persist timer falls between appends, as while a server logs.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await store.flush();
      const size = (await fs.stat(store.file)).size;
      const runs = await store.listRuns();
      const run = runs.find((r) => r.id === id)!;
      // Page through: how much is kept depends on when the whole writes fell, and may pass one page.
      const kept: Awaited<ReturnType<typeof store.readLines>> = [];
      for (
        let page = await store.readLines(id, { limit: 10_000 });
        page.length > 0;
        page = await store.readLines(id, { after: page.at(-1)!.seq, limit: 10_000 })
      ) {
        kept.push(...page);
      }
      console.log(
        `      cap ${maxBytes} B: file ${size} B; running run keeps seq ${kept[0].seq}-${kept.at(-1)!.seq} ` +
          `(${run.lineCount} lines); older run ${previous} ${runs.some((r) => r.id === previous) ? 'kept' : 'deleted'}`,
      );
      assert.ok(size <= maxBytes, `file ${size} B is over the cap ${maxBytes} B`);
      assert.equal(kept.at(-1)!.seq, 20_000, 'the newest lines are kept');
      assert.ok(kept.length >= 1000 && kept[0].seq > 1, `kept ${kept.length} lines from seq ${kept[0].seq}`);
      assert.equal(kept.length, 20_000 - kept[0].seq + 1, 'what is kept has no holes');
      assert.equal(run.lineCount, kept.length);
      assert.deepEqual(
        runs.map((r) => r.id),
        [id],
        'the older, ended run went first, whole',
      );
    } finally {
      await store.dispose();
    }
  });

  it("keeps a run's newest minLinesPerRun lines even when they alone are over the cap", async () => {
    const store = await openHistoryStore({ dir: await tmpDir(), workerPath, retention: { maxBytes: 256 * 1024, minLinesPerRun: 5000 } });
    try {
      const id = await addRun(store, 'web', 0, 8000, 150);
      await store.flush();
      const lines = await store.readLines(id, { limit: 10_000 });
      // Whole chunks go (a chunk of these ~220-character lines holds ~300 of them): no fewer than
      // 5 000 lines are kept, and no more than a chunk's worth above that.
      assert.equal(lines.at(-1)!.seq, 8000);
      assert.equal(lines.length, 8000 - lines[0].seq + 1, 'what is kept has no holes');
      assert.ok(lines.length >= 5000 && lines.length < 5400, `kept ${lines.length} lines from seq ${lines[0].seq}`);
      assert.ok(lines[0].seq > 1, 'it was trimmed');
    } finally {
      await store.dispose();
    }
  });
});
