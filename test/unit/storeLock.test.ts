import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { openHistoryStore } from '../../src/store';
import type { CommandResult, ProcessTools } from '../../src/common/processInfo';
import { processStartOf, readOwner, tryLock } from '../../src/store/lockFile';
import { checkLines, makeLines, removeTmpDirs, runStart, storeWorkerPath, tmpDir } from './store/helpers';

describe('history store: two hosts on one directory', function () {
  this.timeout(60_000);
  after(removeTmpDirs);
  let workerPath: string;
  before(async () => {
    workerPath = await storeWorkerPath();
  });

  const end = { endedAt: new Date().toISOString(), exitCode: 0, signal: null };

  it('gives the second store its own file with a notice; both files stay whole; the next owner merges', async () => {
    const dir = await tmpDir();
    const firstNotices: string[] = [];
    const secondNotices: string[] = [];
    const first = await openHistoryStore({ dir, workerPath, onNotice: (m) => firstNotices.push(m) });
    const second = await openHistoryStore({ dir, workerPath, onNotice: (m) => secondNotices.push(m) });
    assert.equal(first.file, path.join(dir, 'history.sqlite'));
    assert.equal(second.file, path.join(dir, `history-${process.pid}.sqlite`));
    assert.equal(secondNotices.length, 1);
    assert.match(
      secondNotices[0],
      /history\.sqlite is in use by another Preview Host \(pid \d+, since .*\); this window keeps its history in .*history-\d+\.sqlite instead/,
    );

    // Both write at once, interleaved.
    const a = await first.beginRun(runStart('a'));
    const b = await second.beginRun(runStart('b'));
    for (let seq = 1; seq <= 20_000; seq += 500) {
      first.append(a, makeLines(seq, 500));
      second.append(b, makeLines(seq, 500));
    }
    await Promise.all([first.endRun(a, end), second.endRun(b, end)]);
    await Promise.all([first.dispose(), second.dispose()]);
    assert.deepEqual(firstNotices, []);

    // Each file on its own holds exactly its store's run.
    const SQL = await initSqlJs();
    for (const [file, name] of [
      [first.file, 'a'],
      [second.file, 'b'],
    ]) {
      const db = new SQL.Database(await fs.readFile(file));
      assert.deepEqual(db.exec('PRAGMA integrity_check')[0].values, [['ok']]);
      assert.deepEqual(db.exec('SELECT preview_name, line_count FROM runs')[0].values, [[name, 20_000]]);
      assert.deepEqual(db.exec('SELECT sum(line_count), min(first_seq), max(last_seq) FROM chunks')[0].values, [[20_000, 1, 20_000]]);
      db.close();
    }
    assert.deepEqual(
      (await fs.readdir(dir)).filter((n) => n.endsWith('.lock')),
      [],
      'locks released on dispose',
    );

    // The next owner of the main file folds the leftover fallback file in and deletes it.
    const third = await openHistoryStore({ dir, workerPath });
    try {
      const runs = await third.listRuns();
      assert.deepEqual(runs.map((r) => [r.previewName, r.lineCount]).sort(), [
        ['a', 20_000],
        ['b', 20_000],
      ]);
      const merged = runs.find((r) => r.previewName === 'b')!;
      checkLines(await third.readLines(merged.id, { after: 19_000 }), 19_001);
      assert.deepEqual((await fs.readdir(dir)).sort(), ['history.sqlite', 'history.sqlite.lock']);
    } finally {
      await third.dispose();
    }
  });

  it('falls back while another live process holds the lock, and takes the lock over once it is dead', async () => {
    const dir = await tmpDir();
    const lock = path.join(dir, 'history.sqlite.lock');
    // Alive until killed (or until this test process dies and its stdin closes).
    const other = spawn(process.execPath, ['-e', 'process.stdin.resume()'], { stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      await writeLock(lock, other.pid!, processStartOf(other.pid!));
      const notices: string[] = [];
      const store = await openHistoryStore({ dir, workerPath, onNotice: (m) => notices.push(m) });
      await store.dispose();
      assert.equal(notices.length, 1);
      assert.match(notices[0], new RegExp(`in use by another Preview Host \\(pid ${other.pid},`));
      assert.equal(store.file, path.join(dir, `history-${process.pid}.sqlite`));
    } finally {
      await kill(other);
    }
    // Now its pid is dead: the lock is stale and taken over silently.
    const notices: string[] = [];
    const store = await openHistoryStore({ dir, workerPath, onNotice: (m) => notices.push(m) });
    try {
      assert.deepEqual(notices, []);
      assert.equal(store.file, path.join(dir, 'history.sqlite'));
      assert.equal(readOwner(lock)?.pid, process.pid);
    } finally {
      await store.dispose();
    }
  });

  it('takes over a stale lock: dead pid, reused pid, or unreadable and old', async () => {
    const dead = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => dead.once('exit', resolve));
    const locks: [string, (lock: string) => Promise<void>][] = [
      ['a dead pid', (lock) => writeLock(lock, dead.pid!, null)],
      // Our own pid, but a different process start: the pid was reused since the lock was written.
      ['a reused pid', (lock) => writeLock(lock, process.pid, '1')],
      [
        'garbage older than 10 s',
        async (lock) => {
          await fs.writeFile(lock, 'garbage');
          const old = new Date(Date.now() - 60_000);
          await fs.utimes(lock, old, old);
        },
      ],
    ];
    for (const [name, write] of locks) {
      const dir = await tmpDir();
      await write(path.join(dir, 'history.sqlite.lock'));
      const notices: string[] = [];
      const store = await openHistoryStore({ dir, workerPath, onNotice: (m) => notices.push(m) });
      await store.dispose();
      assert.deepEqual(notices, [], name);
      assert.equal(store.file, path.join(dir, 'history.sqlite'), name);
    }
  });

  it("moves to its own file when its lock is taken from under it, never writing the other host's file", async () => {
    const dir = await tmpDir();
    const notices: string[] = [];
    const store = await openHistoryStore({ dir, workerPath, onNotice: (m) => notices.push(m), persistIntervalMs: 20 });
    const id = await store.beginRun(runStart());
    store.append(id, makeLines(1, 10));
    await store.flush();
    const main = path.join(dir, 'history.sqlite');
    const before = await fs.readFile(main);
    // Another host wrongly judged the lock stale and took it (pid 1 is always alive).
    await writeLock(path.join(dir, 'history.sqlite.lock'), 1, null);
    store.append(id, makeLines(11, 10));
    await store.flush();
    assert.equal(notices.length, 1);
    assert.match(
      notices[0],
      /lost the lock on .*history\.sqlite to another Preview Host; this window now keeps its history in .*history-\d+\.sqlite/,
    );
    assert.equal(store.file, path.join(dir, `history-${process.pid}.sqlite`));
    assert.equal((await store.readLines(id, {})).length, 20);
    await store.dispose();
    assert.deepEqual(await fs.readFile(main), before, "the other host's file was not touched");
    assert.equal(readOwner(path.join(dir, 'history.sqlite.lock'))?.pid, 1, 'nor its lock');
  });

  it('keeps history in memory, read-only, when the directory cannot be written', async () => {
    const dir = await tmpDir();
    await fs.writeFile(path.join(dir, 'file'), '');
    const notices: string[] = [];
    // A path under a regular file: no one (not even root) can create it.
    const store = await openHistoryStore({ dir: path.join(dir, 'file', 'sub'), workerPath, onNotice: (m) => notices.push(m) });
    try {
      assert.equal(store.readonly, true);
      assert.equal(notices.length, 1);
      assert.match(notices[0], /is not writable \(ENOTDIR\); history is kept in memory only/);
      const id = await store.beginRun(runStart());
      store.append(id, makeLines(1, 10));
      await store.flush();
      assert.equal((await store.readLines(id, {})).length, 10);
    } finally {
      await store.dispose();
    }
  });
});

