import type { Database, SqlJsStatic } from 'sql.js';
import type { LogLine } from '../shared/protocol';
import { createDatabase } from './loadDatabase';
import { RunTables } from './runTables';
import type { SealedChunk } from './chunkWriter';
import { heapList } from './heapList';
import { LineBatchWriter, viewsOfLineBatch } from './lineBatch';

/** Lines the warm-up stores: three chunks of long lines, so sealing, overflow pages and growth run. */
const WARM_LINES = 48;
const WARM_TEXT_CHARS = 4096;

/**
 * Runs the store's append path once, on a throw-away database, when the store opens. sql.js's
 * WebAssembly is compiled function by function on first call (`compileWasmOptimizedFromTheStart`),
 * so without this the first flood of lines paid for compiling SQLite's insert, page-allocation
 * and commit code on the store's thread (bench/run.mjs, perf: ~13% of the worker's CPU in a
 * 200 000-line flood). Here it is paid while the store opens (~50 ms). Few lines, so that no
 * JavaScript gets hot enough to be optimized now: a worker ended while V8 still compiles for it
 * can take the process down (nodejs/node#51129 and kin).
 */
export function warmUpAppendPath(sql: SqlJsStatic): void {
  withScratchRun(sql, (db, tables, runId) => {
    const lines: LogLine[] = [];
    let state = 0x9e3779b9;
    for (let seq = 1; seq <= WARM_LINES; seq++) {
      // Text that does not compress much, so each chunk's row spans several pages as real ones do.
      let text = '';
      while (text.length < WARM_TEXT_CHARS) {
        state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
        text += state.toString(36);
      }
      lines.push({ seq, ts: new Date(seq * 7).toISOString(), level: 'INFO', stream: 'stdout', text });
    }
    db.exec('BEGIN');
    tables.insertLines(runId, lines);
    db.exec('COMMIT');
    db.exec('BEGIN');
    tables.sealAll();
    db.exec('COMMIT');
    db.export();
  });
}

/** Lines warmUpBatchPath stores: enough for V8 to optimize the chunk code a line passes through. */
export const WARM_BATCH_LINES = 30_000;
const WARM_BATCH = 1000;
/** Lines that share a time: the host's reads come in slices of this many (its output pacer's). */
const READ_LINES = 128;

/**
 * Runs the store's JavaScript for a batch (columns, chunk encoding and compression, insert) over short
 * lines on a throw-away database, so V8 has compiled it optimized before the first burst: a fresh
 * worker otherwise runs that burst in its slow tiers while V8's threads compile it, on the cores
 * the host and the dev server need (bench/run.mjs: a first 20 000-line burst with history took
 * 50 ms less of the host's CPU). Only for a store kept open for long: V8 compiles on its own
 * threads after this returns, and a worker ended meanwhile can take the process down
 * (nodejs/node#51129 and kin), so closing waits WARM_SETTLE_MS past it (see worker.ts).
 */
export function warmUpBatchPath(sql: SqlJsStatic, lines = WARM_BATCH_LINES): void {
  withScratchRun(sql, (db, tables, runId) => {
    let seq = 0;
    let ts = '';
    while (seq < lines) {
      const writer = new LineBatchWriter(WARM_BATCH);
      const batch: LogLine[] = [];
      for (let k = 0; k < WARM_BATCH && seq < lines; k++) {
        // A new time every read's worth of lines, as the host's slices have.
        if (seq % READ_LINES === 0) ts = new Date(Date.UTC(2026, 0, 1) + seq).toISOString();
        seq++;
        const level = seq % 40 === 0 ? 'ERROR' : seq % 25 === 0 ? 'WARN' : 'INFO';
        batch.push({
          seq,
          ts,
          level,
          stream: seq % 9 === 0 ? 'stderr' : 'stdout',
          text: `GET /api/items/${seq}?page=${seq % 7} 200 ${seq % 97} ms - ${seq * 13}`,
        });
      }
      writer.add(runId, batch);
      // Cloned as postMessage delivers a batch, so V8 compiles for the objects the worker really gets.
      const { batch: sent, transfer } = writer.finish();
      tables.begin();
      for (const view of viewsOfLineBatch(structuredClone(sent, { transfer }))) tables.insertView(runId, view, 0, view.seq.length);
      tables.commit();
    }
  });
}

/** Runs `fn` on a run of a throw-away in-memory database, closed after. */
function withScratchRun(sql: SqlJsStatic, fn: (db: Database, tables: RunTables, runId: number) => void): void {
  const db = createDatabase(sql);
  // Sealed chunks listed as the store's own tables list them, so that code is warm too.
  const tables = new RunTables(db, heapList<SealedChunk>());
  try {
    const runId = tables.insertRun({
      previewName: 'warm-up',
      command: ['warm-up'],
      cwd: '.',
      port: 0,
      startedAt: new Date(0).toISOString(),
    });
    fn(db, tables, runId);
  } finally {
    tables.dispose();
    db.close();
  }
}
