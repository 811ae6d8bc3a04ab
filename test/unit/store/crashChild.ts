/**
 * Child process of the crash test: opens the store, appends lines as a dev server in a log storm
 * would, and every 50 ms records the last seq appended in `progressFile`, until it is SIGKILLed.
 * Usage: node --require tsx/cjs crashChild.ts DIR WORKER_PATH PROGRESS_FILE
 */
import * as fs from 'node:fs';
import { openHistoryStore } from '../../../src/store';
import { makeLines, runStart } from './helpers';

async function main(): Promise<void> {
  const [dir, workerPath, progressFile] = process.argv.slice(2);
  const store = await openHistoryStore({ dir, workerPath });
  const id = await store.beginRun(runStart('crash'));
  const started = Date.now();
  let seq = 0;
  const record = (): void => {
    // Rename, so the test never reads a half-written progress file.
    fs.writeFileSync(`${progressFile}.tmp`, JSON.stringify({ lastSeq: seq, elapsedMs: Date.now() - started }));
    fs.renameSync(`${progressFile}.tmp`, progressFile);
  };
  setInterval(record, 50);
  const pump = (): void => {
    store.append(id, makeLines(seq + 1, 100));
    seq += 100;
    setTimeout(pump, 4); // ~20 000 lines/s: a dev server in a log storm
  };
  record();
  pump();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
