import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { CliBanner } from '../../src/shared/protocol';
import { openHistoryStore } from '../../src/store';
import { EMIT_LINES } from './helpers/host';
import { CLI, ensureBuilt } from './helpers/build';
import { RawSseClient } from './helpers/sse';
import { firstLine } from './helpers/wait';
import { removeTmpDirs, storeWorkerPath, tmpDir } from './store/helpers';

describe('CLI killed with SIGKILL while lines flow', function () {
  before(ensureBuilt);
  this.timeout(60_000);
  after(removeTmpDirs);

  it('leaves a history that opens, marks the run abnormal, and misses at most about 1 s of lines', async () => {
    const dir = await tmpDir();
    const rate = 10_000;
    const cli = spawn(
      process.execPath,
      [CLI, 'run', '--json', '--history', dir, '--', process.execPath, EMIT_LINES, '1000000', String(rate)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const banner = JSON.parse(await firstLine(cli.stdout.setEncoding('utf8'))) as CliBanner;
    const client = new RawSseClient(banner.url);
    await client.ready;
    await client.until(() => client.ofType('log').length >= 2.5 * rate, 30_000);
    cli.kill('SIGKILL');
    await new Promise((r) => cli.once('exit', r));
    const seen = Number(client.ofType('log').at(-1)!.id); // the host had read at least this many
    client.close();
    process.kill(banner.pid!, 'SIGKILL'); // the orphaned emitter; the dead host cannot stop it

    const history = await openHistoryStore({ dir, workerPath: await storeWorkerPath() });
    try {
      const [run] = await history.listRuns();
      assert.equal(run.abnormal, true, 'the run is marked as ended abnormally');
      assert.ok(run.endedAt, 'and given an end time');
      const stored = run.lineCount;
      const missing = Math.max(0, seen - stored);
      const missingMs = (missing / rate) * 1000;
      console.log(
        `      lost on SIGKILL: ${missing} lines ≈ ${missingMs.toFixed(0)} ms at ${rate} lines/s (stored ${stored} of ≥ ${seen})`,
      );
      assert.ok(missingMs <= 1500, `lost ${missing} lines = ${missingMs.toFixed(0)} ms`);
      const lines = await history.readLines(run.id, { after: 0, limit: 10_000 });
      assert.deepEqual(
        lines.slice(0, 3).map((l) => l.seq),
        [1, 2, 3],
      );
    } finally {
      await history.dispose();
    }
  });
});
