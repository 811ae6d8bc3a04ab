import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { openHistoryStore } from '../../../src/store';
import { backupPathOf, loadDatabase } from '../../../src/store/loadDatabase';
import { SCHEMA_VERSION } from '../../../src/store/schema';
import type { LogLine } from '../../../src/shared/protocol';
import { FIXTURE_RUNS, fixtureLines } from '../../fixtures/history-v2/fixtureLines';
import { deflateChunksAsBefore, removeTmpDirs, runStart, storeWorkerPath, tmpDir } from './helpers';

const FIXTURE = path.resolve(__dirname, '../../fixtures/history-v2');

/** A copy of the schema-2 fixture (database and journal) in a fresh directory. */
async function fixtureCopy(): Promise<string> {
  const dir = await tmpDir();
  for (const name of ['history.sqlite', 'history.sqlite.journal']) await fs.copyFile(path.join(FIXTURE, name), path.join(dir, name));
  return dir;
}

describe('history store: a database of schema 2 (one row per line)', function () {
  this.timeout(60_000);
  after(removeTmpDirs);
  let workerPath: string;
  before(async () => {
    workerPath = await storeWorkerPath();
  });

  it('is converted on open: every run, line and the journal written after it, then kept converted', async () => {
    const dir = await fixtureCopy();
    const notices: string[] = [];
    const store = await openHistoryStore({ dir, workerPath, onNotice: (m) => notices.push(m) });
    try {
      assert.deepEqual(notices, []);
      const runs = (await store.listRuns()).sort((a, b) => a.id - b.id);
      assert.deepEqual(
        runs.map((r) => [r.id, r.previewName, r.lineCount, r.exitCode, r.signal, r.abnormal]),
        [
          [1, 'web', 1200, 0, null, false],
          [2, 'api', 90, null, 'SIGTERM', false],
          [3, 'web', 640, null, null, true], // its host died: ended at its last line, journal included
        ],
      );
      for (const run of FIXTURE_RUNS) {
        const want = fixtureLines(run.id, 1, run.inFile + run.inJournal);
        assert.deepEqual(await readAll(store, run.id), want, `run ${run.id}`);
        assert.equal(runs[run.id - 1].startedAt, run.start.startedAt);
      }
      assert.equal(runs[2].endedAt, fixtureLines(3, 640, 1)[0].ts);
      const errorsOfViews = fixtureLines(1, 1, 1200).filter((l) => l.level === 'ERROR' && l.text.includes('app.views'));
      assert.ok(errorsOfViews.length > 0);
      assert.deepEqual(await store.readLines(1, { levels: ['ERROR'], q: 'APP.VIEWS' }), errorsOfViews);
    } finally {
      await store.dispose();
    }
    const SQL = await initSqlJs();
    const db = new SQL.Database(await fs.readFile(path.join(dir, 'history.sqlite')));
    try {
      assert.equal(db.exec('PRAGMA user_version')[0].values[0][0], SCHEMA_VERSION);
      assert.deepEqual(db.exec(`SELECT name FROM sqlite_master WHERE name = 'lines'`), [], 'the line table is gone');
    } finally {
      db.close();
    }
    assert.deepEqual((await fs.readdir(dir)).sort(), ['history.sqlite'], 'no backup left once the conversion is on disk');
    const again: string[] = [];
    const reopened = await openHistoryStore({ dir, workerPath, onNotice: (m) => again.push(m) });
    await reopened.dispose();
    assert.deepEqual(again, []);
  });

  it('keeps the old file and its journal as a backup until the converted database is written', async () => {
    const dir = await fixtureCopy();
    const file = path.join(dir, 'history.sqlite');
    const original = await fs.readFile(file);
    const SQL = await initSqlJs();
    // Loading converts in memory only; the store writes the result later (a crash before leaves all this).
    const loaded = loadDatabase(SQL, file, true, true);
    loaded.db.close();
    const backup = backupPathOf(file, 2);
    assert.deepEqual(loaded.backups, [backup, `${backup}.journal`]);
    assert.deepEqual(await fs.readFile(backup), original);
    assert.deepEqual(await fs.readFile(`${backup}.journal`), await fs.readFile(path.join(FIXTURE, 'history.sqlite.journal')));
    assert.deepEqual(await fs.readFile(file), original, 'the file itself untouched');

    // The next open converts again and, once that is written, drops the backups.
    const store = await openHistoryStore({ dir, workerPath });
    try {
      assert.equal((await store.listRuns()).length, 3);
    } finally {
      await store.dispose();
    }
    assert.deepEqual((await fs.readdir(dir)).sort(), ['history.sqlite']);
  });
});

describe('history store: a database of schema 3 (deflated chunks)', function () {
  this.timeout(60_000);
  after(removeTmpDirs);
  let workerPath: string;
  before(async () => {
    workerPath = await storeWorkerPath();
  });

  it('is brought to the current schema with its chunks as they are, read beside new brotli ones', async () => {
    const dir = await tmpDir();
    const first = await openHistoryStore({ dir, workerPath });
    const old = await first.beginRun(runStart('web'));
    const lines = fixtureLines(1, 1, 2000);
    first.append(old, lines);
    await first.endRun(old, { endedAt: lines.at(-1)!.ts, exitCode: 0, signal: null });
    await first.dispose();
    // The file as schema 3 wrote it: user_version 3, every payload deflated.
    const file = path.join(dir, 'history.sqlite');
    assert.ok((await deflateChunksAsBefore(file, 3)).every((first) => first === 0xff));
    const deflated = await payloads(file);

    const notices: string[] = [];
    const store = await openHistoryStore({ dir, workerPath, onNotice: (m) => notices.push(m) });
    let added: number;
    try {
      assert.deepEqual(notices, []);
      assert.deepEqual(await readAll(store, old), lines);
      added = await store.beginRun(runStart('web'));
      store.append(added, fixtureLines(added, 1, 300));
      await store.flush();
      assert.deepEqual(await readAll(store, added), fixtureLines(added, 1, 300));
    } finally {
      await store.dispose();
    }
    const SQL = await initSqlJs();
    const after = new SQL.Database(await fs.readFile(file));
    const version = after.exec('PRAGMA user_version')[0].values[0][0];
    after.close();
    assert.equal(version, SCHEMA_VERSION);
    assert.ok(SCHEMA_VERSION > 3);
    const now = await payloads(file);
    assert.deepEqual(now.get(old), deflated.get(old), 'the old chunks are not rewritten');
    assert.ok(
      now.get(added)!.every((p) => p[0] === 0xff),
      'the new run is brotli',
    );
    assert.deepEqual((await fs.readdir(dir)).sort(), ['history.sqlite'], 'no backup left once it is on disk');
  });
});

async function readAll(store: Awaited<ReturnType<typeof openHistoryStore>>, runId: number): Promise<LogLine[]> {
  const got: LogLine[] = [];
  for (let page = await store.readLines(runId, {}); page.length > 0; page = await store.readLines(runId, { after: page.at(-1)!.seq })) {
    got.push(...page);
  }
  return got;
}

/** Each run's chunk payloads, in seq order. */
async function payloads(file: string): Promise<Map<number, Uint8Array[]>> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(await fs.readFile(file));
  try {
    const byRun = new Map<number, Uint8Array[]>();
    for (const [runId, payload] of db.exec('SELECT run_id, payload FROM chunks ORDER BY run_id, first_seq')[0].values as [
      number,
      Uint8Array,
    ][]) {
      byRun.set(runId, [...(byRun.get(runId) ?? []), payload]);
    }
    return byRun;
  } finally {
    db.close();
  }
}
