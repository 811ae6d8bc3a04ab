import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { openHistoryStore } from '../../../src/store';
import type { LogLine } from '../../../src/shared/protocol';
import { decodeChunk, emptyColumns, encodeChunk, lineAt, pushLine } from '../../../src/store/chunkCodec';
import { journalPathOf } from '../../../src/store/journal';
import { FakeClock } from '../helpers/fakeClock';
import {
  checkLines,
  deflateChunksAsBefore,
  expectedLine,
  makeLines,
  openEngine,
  removeTmpDirs,
  runStart,
  storeWorkerPath,
  tmpDir,
} from './helpers';

function roundTrip(lines: LogLine[]): LogLine[] {
  const columns = emptyColumns();
  lines.forEach((line) => pushLine(columns, line));
  const decoded = decodeChunk(encodeChunk(columns).payload);
  return Array.from({ length: decoded.count }, (_, i) => lineAt(decoded, i));
}

describe('history store: chunks', function () {
  this.timeout(60_000);
  after(removeTmpDirs);
  let workerPath: string;
  before(async () => {
    workerPath = await storeWorkerPath();
  });

  it('keeps every field of a line through a chunk, odd timestamps and entrySeq included', () => {
    const lines: LogLine[] = [
      { ...expectedLine(5), entrySeq: 3 },
      { ...expectedLine(6), ts: 'not a time', text: '' },
      { ...expectedLine(7), ts: '2025-01-01T00:00:00Z', text: '🚀 日本語 \x1b[31mred\x1b[0m' },
      { ...expectedLine(9), ts: '1999-12-31T23:59:59.999Z', level: 'ERROR', stream: 'stderr' }, // a seq skipped, time going back
      { ...expectedLine(10), ts: '+275760-09-13T00:00:00.000Z', text: 'x'.repeat(70_000) },
      { ...expectedLine(11), entrySeq: 5 },
    ];
    assert.deepEqual(roundTrip(lines), lines);
  });

  it('pages back from a cursor with before: the newest lines below it, in seq order, filters and after applied', async () => {
    const store = await openHistoryStore({ dir: await tmpDir(), workerPath });
    try {
      const id = await store.beginRun(runStart('web'));
      store.append(id, makeLines(1, 2500)); // two full chunks and an open one
      const seqs = async (query: Parameters<typeof store.readLines>[1]) => (await store.readLines(id, query)).map((l) => l.seq);
      checkLines(await store.readLines(id, { before: 2001, limit: 1000 }), 1001);
      assert.deepEqual(await seqs({ before: 2400, limit: 3 }), [2397, 2398, 2399]);
      assert.deepEqual(await seqs({ before: 5, limit: 10 }), [1, 2, 3, 4]);
      assert.deepEqual(await seqs({ before: 1, limit: 10 }), []);
      assert.deepEqual(await seqs({ before: 99_999, limit: 2 }), [2499, 2500]);
      assert.deepEqual(await seqs({ before: 1100, after: 1095 }), [1096, 1097, 1098, 1099]);
      assert.deepEqual(await seqs({ before: 2500, levels: ['ERROR'], limit: 2 }), [2328, 2425]);
      assert.deepEqual(await seqs({ before: 1000, q: 'ITEMS/42 ', limit: 5 }), [42]);
      await assert.rejects(store.readLines(id, { before: 0 }), /'before' must be an integer >= 1, got 0/);
    } finally {
      await store.dispose();
    }
  });

  it("writes a running run's open chunk with each whole write and goes on filling it, without leaving small rows", async () => {
    const dir = await tmpDir();
    const store = await openHistoryStore({ dir, workerPath });
    const id = await store.beginRun(runStart('web'));
    const all = makeLines(1, 1100).map((line) => (line.seq % 4 === 0 ? { ...line, entrySeq: line.seq - 2 } : line));
    for (let at = 0; at < all.length; at += 100) {
      store.append(id, all.slice(at, at + 100));
      await store.flush(); // each whole write holds every line so far
      const onDisk = await chunkRows(store.file);
      assert.equal(
        onDisk.reduce((n, row) => n + row.count, 0),
        at + 100,
      );
    }
    await store.dispose();
    // One full chunk (64 KiB of these ~70-character lines) and the rest: the open chunk was taken
    // back after each write, not left behind as a small row.
    const rows = await chunkRows(store.file);
    assert.equal(rows.length, 2, JSON.stringify(rows));
    assert.deepEqual([rows[0].first, rows[0].last + 1, rows[1].last], [1, rows[1].first, 1100]);
    assert.ok(rows[0].count > 900, JSON.stringify(rows));
    const reopened = await openHistoryStore({ dir, workerPath });
    try {
      assert.deepEqual(await reopened.readLines(id, { limit: 2000 }), all);
    } finally {
      await reopened.dispose();
    }
  });

  it('warms its append path up on a database of its own when it opens: the history it opens is untouched', async () => {
    const dir = await tmpDir();
    const store = await openHistoryStore({ dir, workerPath }); // the worker warms up before it answers open
    try {
      const id = await store.beginRun(runStart('web'));
      assert.equal(id, 1);
      store.append(id, makeLines(1, 10));
      await store.flush();
      assert.deepEqual(
        (await store.listRuns()).map((run) => [run.id, run.previewName, run.lineCount]),
        [[1, 'web', 10]],
      );
      assert.deepEqual(
        (await chunkRows(store.file)).map((row) => row.count),
        [10],
      );
    } finally {
      await store.dispose();
    }
  });

  it('records the level set of each chunk, so a level filter skips chunks without that level', async () => {
    const store = await openHistoryStore({ dir: await tmpDir(), workerPath });
    const id = await store.beginRun(runStart('web'));
    // Short lines: chunks of 1 024 lines.
    const lines = makeLines(1, 3072).map(
      (line) => ({ ...line, text: `line ${line.seq}`, level: line.seq > 2048 && line.seq % 100 === 0 ? 'ERROR' : 'INFO' }) as LogLine,
    );
    store.append(id, lines);
    await store.flush();
    assert.deepEqual(
      (await store.readLines(id, { levels: ['ERROR'] })).map((l) => l.seq),
      [2100, 2200, 2300, 2400, 2500, 2600, 2700, 2800, 2900, 3000],
    );
    await store.dispose();
    assert.deepEqual(
      (await chunkRows(store.file)).map((row) => row.levels),
      [0b0100, 0b0100, 0b0101],
      'bit 0 ERROR, bit 2 INFO',
    );
  });

  it('compresses chunks with brotli and still reads the deflated ones of a history written before: pages, level filters, search, export', async () => {
    const dir = await tmpDir();
    let store = await openHistoryStore({ dir, workerPath });
    const id = await store.beginRun(runStart('web'));
    store.append(id, makeLines(1, 2500));
    await store.dispose();
    // The history as the deflate version left it.
    assert.deepEqual(await deflateChunksAsBefore(store.file), [0xff, 0xff, 0xff], 'three chunks, each with the brotli marker');

    store = await openHistoryStore({ dir, workerPath });
    try {
      const old = await store.readLines(id, { limit: 5000 });
      checkLines(old, 1);
      assert.equal(old.length, 2500);
      assert.deepEqual(
        (await store.readLines(id, { levels: ['ERROR'], limit: 3 })).map((l) => l.seq),
        [97, 194, 291],
      );
      assert.deepEqual(
        (await store.readLines(id, { q: 'items/999 ' })).map((l) => l.seq),
        [999, 1999],
      );
      assert.equal((await store.exportRun(id, 'jsonl')).split('\n').filter(Boolean).length, 2500);
      // A new run beside it is written with brotli; both read.
      const next = await store.beginRun(runStart('web'));
      store.append(next, makeLines(1, 100));
      await store.flush();
      const added = await store.readLines(next, { limit: 5000 });
      checkLines(added, 1);
      assert.equal(added.length, 100);
    } finally {
      await store.dispose();
    }
    const SQL = await initSqlJs();
    const after = new SQL.Database(await fs.readFile(store.file));
    const firsts = after.exec('SELECT run_id, substr(payload, 1, 1) FROM chunks ORDER BY run_id, first_seq')[0].values as [
      number,
      Uint8Array,
    ][];
    after.close();
    assert.deepEqual(
      firsts.map(([run, b]) => [run === id ? 'old run' : 'new run', b[0] === 0xff ? 'brotli' : 'deflated']),
      [
        ['old run', 'deflated'],
        ['old run', 'deflated'],
        ['old run', 'deflated'],
        ['new run', 'brotli'],
      ],
    );
  });

  it('keeps per-run errors: replaced whole, journaled, listed by preview, deleted with their run', async () => {
    const clock = new FakeClock();
    const dir = await tmpDir();
    const { engine, file } = await openEngine(dir, clock, 100);
    const error = (fingerprint: string, count = 1) => ({ fingerprint, title: `${fingerprint}: boom`, count, firstSeq: 1, lastSeq: 9 });
    let web2: number;
    try {
      const web1 = engine.beginRun(runStart('web'));
      engine.putRunErrors(web1, [error('ZeroDivisionError@app.py'), error('KeyError@views.py')]);
      engine.endRun(web1, { endedAt: new Date().toISOString(), exitCode: 1, signal: null });
      const api = engine.beginRun(runStart('api'));
      engine.putRunErrors(api, [error('TypeError@index.js')]);
      web2 = engine.beginRun(runStart('web'));
      engine.putRunErrors(web2, [error('a', 2), error('b')]);
      engine.putRunErrors(web2, [error('c', 5)]);
      assert.deepEqual(engine.readRunErrors(web2), [error('c', 5)], 'replaced, not added to');
      assert.deepEqual(engine.readRunErrors(web1), [error('ZeroDivisionError@app.py'), error('KeyError@views.py')], 'in the order given');
      assert.deepEqual(engine.seenFingerprints('web', web2), ['KeyError@views.py', 'ZeroDivisionError@app.py']);
      assert.deepEqual(engine.seenFingerprints('web', web1), []);
      assert.deepEqual(engine.readRunErrors(9999), []);
      assert.throws(() => engine.putRunErrors(9999, []), /no run with id 9999/);
      assert.throws(() => engine.putRunErrors(web2, [{ fingerprint: 'x' } as never]), /errors must be a list/);
      clock.advance(100); // journaled, not written whole
      // What a crash now leaves on disk.
      const crashDir = await tmpDir();
      await fs.copyFile(file, path.join(crashDir, 'history.sqlite'));
      await fs.copyFile(journalPathOf(file), journalPathOf(path.join(crashDir, 'history.sqlite')));
      const crashed = await openHistoryStore({ dir: crashDir, workerPath });
      try {
        assert.deepEqual(await crashed.readRunErrors!(web2), [error('c', 5)]);
        assert.deepEqual(await crashed.seenFingerprints!('web', web2 + 1), ['KeyError@views.py', 'ZeroDivisionError@app.py', 'c']);
      } finally {
        await crashed.dispose();
      }
    } finally {
      engine.close();
    }
    const fewer = await openHistoryStore({ dir, workerPath, retention: { maxRunsPerPreview: 1 } });
    try {
      assert.deepEqual(await fewer.seenFingerprints!('web', web2 + 1), ['c'], "the deleted run's errors went with it");
    } finally {
      await fewer.dispose();
    }
  });
});

async function chunkRows(file: string): Promise<{ first: number; last: number; count: number; levels: number }[]> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(await fs.readFile(file));
  try {
    const rows = db.exec('SELECT first_seq, last_seq, line_count, levels FROM chunks ORDER BY run_id, first_seq')[0]?.values ?? [];
    return rows.map(([first, last, count, levels]) => ({
      first: Number(first),
      last: Number(last),
      count: Number(count),
      levels: Number(levels),
    }));
  } finally {
    db.close();
  }
}
