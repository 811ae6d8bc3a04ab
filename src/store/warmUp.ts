import type { SqlJsStatic } from 'sql.js';
import type { LogLine } from '../shared/protocol';
import { MAX_CHUNK_LINES } from './chunkCodec';
import { viewOfLines } from './lineBatch';
import { createDatabase } from './loadDatabase';
import { RunTables } from './runTables';

/** Lines the warm-up stores: a few chunks' worth, so that sealing, overflow pages and growth run. */
const WARM_LINES = 3 * MAX_CHUNK_LINES;

/**
 * Runs the store's append path once, on a throw-away database, when the store opens. sql.js's
 * WebAssembly is compiled function by function on first call (`compileWasmOptimizedFromTheStart`),
 * so without this the first flood of lines paid for compiling SQLite's insert, page-allocation
 * and commit code on the store's thread (bench/run.mjs, perf: ~13% of the worker's CPU in a
 * 200 000-line flood). Here it is paid while the app starts, on the worker's own thread.
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
    for (let seq = 1; seq <= WARM_LINES; seq++) {
      const ts = new Date(seq * 7).toISOString();
      lines.push({ seq, ts, level: seq % 50 === 0 ? 'ERROR' : 'INFO', stream: 'stdout', text: warmText(seq) });
    }
    const view = viewOfLines(runId, lines);
    db.exec('BEGIN');
    tables.insertView(runId, view, 0, lines.length);
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

// Varied text, so the chunks compress about as real logs do and take several pages each.
function warmText(seq: number): string {
  const path = `/api/items/${(seq * 2654435761) % 100_003}?page=${seq % 17}`;
  return `INFO:     127.0.0.1:${40_000 + (seq % 20_000)} - "GET ${path} HTTP/1.1" ${seq % 9 === 0 ? 404 : 200} OK`;
}
