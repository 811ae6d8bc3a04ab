import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { openHistoryStore } from '../../src/store';
import { JournalWriter, journalPathOf, renewJournalId, replayJournal } from '../../src/store/journal';
import { decodeChunk, emptyColumns, encodeChunk, pushLine } from '../../src/store/chunkCodec';
import { batchRecord } from '../../src/store/journalBatch';
import { viewOfLines } from '../../src/store/lineBatch';
import type { LogLine } from '../../src/shared/protocol';
import { createDatabase } from '../../src/store/loadDatabase';
import { RunTables } from '../../src/store/runTables';
import { FakeClock } from './helpers/fakeClock';
import { checkLines, makeLines, openEngine, removeTmpDirs, runStart, storeWorkerPath, tmpDir } from './store/helpers';

/** Copies the database and its journal as they are on disk right now: what a crash at this moment leaves. */
async function crashSnapshot(file: string): Promise<string> {
  const dir = await tmpDir();
  const copy = path.join(dir, path.basename(file));
  await fs.copyFile(file, copy);
  await fs.copyFile(journalPathOf(file), journalPathOf(copy)).catch(() => {});
  return dir;
}

describe('history store: the journal between whole writes', function () {
  this.timeout(60_000);
  after(removeTmpDirs);
  let workerPath: string;
  before(async () => {
    workerPath = await storeWorkerPath();
  });

  it('appends lines to the journal while they flow instead of rewriting the database, and a crash keeps them', async () => {
    const clock = new FakeClock();
    const { engine, file, persists } = await openEngine(await tmpDir(), clock, 100);
    try {
      const id = engine.beginRun(runStart('web'));
      engine.append([{ runId: id, lines: makeLines(1, 30_000) }]);
      engine.flush();
      const whole = await fs.stat(file);
      const wholeWrites = persists();

      // A server logging steadily: 200 lines every 100 ms for 1.5 s; each tick's timer journals them.
      let seq = 30_001;
      for (let tick = 0; tick < 15; tick++, seq += 200) {
        engine.append([{ runId: id, lines: makeLines(seq, 200) }]);
        clock.advance(100);
      }

      const after = await fs.stat(file);
      assert.equal(persists(), wholeWrites, 'no whole write of the database while lines flowed');
      assert.deepEqual(
        [after.ino, after.size, after.mtimeMs],
        [whole.ino, whole.size, whole.mtimeMs],
        'the database file was not rewritten',
      );
      const journal = await fs.stat(journalPathOf(file));
      console.log(
        `      3 000 lines in 1.5 s: journal ${(journal.size / 1024).toFixed(0)} KiB; database (${(whole.size / 1e6).toFixed(1)} MB) untouched`,
      );
      assert.ok(journal.size > 3000 * 80 && journal.size < 3000 * 400, `journal of ${journal.size} bytes for 3 000 lines`);

      const crashed = await openHistoryStore({ dir: await crashSnapshot(file), workerPath });
      try {
        const [run] = await crashed.listRuns();
        assert.equal(run.lineCount, 33_000, 'every line journaled before the "crash" is there');
        assert.equal(run.abnormal, true, 'the run had not ended');
        checkLines(await crashed.readLines(run.id, { after: 29_990, limit: 10_000 }), 29_991);
        assert.equal(
          (await fs.readdir(path.dirname(crashed.file))).includes(path.basename(journalPathOf(crashed.file))),
          false,
          'the journal was folded into the database on open',
        );
      } finally {
        await crashed.dispose();
      }
    } finally {
      engine.close();
    }
  });

  it('writes the database whole again once the journal has grown as large as it', async () => {
    const clock = new FakeClock();
    const { engine, file, persists } = await openEngine(await tmpDir(), clock, 50);
    try {
      const id = engine.beginRun(runStart('web'));
      const opened = persists();
      // ~12 MB of lines: past the 4 MiB floor, so whole writes must happen along the way.
      for (let seq = 1; seq <= 60_000; seq += 2000) {
        engine.append([{ runId: id, lines: makeLines(seq, 2000, 100) }]);
        clock.advance(60);
      }
      const journal = await fs.stat(journalPathOf(file)).catch(() => ({ size: 0 }));
      const database = (await fs.stat(file)).size;
      assert.ok(persists() > opened, 'at least one whole write');
      assert.ok(journal.size <= Math.max(4 * 1024 * 1024, database) + 2_000 * 400, `journal ${journal.size} B vs database ${database} B`);
    } finally {
      engine.close();
    }
  });

  it("merges another window's crashed fallback file together with its journal, then deletes both", async () => {
    const clock = new FakeClock();
    const { engine, file } = await openEngine(await tmpDir(), clock, 100);
    let fallbackDir: string;
    try {
      const id = engine.beginRun(runStart('other-window'));
      engine.append([{ runId: id, lines: makeLines(1, 1000) }]);
      engine.flush();
      engine.append([{ runId: id, lines: makeLines(1001, 500) }]); // only in the journal
      clock.advance(100);
      fallbackDir = await tmpDir();
      const fallback = path.join(fallbackDir, 'history-999999.sqlite');
      await fs.copyFile(file, fallback);
      await fs.copyFile(journalPathOf(file), journalPathOf(fallback));
    } finally {
      engine.close();
    }
    const main = await openHistoryStore({ dir: fallbackDir, workerPath });
    try {
      const [run] = await main.listRuns();
      assert.equal(run.previewName, 'other-window');
      assert.equal(run.lineCount, 1500);
      checkLines(await main.readLines(run.id, { limit: 2000 }), 1);
      assert.deepEqual((await fs.readdir(fallbackDir)).sort(), ['history.sqlite', 'history.sqlite.lock']);
    } finally {
      await main.dispose();
    }
  });

  it('keeps journaling when the database cannot be written whole, and writes it once it can', async () => {
    const dir = await tmpDir();
    const clock = new FakeClock();
    const { engine, file, notices, persists: persisted } = await openEngine(dir, clock, 50);
    try {
      const id = engine.beginRun(runStart('web'));
      engine.append([{ runId: id, lines: makeLines(1, 1000) }]);
      engine.flush();
      const persists = persisted();
      // Something in the way of the whole write (the rename fails), while appends still work.
      await fs.rm(file);
      await fs.mkdir(file);
      for (let seq = 1001; seq <= 41_000; seq += 2000) {
        // Lines that hardly compress: the journal (chunks as stored, compressed) passes its 4 MiB floor.
        engine.append([{ runId: id, lines: makeLines(seq, 2000, 100) }]);
        clock.advance(60);
      }
      clock.advance(300); // failed whole writes are retried on the timer, each time journaling instead
      assert.equal(persisted(), persists, 'no whole write could succeed');
      assert.equal(notices.length, 1, JSON.stringify(notices));
      assert.match(notices[0], /Could not save history to .*history\.sqlite \(EISDIR\); will keep retrying/);
      const records = (await fs.readFile(journalPathOf(file), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      assert.equal(Math.max(...records.flatMap(journaledSeqs)), 41_000, 'every line reached the journal');

      await fs.rmdir(file);
      clock.advance(50);
      assert.ok(persisted() > persists, 'the whole write went through once it could');
    } finally {
      engine.close();
    }
    const reopened = await openHistoryStore({ dir, workerPath });
    try {
      const [run] = await reopened.listRuns();
      assert.equal(run.lineCount, 41_000);
    } finally {
      await reopened.dispose();
    }
  });

  /** The seqs of the lines in a journal record (chunks as stored, or batches of the open chunks' lines). */
  function journaledSeqs(record: { chunk?: [number, string]; batch?: [number, number[]] }): number[] {
    if (record.chunk) return [...decodeChunk(Buffer.from(record.chunk[1], 'base64')).seq];
    return record.batch?.[1] ?? [];
  }

  describe('replay', () => {
    let SQL: Awaited<ReturnType<typeof initSqlJs>>;
    before(async () => {
      SQL = await initSqlJs();
    });

    async function journalFor(records: string[]): Promise<{ file: string; db: ReturnType<typeof createDatabase>; id: string }> {
      const file = path.join(await tmpDir(), 'history.sqlite');
      const db = createDatabase(SQL);
      const id = renewJournalId(db);
      await fs.writeFile(journalPathOf(file), records.map((r) => r.replace('$ID', id)).join('\n'));
      return { file, db, id };
    }
    const header = JSON.stringify({ journal: '$ID' });
    const begin = JSON.stringify({ begin: { ...runStart('web', '2025-01-01T00:00:00.000Z'), id: 7 } });
    // As the journal writes lines now: one batch record of columns.
    const batch = (lines: LogLine[]) => JSON.stringify({ batch: batchRecord(7, viewOfLines(7, lines), 0, lines.length) });
    const lines = (from: number, n: number) => batch(makeLines(from, n));
    // As journals written before batch records hold them (still replayed after an update).
    const tuples = (from: number, n: number) =>
      JSON.stringify({ lines: [7, makeLines(from, n).map((l) => [l.seq, l.ts, l.level, l.stream, l.text])] });
    const end = JSON.stringify({ end: [7, { endedAt: '2025-01-01T00:01:00.000Z', exitCode: 0, signal: null }] });
    const count = (db: ReturnType<typeof createDatabase>) =>
      Number(db.exec('SELECT COALESCE(SUM(line_count), 0) FROM chunks')[0].values[0][0]);

    it('applies begin, lines and end records in order, and again without duplicates', async () => {
      const { file, db } = await journalFor([header, begin, lines(1, 10), lines(11, 5), end, '']);
      assert.equal(replayJournal(db, file), 4);
      assert.equal(replayJournal(db, file), 4, 'a second replay changes nothing');
      const tables = new RunTables(db);
      const run = tables.getRun(7)!;
      assert.deepEqual([run.previewName, run.lineCount, run.exitCode, run.endedAt], ['web', 15, 0, '2025-01-01T00:01:00.000Z']);
      checkLines(tables.readLines(7, {}), 1);
      tables.dispose();
    });

    it('replays a batch record line for line: levels, streams, entrySeq, shared and odd timestamps, any text', async () => {
      const ts = '2025-01-01T00:00:00.000Z';
      const written: LogLine[] = [
        { seq: 3, ts, level: 'ERROR', stream: 'stderr', text: 'Traceback (most recent call last):' },
        { seq: 4, ts, level: 'ERROR', stream: 'stderr', text: '  File "app.py", line 1, in <module>', entrySeq: 3 },
        { seq: 5, ts: '2025-01-01T00:00:00.007Z', level: 'WARN', stream: 'stdout', text: 'quote " back\\slash \u2028 é 😀' },
        { seq: 9, ts: 'not a time', level: 'DEBUG', stream: 'stdout', text: '' },
        { seq: 10, ts: 'not a time', level: 'INFO', stream: 'stdout', text: '{"level":30,"msg":"json line"}' },
      ];
      const { file, db } = await journalFor([header, begin, batch(written), tuples(11, 2), end]);
      assert.equal(replayJournal(db, file), 4);
      const tables = new RunTables(db);
      assert.deepEqual(tables.readLines(7, {}), [...written, ...makeLines(11, 2)]);
      tables.dispose();
    });

    it('replays chunk records (lines already held by a batch record once), and stops at one that does not decode', async () => {
      const chunk = (from: number, n: number) => {
        const columns = emptyColumns();
        makeLines(from, n).forEach((line) => pushLine(columns, line));
        return JSON.stringify({ chunk: [7, Buffer.from(encodeChunk(columns).payload).toString('base64')] });
      };
      const damaged = JSON.stringify({ chunk: [7, Buffer.from('not deflate at all').toString('base64')] });
      const { file, db } = await journalFor([header, begin, lines(1, 300), chunk(1, 1024), damaged, lines(1025, 5)]);
      assert.equal(replayJournal(db, file), 3);
      const tables = new RunTables(db);
      checkLines(tables.readLines(7, { limit: 2000 }), 1);
      assert.equal(tables.getRun(7)!.lineCount, 1024);
      tables.dispose();
    });

    it('applies a journal written before batch records (one tuple per line)', async () => {
      const { file, db } = await journalFor([header, begin, tuples(1, 10), lines(11, 5), end]);
      assert.equal(replayJournal(db, file), 4);
      assert.equal(count(db), 15);
    });

    it('stops at a batch record whose columns disagree, without storing any of its lines', async () => {
      const good = JSON.parse(lines(1, 3)).batch;
      const broken = [
        (b: unknown[]) => (b[7] = `${b[7]}x`), // texts longer than their lengths say
        (b: unknown[]) => ((b[1] as number[])[2] = 1), // seqs not ascending
        (b: unknown[]) => ((b[2] as number[])[0] = 9), // not a meta byte
        (b: unknown[]) => (b[4] as number[]).pop(), // a column one short
        (b: unknown[]) => ((b[4] as number[])[0] = -1), // "same timestamp" with none before it
        (b: unknown[]) => (b[0] = 'web'), // not a run id
      ];
      for (const breakIt of broken) {
        const record = structuredClone(good);
        breakIt(record);
        const { file, db } = await journalFor([header, begin, JSON.stringify({ batch: record }), lines(4, 2)]);
        assert.equal(replayJournal(db, file), 1, `${breakIt}`);
        assert.equal(count(db), 0, `${breakIt}`);
      }
    });

    it('stops at a record cut short by a crash, keeping the ones before it', async () => {
      const torn = lines(11, 5).slice(0, 60);
      const { file, db } = await journalFor([header, begin, lines(1, 10), torn]);
      assert.equal(replayJournal(db, file), 2);
      assert.equal(count(db), 10);
    });

    it('stops at a record of the wrong shape without touching the database for it', async () => {
      const bad = JSON.stringify({ lines: [7, [[1, 2, 3]]] });
      const { file, db } = await journalFor([header, begin, bad, lines(1, 10)]);
      assert.equal(replayJournal(db, file), 1);
      assert.equal(count(db), 0);
    });

    it('ignores a journal that follows another state of the database (or has no header)', async () => {
      const other = await journalFor([JSON.stringify({ journal: 'some-older-state' }), begin, lines(1, 10)]);
      assert.equal(replayJournal(other.db, other.file), 0);
      const headless = await journalFor([begin, lines(1, 10)]);
      assert.equal(replayJournal(headless.db, headless.file), 0);
      assert.equal(count(other.db) + count(headless.db), 0);
    });
  });
});

describe('JournalWriter', () => {
  after(removeTmpDirs);

  it("writes a flood's records in pieces, and a write that fails mid-record leaves, once retried, every record once", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeFs = require('node:fs') as typeof import('node:fs');
    const file = path.join(await tmpDir(), 'history.sqlite');
    const writer = new JournalWriter(journalPathOf(file), 'state-1');
    // 40 chunks of ~8 KiB of base64 each: ~330 KiB of records, several pieces.
    const payloads = Array.from({ length: 40 }, () => randomBytes(6000));
    payloads.forEach((payload, i) => writer.chunk(i + 1, payload));
    const realWriteSync = nodeFs.writeSync;
    let calls = 0;
    // The third write takes half its bytes, the fourth fails: the disk filled up mid-record.
    nodeFs.writeSync = ((fd: number, data: Buffer, offset: number, length: number, position: number) => {
      if (++calls === 3) return realWriteSync(fd, data, offset, Math.floor(length / 2), position);
      if (calls === 4) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      return realWriteSync(fd, data, offset, length, position);
    }) as typeof realWriteSync;
    try {
      assert.throws(() => writer.write(), /ENOSPC/);
    } finally {
      nodeFs.writeSync = realWriteSync;
    }
    assert.ok(calls >= 4, 'the records went out in more than one write');
    writer.write();
    writer.close();
    const text = await fs.readFile(journalPathOf(file), 'utf8');
    const expected = [
      JSON.stringify({ journal: 'state-1' }),
      ...payloads.map((payload, i) => JSON.stringify({ chunk: [i + 1, payload.toString('base64')] })),
    ];
    assert.deepEqual(text.split('\n'), [...expected, ''], 'every record once, in order, as JSON.stringify writes it');
    assert.equal(writer.size, Buffer.byteLength(text), "its size is the file's, with nothing left pending");
  });
});
