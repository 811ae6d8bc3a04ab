import * as fs from 'node:fs';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

/** Loads sql.js with the first of `wasmCandidates` that exists. */
export async function loadSqlJs(wasmCandidates: readonly string[]): Promise<SqlJsStatic> {
  const wasm = wasmCandidates.find((candidate) => fs.existsSync(candidate));
  if (!wasm) throw new Error(`sql-wasm.wasm not found; looked in: ${wasmCandidates.join(', ') || '(nowhere)'}`);
  return initSqlJs({ locateFile: () => wasm });
}
