import type { SqlJsStatic } from 'sql.js';
import type { LogLine } from '../shared/protocol';
import { createDatabase } from './loadDatabase';
import { RunTables } from './runTables';

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
  const db = createDatabase(sql);
  const tables = new RunTables(db);
  try {
    const runId = tables.insertRun({
      previewName: 'warm-up',
      command: ['warm-up'],
      cwd: '.',
      port: 0,
      startedAt: new Date(0).toISOString(),
    });
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
  } finally {
    tables.dispose();
    db.close();
  }
}
