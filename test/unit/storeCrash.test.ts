import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { openHistoryStore } from '../../src/store';
import { checkLines, removeTmpDirs, storeWorkerPath, tmpDir } from './store/helpers';

describe('history store: SIGKILL while lines flow', function () {
  this.timeout(60_000);
  after(removeTmpDirs);

  it('reopens the file, marks the run abnormal, and loses at most ~1 s of lines', async () => {
    const workerPath = await storeWorkerPath();
    const dir = await tmpDir();
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'store/crashChild.ts'), dir, workerPath], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    // Let it run ~2 s from its first line, then kill it without warning; its last progress line counts.
    let progress: { lastSeq: number; elapsedMs: number } | undefined;
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      progress = JSON.parse(line);
      if (progress!.elapsedMs >= 2000) child.kill('SIGKILL');
    });
    const closed = new Promise((resolve) => lines.once('close', resolve));
    assert.equal(await exited, 'SIGKILL', `crash child made no progress: ${JSON.stringify(progress)}`);
    await closed; // every progress line it wrote has been read
    const { lastSeq, elapsedMs } = progress!;

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
      console.log(
        `      appended ≥ ${lastSeq} lines in ${elapsedMs} ms (${Math.round(rate * 1000)} lines/s), ` +
          `stored ${stored}: ${missing} missing ≈ ${Math.round(missing / rate)} ms of lines`,
      );
      assert.ok(stored > 0, 'something was persisted');
      assert.ok(missing <= rate * 1500, `missing ${missing} lines is more than 1.5 s worth (${Math.round(rate * 1500)})`);
    } finally {
      await store.dispose();
    }
  });
});