describe("store lock: the owner check on Windows and macOS (pid + start time from the OS's tools)", () => {
  after(removeTmpDirs);
  // Windows PowerShell's answer for a live owner, as processInfo.ts asks for it.
  const started = (start: string): CommandResult => ({
    status: 0,
    stdout: String.raw`{"start":"${start}","command":"\"C:\\Program Files\\Microsoft VS Code\\Code.exe\" --type=utility"}` + '\r\n',
    stderr: '',
  });
  const ownerWith = (answer: CommandResult): ProcessTools => {
    const run = (_file: string, args: string[]): CommandResult =>
      args.at(-1)!.includes(`ProcessId=${process.pid}'`) ? started('2024-03-05T08:00:00.0000000Z') : answer;
    return { platform: 'win32', run: async (file, args) => run(file, args), runSync: run };
  };
  const OWNER_START = '2024-03-05T08:03:07.4130920Z';

  async function lockHeldBy(pid: number): Promise<string> {
    const lock = path.join(await tmpDir(), 'history.sqlite.lock');
    await writeLock(lock, pid, OWNER_START);
    return lock;
  }

  it('same pid + start time → the owner is alive; a reused pid (other start) → stale, taken over', async () => {
    // Our parent runs as long as we do, on every OS: a live pid the fake PowerShell describes.
    const alive = tryLock(await lockHeldBy(process.ppid), ownerWith(started(OWNER_START)));
    assert.ok('owner' in alive && alive.owner?.pid === process.ppid && alive.owner.unverified === undefined, JSON.stringify(alive));

    const reused = tryLock(await lockHeldBy(process.ppid), ownerWith(started('2024-03-06T10:00:00.0000000Z')));
    assert.ok('held' in reused);
    assert.equal(reused.held.owner.processStart, '2024-03-05T08:00:00.0000000Z', 'our own start, as PowerShell says it');
    reused.held.release();
  });

  it('PowerShell missing or failing → the owner is kept (it may be alive) and the attempt says why', async () => {
    const error = Object.assign(new Error('spawn powershell.exe ENOENT'), { code: 'ENOENT' });
    const attempt = tryLock(await lockHeldBy(process.ppid), ownerWith({ status: null, stdout: '', stderr: '', error }));
    assert.ok('owner' in attempt);
    assert.equal(
      attempt.owner?.unverified,
      `could not read the start time of pid ${process.ppid}: could not run powershell.exe: spawn powershell.exe ENOENT`,
    );
  });
});

async function writeLock(lock: string, pid: number, processStart: string | null): Promise<void> {
  await fs.writeFile(lock, JSON.stringify({ pid, processStart, token: 'other-host', since: new Date().toISOString() }));
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
