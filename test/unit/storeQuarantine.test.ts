import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { openHistoryStore } from '../../src/store';
import { checkLines, makeLines, removeTmpDirs, runStart, storeWorkerPath, tmpDir } from './store/helpers';

describe('history store: unusable files are quarantined', function () {
  this.timeout(60_000);
  after(removeTmpDirs);
  let workerPath: string;
  let realDb: Buffer;

  before(async () => {
    workerPath = await storeWorkerPath();
    const dir = await tmpDir();
    const store = await openHistoryStore({ dir, workerPath });
    const id = await store.beginRun(runStart());
    store.append(id, makeLines(1, 5000));
    await store.endRun(id, { endedAt: new Date().toISOString(), exitCode: 0, signal: null });
    await store.dispose();
    realDb = await fs.readFile(path.join(dir, 'history.sqlite'));
  });

  const cases: [string, () => Buffer][] = [
    ['a truncated file (a real database cut in half)', () => realDb.subarray(0, Math.floor(realDb.length / 2))],
    ['a file of random bytes', () => randomBytes(64 * 1024)],
    ['a database from a newer schema (user_version 999)', () => withUserVersion(realDb, 999)],
    ['a text file', () => Buffer.from('not a database\n')],
  ];

  for (const [name, bytes] of cases) {
    it(`moves ${name} aside, tells once, and starts a working store`, async () => {
      const dir = await tmpDir();
      const file = path.join(dir, 'history.sqlite');
      const original = bytes();
      await fs.writeFile(file, original);
      const notices: string[] = [];
      const store = await openHistoryStore({ dir, workerPath, onNotice: (m) => notices.push(m) });
      try {
        assert.equal(notices.length, 1, `one notice, got ${JSON.stringify(notices)}`);
        const corrupt = (await fs.readdir(dir)).filter((n) => n.startsWith('history.sqlite.corrupt-'));
        assert.equal(corrupt.length, 1);
        assert.ok(notices[0].includes(path.join(dir, corrupt[0])), `notice names the moved file: ${notices[0]}`);
        assert.ok(notices[0].includes(file), 'notice names the original file');
        assert.deepEqual(await fs.readFile(path.join(dir, corrupt[0])), original, 'quarantined bytes untouched');

        assert.deepEqual(await store.listRuns(), []);
        const id = await store.beginRun(runStart());
        store.append(id, makeLines(1, 100));
        await store.endRun(id, { endedAt: new Date().toISOString(), exitCode: 0, signal: null });
      } finally {
        await store.dispose();
      }
      const again: string[] = [];
      const reopened = await openHistoryStore({ dir, workerPath, onNotice: (m) => again.push(m) });
      try {
        assert.deepEqual(again, [], 'the fresh file opens cleanly');
        const [run] = await reopened.listRuns();
        checkLines(await reopened.readLines(run.id, {}), 1);
        assert.equal(run.lineCount, 100);
      } finally {
        await reopened.dispose();
      }
    });
  }

  it('moves the journal of an unusable database aside with it, bytes kept, and never applies it', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'history.sqlite');
    await fs.writeFile(file, realDb.subarray(0, Math.floor(realDb.length / 2)));
    const journal = '{"journal":"x"}\n{"begin":{"id":1}}\n';
    await fs.writeFile(`${file}.journal`, journal);
    const store = await openHistoryStore({ dir, workerPath });
    try {
      const names = await fs.readdir(dir);
      const moved = names.filter((n) => n.startsWith('history.sqlite.journal.corrupt-'));
      assert.equal(moved.length, 1, names.join(', '));
      assert.equal(await fs.readFile(path.join(dir, moved[0]), 'utf8'), journal);
      assert.equal(names.includes('history.sqlite.journal'), false);
      assert.deepEqual(await store.listRuns(), []);
    } finally {
      await store.dispose();
    }
  });

  it('leaves a file it cannot read (a directory) alone and keeps history in memory', async () => {
    const dir = await tmpDir();
    await fs.mkdir(path.join(dir, 'history.sqlite'));
    const notices: string[] = [];
    const store = await openHistoryStore({ dir, workerPath, onNotice: (m) => notices.push(m) });
    try {
      assert.equal(store.readonly, true);
      assert.equal(notices.length, 1);
      assert.match(notices[0], /history\.sqlite cannot be used \(EISDIR\); history is kept in memory only/);
      const id = await store.beginRun(runStart());
      store.append(id, makeLines(1, 10));
      checkLines(await store.readLines(id, {}), 1);
    } finally {
      await store.dispose();
    }
    assert.ok((await fs.stat(path.join(dir, 'history.sqlite'))).isDirectory());
    assert.deepEqual((await fs.readdir(dir)).sort(), ['history.sqlite'], 'no lock left behind');
  });

  it('treats an empty file as a new database, with no notice', async () => {
    const dir = await tmpDir();
    await fs.writeFile(path.join(dir, 'history.sqlite'), '');
    const notices: string[] = [];
    const store = await openHistoryStore({ dir, workerPath, onNotice: (m) => notices.push(m) });
    await store.dispose();
    assert.deepEqual(notices, []);
    assert.ok((await fs.stat(path.join(dir, 'history.sqlite'))).size > 0);
  });
});

// user_version is the 4-byte big-endian integer at offset 60 of the SQLite header.
function withUserVersion(db: Buffer, version: number): Buffer {
  const copy = Buffer.from(db);
  copy.writeUInt32BE(version, 60);
  return copy;
}
