/**
 * Child process of the crash test: opens the store, appends lines as a dev server in a log storm
 * would, and every 50 ms prints the last seq appended as a JSON line on stdout, until it is SIGKILLed.
 * Usage: node --require tsx/cjs crashChild.ts DIR WORKER_PATH
 */
import { openHistoryStore } from '../../../src/store';
import { makeLines, runStart } from './helpers';

async function main(): Promise<void> {
  const [dir, workerPath] = process.argv.slice(2);
  const store = await openHistoryStore({ dir, workerPath });
  const id = await store.beginRun(runStart('crash'));
  const started = Date.now();
  let seq = 0;
  // One write per record: a pipe write this small is atomic, so the test never reads half of one.
  const record = (): void => void process.stdout.write(`${JSON.stringify({ lastSeq: seq, elapsedMs: Date.now() - started })}\n`);
  setInterval(record, 50);
  const pump = (): void => {
    store.append(id, makeLines(seq + 1, 100));
    seq += 100;
    // Real time on purpose: the crash test measures what a SIGKILL loses at a real rate (~20 000 lines/s).
    setTimeout(pump, 4);
  };
  record();
  pump();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
