import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import { openHistoryStore, type HistoryStore } from '../../src/store';
import { STORE_WORKER_NICE } from '../../src/store/threadPriority';
import { checkLines, expectedLine, makeLines, removeTmpDirs, runStart, since, storeWorkerPath, tmpDir } from './store/helpers';

describe('history store', function () {
  this.timeout(60_000);
  after(removeTmpDirs);
  let workerPath: string;
  before(async () => {
    workerPath = await storeWorkerPath();
  });

  it('keeps all 200 000 lines of a run and its end across a reopen', async () => {
    const dir = await tmpDir();
    const start = performance.now();
    const store = await openHistoryStore({ dir, workerPath });
    const id = await store.beginRun(runStart('web'));
    for (let seq = 1; seq <= 200_000; seq += 500) store.append(id, makeLines(seq, 500));
    await store.endRun(id, { endedAt: new Date().toISOString(), exitCode: 3, signal: null });
    await store.dispose();
    const elapsed = since(start);
    const size = (await fs.stat(store.file)).size;
    console.log(`      200 000 lines appended, ended, persisted in ${elapsed} ms; file ${(size / 1e6).toFixed(1)} MB`);

    const reopened = await openHistoryStore({ dir, workerPath });
    try {
      const [run] = await reopened.listRuns();
      assert.equal(run.id, id);
      assert.equal(run.lineCount, 200_000);
      assert.equal(run.exitCode, 3);
      assert.equal(run.abnormal, false);
      assert.deepEqual(run.command, ['npm', 'run', 'dev']);
      let after = 0;
      for (;;) {
        const page = await reopened.readLines(id, { after, limit: 10_000 });
        if (page.length === 0) break;
        checkLines(page, after + 1);
        after = page[page.length - 1].seq;
      }
      assert.equal(after, 200_000);
    } finally {
      await reopened.dispose();
    }
  });

  describe('readLines, listRuns, exportRun', () => {
    let store: HistoryStore;
    let id: number;
    const notices: string[] = [];
    before(async () => {
      store = await openHistoryStore({ dir: await tmpDir(), workerPath, onNotice: (m) => notices.push(m) });
      id = await store.beginRun(runStart('web', '2025-01-01T00:00:00.000Z'));
      store.append(id, makeLines(1, 998));
      store.append(id, [
        { ...expectedLine(999), text: 'progress 100% done' },
        { ...expectedLine(1000), text: 'file a_b.txt' },
      ]);
    });
    after(() => store.dispose());

    it('pages with after and limit, including lines not yet persisted', async () => {
      checkLines(await store.readLines(id, { limit: 100 }), 1);
      const page = await store.readLines(id, { after: 900, limit: 50 });
      assert.deepEqual(
        page.map((l) => l.seq),
        Array.from({ length: 50 }, (_, i) => 901 + i),
      );
      assert.deepEqual(
        (await store.readLines(id, { after: 995 })).map((l) => l.seq),
        [996, 997, 998, 999, 1000],
      );
      assert.deepEqual(await store.readLines(id, { after: 1000 }), []);
      assert.equal((await store.readLines(id, {})).length, 1000);
      assert.deepEqual(await store.readLines(id + 100, {}), []);
    });

    it('filters by level, in seq order, paging on with after', async () => {
      const errors = await store.readLines(id, { levels: ['ERROR'] });
      assert.deepEqual(
        errors.map((l) => l.seq),
        [97, 194, 291, 388, 485, 582, 679, 776, 873, 970],
      );
      const first = await store.readLines(id, { levels: ['ERROR', 'WARN'], limit: 3 });
      assert.deepEqual(
        first.map((l) => l.seq),
        [13, 26, 39],
      );
      const next = await store.readLines(id, { levels: ['WARN', 'ERROR'], after: 90, limit: 3 });
      assert.deepEqual(
        next.map((l) => l.seq),
        [91, 97, 104],
      );
      assert.equal((await store.readLines(id, { levels: [] })).length, 1000, 'an empty list means no filter');
    });

    it('searches text as a plain substring (% and _ are literal, ASCII case ignored)', async () => {
      const hits = await store.readLines(id, { q: 'items/42 ' });
      assert.deepEqual(
        hits.map((l) => l.seq),
        [42],
      );
      assert.deepEqual(
        (await store.readLines(id, { q: '100%' })).map((l) => l.seq),
        [999],
      );
      assert.deepEqual(
        (await store.readLines(id, { q: 'a_b' })).map((l) => l.seq),
        [1000],
      );
      assert.equal((await store.readLines(id, { q: 'get /API/items/7' })).length, 111); // 7, 70-79, 700-799
      const both = await store.readLines(id, { q: 'items/1', levels: ['DEBUG'], after: 100, limit: 2 });
      assert.deepEqual(
        both.map((l) => l.seq),
        [105, 112],
      );
    });

    it('rejects malformed queries naming the value', async () => {
      await assert.rejects(store.readLines(id, { limit: 0 }), /'limit' must be an integer >= 1, got 0/);
      await assert.rejects(store.readLines(id, { after: -1 }), /'after' must be an integer >= 0, got -1/);
      await assert.rejects(store.readLines(id, { levels: ['LOUD' as never] }), /unknown level "LOUD"/);
      assert.equal((await store.readLines(id, { limit: 50_000 })).length, 1000);
    });

    it('lists runs newest first with their line counts', async () => {
      const other = await store.beginRun(runStart('api', '2025-01-02T00:00:00.000Z'));
      store.append(other, makeLines(1, 7));
      const runs = await store.listRuns();
      assert.deepEqual(
        runs.map((r) => [r.previewName, r.lineCount, r.endedAt]),
        [
          ['api', 7, null],
          ['web', 1000, null],
        ],
      );
      await store.endRun(other, { endedAt: '2025-01-02T00:01:00.000Z', exitCode: null, signal: 'SIGTERM' });
      const [ended] = await store.listRuns();
      assert.deepEqual([ended.signal, ended.exitCode, ended.endedAt], ['SIGTERM', null, '2025-01-02T00:01:00.000Z']);
    });

    it('exports a run as text (ANSI removed) or JSON lines', async () => {
      const text = (await store.exportRun(id, 'text')).split('\n');
      assert.equal(text.length, 1001);
      assert.equal(text[0], `${expectedLine(1).ts} INFO  [1] GET /api/items/1 200 in 1 ms - user agent Mozilla/5.0`);
      const jsonl = (await store.exportRun(id, 'jsonl'))
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      assert.equal(jsonl.length, 1000);
      assert.deepEqual(jsonl[41], expectedLine(42));
      await assert.rejects(store.exportRun(id, 'csv' as never), /format must be 'text' or 'jsonl', got "csv"/);
      await assert.rejects(store.exportRun(9999, 'text'), /no run with id 9999/);
    });

    it('drops lines of a run that is not running, with one notice', async () => {
      store.append(4242, makeLines(1, 3));
      store.append(4242, makeLines(4, 3));
      await store.flush();
      assert.deepEqual(await store.readLines(4242, {}), []);
      assert.equal(notices.filter((n) => n.includes('run 4242')).length, 1);
      await assert.rejects(store.endRun(4242, { endedAt: '', exitCode: 0, signal: null }), /no run with id 4242/);
      await assert.rejects(store.beginRun({ ...runStart(), port: 70000 }), /port must be an integer 0-65535, got 70000/);
    });
  });

  it('rejects bad options naming the value, and a missing worker naming its path', async () => {
    await assert.rejects(openHistoryStore({ dir: '' }), /dir must be a non-empty path, got ""/);
    await assert.rejects(openHistoryStore({ dir: '/tmp', fileName: '../x.sqlite' }), /plain file name, got "..\/x.sqlite"/);
    await assert.rejects(openHistoryStore({ dir: '/tmp', retention: { maxBytes: -5 } }), /maxBytes .* got -5/);
    await assert.rejects(openHistoryStore({ dir: '/tmp', workerPath: '/nope/storeWorker.js' }), /not found at \/nope/);
  });

  it('is disposed safely twice and refuses calls after', async () => {
    const store = await openHistoryStore({ dir: await tmpDir(), workerPath });
    await Promise.all([store.dispose(), store.dispose()]);
    store.append(1, makeLines(1, 1));
    await assert.rejects(store.listRuns(), /disposed \(listRuns called\)/);
  });

  it('runs its worker thread at nice 10 on Linux, leaving the host thread at its own priority', async function () {
    if (process.platform !== 'linux') this.skip();
    const niceOfThreads = async () => {
      const tids = await fs.readdir('/proc/self/task');
      const nice = new Map<number, number>();
      for (const tid of tids) {
        const stat = await fs.readFile(`/proc/self/task/${tid}/stat`, 'utf8').catch(() => '');
        // Fields after "(comm)": state is field 3, nice field 19.
        if (stat) nice.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
      }
      return nice;
    };
    const before = await niceOfThreads();
    const store = await openHistoryStore({ dir: await tmpDir(), workerPath });
    try {
      const after = await niceOfThreads();
      const added = [...after].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
      assert.ok(added.includes(STORE_WORKER_NICE), `new threads' nice values: ${added.join(', ')}`);
      assert.equal(STORE_WORKER_NICE, 10);
      assert.equal(after.get(process.pid), before.get(process.pid), 'the main thread keeps its priority');
    } finally {
      await store.dispose();
    }
  });

  it('says "full" past its backlog bound, drains as the worker stores, and keeps every line', async () => {
    const store = await openHistoryStore({ dir: await tmpDir(), workerPath, maxBacklogChars: 50_000, batchLines: 500 });
    try {
      const id = await store.beginRun(runStart('web'));
      let seq = 1;
      let fullAt = 0;
      while (fullAt === 0 && seq < 50_000) {
        if (!store.append(id, makeLines(seq, 500))) fullAt = seq + 499;
        seq += 500;
      }
      assert.ok(fullAt > 0 && fullAt < 2_000, `append said full after ${fullAt} lines (~95 chars each, bound 50 000)`);
      await store.whenDrained();
      assert.equal(store.append(id, makeLines(seq, 1)), true, 'room again once drained');
      const lines = await store.readLines(id, { limit: 10_000 });
      checkLines(lines, 1);
      assert.equal(lines.length, seq);
    } finally {
      await store.dispose();
    }
  });

  it('releases a writer waiting for room when it is disposed', async () => {
    const store = await openHistoryStore({ dir: await tmpDir(), workerPath, maxBacklogChars: 1 });
    const id = await store.beginRun(runStart('web'));
    assert.equal(store.append(id, makeLines(1, 3000)), false);
    const waited = store.whenDrained();
    await store.dispose();
    await waited;
    assert.equal(store.append(id, makeLines(3001, 1)), true, 'a disposed store never holds the host up');
  });

  it('stores a seq once when lines are appended again (overlapping batches of every size)', async () => {
    const store = await openHistoryStore({ dir: await tmpDir(), workerPath, batchLines: 7 });
    try {
      const id = await store.beginRun(runStart('web'));
      store.append(id, makeLines(1, 200));
      store.append(
        id,
        makeLines(101, 200).map((line) => ({ ...line, text: `again ${line.seq}` })),
      );
      store.append(id, makeLines(150, 1));
      assert.equal((await store.listRuns())[0].lineCount, 300, 'counted once while running');
      await store.endRun(id, { endedAt: new Date().toISOString(), exitCode: 0, signal: null });
      const lines = await store.readLines(id, { limit: 1000 });
      assert.deepEqual(
        lines.map((l) => l.seq),
        Array.from({ length: 300 }, (_, i) => i + 1),
      );
      checkLines(lines.slice(0, 200), 1);
      assert.equal(lines[250].text, 'again 251');
      assert.equal((await store.listRuns())[0].lineCount, 300);
    } finally {
      await store.dispose();
    }
  });
});
