// A database opened with room to grow: sql.js's file then need not be regrown and copied while a
// flood's pages are written, and nothing of the room reaches what is exported or read back.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { createDatabase, loadDatabase, withHeadroom } from '../../../src/store/loadDatabase';
import { removeTmpDirs, tmpDir } from './helpers';

describe('history store: a database opened with room to grow', function () {
  this.timeout(30_000);
  after(removeTmpDirs);
  let SQL: Awaited<ReturnType<typeof initSqlJs>>;
  before(async () => {
    SQL = await initSqlJs();
  });

  const pageBytes = (db: { exec(sql: string): { values: unknown[][] }[] }): number =>
    Number(db.exec('PRAGMA page_count')[0].values[0][0]) * Number(db.exec('PRAGMA page_size')[0].values[0][0]);

  it('holds what the file held, takes 3 MiB more in transactions and a rollback, and exports only its pages', () => {
    const source = new SQL.Database();
    source.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB); INSERT INTO t (b) VALUES (randomblob(5000)), (randomblob(7000))');
    const image = source.export();
    source.close();
    const padded = withHeadroom(image);
    assert.ok(padded.length >= image.length + 4 * 1024 * 1024, `${padded.length} bytes for ${image.length}`);
    assert.deepEqual(padded.subarray(0, image.length), image);

    const db = new SQL.Database(padded);
    try {
      db.exec('PRAGMA journal_mode = MEMORY; PRAGMA locking_mode = EXCLUSIVE');
      assert.deepEqual(db.exec('SELECT count(*), sum(length(b)) FROM t')[0].values, [[2, 12_000]]);
      const insert = db.prepare('INSERT INTO t (b) VALUES (randomblob(4000))');
      for (let tx = 0; tx < 250; tx++) {
        db.exec('BEGIN');
        for (let i = 0; i < 3; i++) insert.run();
        db.exec('COMMIT');
      }
      db.exec('BEGIN');
      insert.run();
      db.exec('ROLLBACK');
      insert.free();
      assert.equal(db.exec('PRAGMA integrity_check')[0].values[0][0], 'ok');
      const exported = db.export();
      assert.equal(exported.length, pageBytes(db), 'the export is the pages, none of the room');
      const reopened = new SQL.Database(exported);
      try {
        assert.deepEqual(reopened.exec('SELECT count(*), sum(length(b)) FROM t')[0].values, [[752, 12_000 + 750 * 4000]]);
        assert.equal(reopened.exec('PRAGMA integrity_check')[0].values[0][0], 'ok');
      } finally {
        reopened.close();
      }
    } finally {
      db.close();
    }
  });

  it("leaves bytes whose header does not give the database's size as they are", () => {
    const db = new SQL.Database();
    db.exec('CREATE TABLE t (x)');
    const image = db.export();
    db.close();
    const stale = Uint8Array.from(image);
    stale[95] ^= 1; // version-valid-for no longer equals the change counter: SQLite goes by the file's size
    assert.equal(withHeadroom(stale), stale);
    const longer = new Uint8Array(image.length + 4096);
    longer.set(image);
    assert.equal(withHeadroom(longer), longer, 'pages past the header size: not ours to pad');
    const short = image.subarray(0, 50);
    assert.equal(withHeadroom(short), short);
  });

  it('a new database and one loaded from a file both have room, and both read back exactly', async () => {
    const created = createDatabase(SQL, true);
    try {
      assert.equal(created.exec('PRAGMA integrity_check')[0].values[0][0], 'ok');
      assert.ok(created.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0].values.length > 0, 'the schema is there');
      const file = path.join(await tmpDir(), 'history.sqlite');
      await fs.writeFile(file, created.export());
      const loaded = loadDatabase(SQL, file, false);
      try {
        assert.equal(loaded.db.exec('PRAGMA integrity_check')[0].values[0][0], 'ok');
        assert.equal(loaded.db.export().length, (await fs.stat(file)).size);
      } finally {
        loaded.db.close();
      }
    } finally {
      created.close();
    }
  });
});
