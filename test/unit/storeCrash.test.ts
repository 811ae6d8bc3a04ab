import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openHistoryStore } from '../../src/store';
import { checkLines, removeTmpDirs, storeWorkerPath, tmpDir } from './store/helpers';

describe('history store: SIGKILL while lines flow', function () {
  this.timeout(60_000);
  after(removeTmpDirs);

  it('reopens the file, marks the run abnormal, and loses at most ~1 s of lines', async () => {
    const workerPath = await storeWorkerPath();
    const dir = await tmpDir();
    const progressFile = path.join(dir, 'progress.json');
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', path.join(__dirname, 'store/crashChild.ts'), dir, workerPath, progressFile],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    // Let it run ~2 s from its first line, then kill it without warning.
    for (let waited = 0; ; waited += 20) {
      const progress = await readProgress(progressFile);
      if (progress && progress.elapsedMs >= 2000) break;
      if (waited > 30_000) throw new Error(`crash child made no progress: ${JSON.stringify(progress)}`);
      await sleep(20);
    }
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    const { lastSeq, elapsedMs } = (await readProgress(progressFile))!;

    const notices: string[] = [];
    const store = await openHistoryStore({ dir, workerPath, onNotice: (m) => notices.push(m) });
    try {
      assert.deepEqual(notices, [], 'no quarantine: the file was whole');
      const [run] = await store.listRuns();
      assert.equal(run.previewName, 'crash');
      assert.equal(run.abnormal, true);
      assert.ok(run.endedAt, 'the run got an end time');
      const stored = run.lineCount;
      const tail = await store.readLines(run.id, { after: Math.max(0, stored - 1000), limit: 1000 });
      checkLines(tail, Math.max(0, stored - 1000) + 1);
      assert.equal(tail.at(-1)?.seq ?? 0, stored, 'stored lines are 1..n with no holes');
      assert.equal(run.endedAt, tail.at(-1)?.ts, 'ended at its last stored line');

      const rate = lastSeq / elapsedMs; // lines per ms
      const missing = lastSeq - stored;
      console.log(`      appended ≥ ${lastSeq} lines in ${elapsedMs} ms (${Math.round(rate * 1000)} lines/s), ` +
        `stored ${stored}: ${missing} missing ≈ ${Math.round(missing / rate)} ms of lines`);
      assert.ok(stored > 0, 'something was persisted');
      assert.ok(missing <= rate * 1500, `missing ${missing} lines is more than 1.5 s worth (${Math.round(rate * 1500)})`);
    } finally {
      await store.dispose();
    }
  });
});

async function readProgress(file: string): Promise<{ lastSeq: number; elapsedMs: number } | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return undefined; // not written yet, or caught mid-write
  }
}
