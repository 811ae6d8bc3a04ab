/** Shared helpers of the store tests: the bundled worker, temp dirs, and deterministic log lines. */
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { brotliDecompressSync, deflateRawSync } from 'node:zlib';
import initSqlJs from 'sql.js';
import type { Clock } from '../../../src/common/clock';
import type { RunStart } from '../../../src/host/history';
import { journalPathOf } from '../../../src/store/journal';
import { DEFAULT_RETENTION } from '../../../src/store/retention';
import { StoreEngine } from '../../../src/store/storeEngine';
import type { LogLevel, LogLine } from '../../../src/shared/protocol';

const repoRoot = path.resolve(__dirname, '../../..');
let built: Promise<string> | undefined;

/**
 * Bundles src/store/worker.ts once per test run, the way esbuild.mjs builds dist/storeWorker.js,
 * and returns its path. No wasm is copied beside it: the store falls back to node_modules/sql.js.
 */
export function storeWorkerPath(): Promise<string> {
  built ??= (async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'preview-host-worker-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const outfile = path.join(dir, 'storeWorker.js');
    await esbuild.build({
      entryPoints: [path.join(repoRoot, 'src/store/worker.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile,
      logLevel: 'warning',
    });
    return outfile;
  })();
  return built;
}

const tmpDirs: string[] = [];

/** A fresh temp directory, deleted by `removeTmpDirs`. */
export async function tmpDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'preview-host-store-'));
  tmpDirs.push(dir);
  return dir;
}

/** Deletes the directories `tmpDir` made (a test file's `after` hook): the big tests leave ~100 MB. */
export async function removeTmpDirs(): Promise<void> {
  const dirs = tmpDirs.splice(0);
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
}

/** A RunStart for preview `name`. */
export function runStart(name = 'web', startedAt = new Date().toISOString()): RunStart {
  return { previewName: name, command: ['npm', 'run', 'dev'], cwd: '/srv/app', port: 5173, startedAt };
}

const T0 = Date.parse('2025-01-01T00:00:00.000Z');

/** The line with this seq: level, stream and text are a function of seq, so any line can be checked. */
export function expectedLine(seq: number, textPad = 0): LogLine {
  const level: LogLevel = seq % 97 === 0 ? 'ERROR' : seq % 13 === 0 ? 'WARN' : seq % 7 === 0 ? 'DEBUG' : 'INFO';
  return {
    seq,
    ts: new Date(T0 + seq).toISOString(),
    level,
    stream: level === 'ERROR' || level === 'WARN' ? 'stderr' : 'stdout',
    text: `[${seq}] GET /api/items/${seq % 1000} \x1b[32m200\x1b[0m in ${seq % 50} ms - user agent Mozilla/5.0` + padding(seq, textPad),
  };
}

const PAD_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/';

// `length` characters that depend on seq and hardly compress (like the ids and hashes of real
// logs), so the size tests' lines take room on disk as they would in a real history.
function padding(seq: number, length: number): string {
  let text = '';
  let x = seq * 2654435761;
  for (let i = 0; i < length; i++) {
    x = (x ^ (x >>> 13)) * 1274126177;
    x = (x ^ (x >>> 16)) >>> 0;
    text += PAD_CHARS[x & 63];
  }
  return text;
}

/** Lines from..from+count-1. */
export function makeLines(from: number, count: number, textPad = 0): LogLine[] {
  const lines: LogLine[] = [];
  for (let seq = from; seq < from + count; seq++) lines.push(expectedLine(seq, textPad));
  return lines;
}

/** Fails with the first difference between `lines` and the expected lines from `from`. */
export function checkLines(lines: readonly LogLine[], from: number, textPad = 0): void {
  lines.forEach((line, i) => {
    const want = expectedLine(from + i, textPad);
    if (
      line.seq !== want.seq ||
      line.ts !== want.ts ||
      line.level !== want.level ||
      line.stream !== want.stream ||
      line.text !== want.text
    ) {
      throw new Error(`line ${i} differs: got ${JSON.stringify(line)}, want ${JSON.stringify(want)}`);
    }
  });
}

/** Milliseconds since `start` (from performance.now()), rounded. */
export function since(start: number): number {
  return Math.round(performance.now() - start);
}

/**
 * The worker's StoreEngine on this thread, its persist timer on `clock`: a test moves time on and
 * knows the journal was written, instead of sleeping until it probably was.
 */
export async function openEngine(dir: string, clock: Clock, persistIntervalMs: number) {
  const notices: string[] = [];
  let persists = 0;
  const engine = new StoreEngine(
    (message) => notices.push(message),
    () => {},
    () => persists++,
    clock,
  );
  const wasmCandidates = [require.resolve('sql.js/dist/sql-wasm.wasm')];
  const target = await engine.open({ dir, fileName: 'history.sqlite', retention: DEFAULT_RETENTION, persistIntervalMs, wasmCandidates });
  return { engine, file: target.file, notices, persists: () => persists };
}

/**
 * Rewrites a closed store's file as the versions before brotli left it: each chunk's payload the
 * same columns deflated, with no leading byte, and `userVersion` when given. Its journal, empty
 * after the close's whole write, goes. Returns the first byte each payload had.
 */
export async function deflateChunksAsBefore(file: string, userVersion?: number): Promise<number[]> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(await fs.readFile(file));
  const firstBytes: number[] = [];
  try {
    for (const [id, payload] of db.exec('SELECT id, payload FROM chunks')[0].values as [number, Uint8Array][]) {
      firstBytes.push(payload[0]);
      db.run('UPDATE chunks SET payload = ? WHERE id = ?', [deflateRawSync(brotliDecompressSync(payload.subarray(1)), { level: 1 }), id]);
    }
    if (userVersion !== undefined) db.exec(`PRAGMA user_version = ${userVersion}`);
    await fs.writeFile(file, db.export());
  } finally {
    db.close();
  }
  await fs.rm(journalPathOf(file), { force: true });
  return firstBytes;
}
