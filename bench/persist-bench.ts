// The history store's own figures (issue 3 and issue 10), in the store's worker as the host uses it.
// Run after `npm run build` (it uses dist/storeWorker.js):
//
//   npx tsx bench/persist-bench.ts [--repeat 5] [--mb 50] [--lines 200000] [--baseline DIR] [--writes-only]
//   npx tsx bench/persist-bench.ts --in-process --baseline DIR [--repeat 5] [--mb 50]
//
// 1. Density: `--lines` lines of bench/realistic.mjs appended as the host does (batches of 500
//    sharing a timestamp), run ended, store closed: bytes of every file in the history directory
//    per line. Then, reopened: export of the run as text and as JSON lines, a search that matches
//    nothing, a page of one level (medians of `--repeat`).
// 2. Whole write: a database of `--mb` MiB (the cap) written whole (export, temp file, fsync,
//    rename), `--repeat` times. With `--baseline DIR` (a checkout of an older version, its worker
//    built to DIR/dist/storeWorker.js), the same database size is written by that version too,
//    alternating, so both share the machine's state.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HistoryStore, HistoryStoreOptions } from '../src/store';
import { openHistoryStore } from '../src/store';
import type { LogLine } from '../src/shared/protocol';
// @ts-expect-error: a plain .mjs module without types
import { realisticLines } from './realistic.mjs';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const repeat = arg('--repeat', 5);
const targetBytes = arg('--mb', 50) * 1024 * 1024;
const lineCount = arg('--lines', 200_000);
const baselineIndex = process.argv.indexOf('--baseline');
const baselineDir = baselineIndex > 0 ? path.resolve(process.argv[baselineIndex + 1]) : undefined;
const root = path.resolve(__dirname, '..');
const workerPath = path.join(root, 'dist', 'storeWorker.js');

type Open = (options: HistoryStoreOptions) => Promise<HistoryStore>;
const run = { previewName: 'bench', command: ['bench'], cwd: root, port: 1, startedAt: new Date().toISOString() };
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
const ms = (n: number) => `${n.toFixed(0)} ms`;
const mib = (b: number) => (b / 1024 / 1024).toFixed(1);

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ph-persist-bench-'));
}

function dirBytes(dir: string): number {
  return fs.readdirSync(dir).reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
}

/** Wall time of `fn` and CPU time of this process meanwhile: the worker's, the main thread only waiting. */
async function timed(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000 };
}

/** Median wall and CPU time: on a busy machine the worker (nice 10) waits for a CPU, and CPU time says what the work costs. */
function both(times: { wall: number; cpu: number }[]): string {
  return `${ms(median(times.map((t) => t.wall)))} (CPU ${ms(median(times.map((t) => t.cpu)))})`;
}

/** Section 1: density of the realistic log, then export and search over it. */
async function density(): Promise<void> {
  const dir = tmp();
  try {
    const texts: string[] = realisticLines(lineCount);
    const store = await openHistoryStore({ dir, workerPath });
    const id = await store.beginRun(run);
    const levelOf = (text: string): LogLine['level'] =>
      text.includes(' ERROR ') || text.includes('"level":50') ? 'ERROR' : text.includes('WARNING') ? 'WARN' : 'INFO';
    for (let at = 0; at < texts.length; at += 500) {
      const ts = new Date().toISOString();
      const batch: LogLine[] = [];
      for (let i = at; i < Math.min(at + 500, texts.length); i++) {
        batch.push({ seq: i + 1, ts, level: levelOf(texts[i]), stream: 'stdout', text: texts[i] });
      }
      if (!store.append(id, batch)) await store.whenDrained();
      if (at % 20_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await store.endRun(id, { endedAt: new Date().toISOString(), exitCode: 0, signal: null });
    await store.dispose();
    const bytes = dirBytes(dir);
    const logBytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t) + 1, 0);
    process.stdout.write(
      `Realistic log, ${lineCount.toLocaleString('en')} lines of ${(logBytes / lineCount).toFixed(1)} bytes: history directory ` +
        `${mib(bytes)} MiB (${fs.readdirSync(dir).join(', ')}) = ${(bytes / lineCount).toFixed(1)} bytes a line; ` +
        `the 50 MiB cap keeps ~${((50 * 1024 * 1024) / (bytes / lineCount) / 1e6).toFixed(1)} million such lines.\n`,
    );

    const reopened = await openHistoryStore({ dir, workerPath });
    try {
      type Time = { wall: number; cpu: number };
      const times = { text: [] as Time[], jsonl: [] as Time[], search: [] as Time[], level: [] as Time[] };
      let exported = 0;
      for (let r = 0; r < repeat; r++) {
        times.text.push(await timed(async () => (exported = (await reopened.exportRun(id, 'text')).length)));
        times.jsonl.push(await timed(() => reopened.exportRun(id, 'jsonl')));
        times.search.push(await timed(async () => assertEmpty(await reopened.readLines(id, { q: 'no such text anywhere' }))));
        times.level.push(await timed(() => reopened.readLines(id, { levels: ['ERROR'], limit: 1000 })));
      }
      process.stdout.write(
        `Over that run (reopened; medians of ${repeat}, as the host sees them through the worker): export text ` +
          `${both(times.text)} (${mib(exported)} MiB), export JSON lines ${both(times.jsonl)}, a search that matches ` +
          `nothing ${both(times.search)}, the first 1 000 ERROR lines ${both(times.level)}.\n`,
      );
    } finally {
      await reopened.dispose();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function assertEmpty(lines: LogLine[]): void {
  if (lines.length !== 0) throw new Error(`the no-match search found ${lines.length} lines`);
}

interface Filled {
  label: string;
  store: HistoryStore;
  dir: string;
  addLines(n: number): void;
  lines(): number;
  ms: number[];
}

/** Section 2, first half: a database filled to the cap (nothing else writes it but `flush`). */
async function fill(open: Open, worker: string, label: string): Promise<Filled> {
  const dir = tmp();
  const store = await open({ dir, workerPath: worker, persistIntervalMs: 3_600_000, retention: { maxBytes: 4 * targetBytes } });
  const id = await store.beginRun(run);
  let seq = 0;
  // Lines that hardly compress (ids and hashes), so the database reaches the cap in few lines.
  const addLines = (n: number) => {
    const lines: LogLine[] = [];
    const ts = new Date().toISOString();
    for (let i = 0; i < n; i++) {
      seq++;
      const noise = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
      lines.push({
        seq,
        ts,
        level: 'INFO',
        stream: 'stdout',
        text: `line ${seq} GET /api/items/${seq % 997} 200 ${noise}${noise}${noise}`,
      });
    }
    store.append(id, lines);
  };
  for (;;) {
    for (let i = 0; i < 20; i++) addLines(2000);
    await store.flush();
    if (store.stats().lastPersist!.bytes >= targetBytes) break;
  }
  return { label, store, dir, addLines, lines: () => seq, ms: [] };
}

async function main(): Promise<void> {
  if (!fs.existsSync(workerPath)) throw new Error(`${workerPath} is missing: run npm run build first`);
  if (!process.argv.includes('--writes-only')) await density();
  const contenders: { label: string; open: Open; worker: string }[] = [
    { label: 'this version', open: openHistoryStore, worker: workerPath },
  ];
  if (baselineDir) {
    const worker = path.join(baselineDir, 'dist', 'storeWorker.js');
    if (!fs.existsSync(worker)) throw new Error(`${worker} is missing: build the baseline's worker first`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const baseline = require(path.join(baselineDir, 'src', 'store')) as { openHistoryStore: Open };
    contenders.push({ label: `baseline (${path.basename(baselineDir)})`, open: baseline.openHistoryStore, worker });
  }
  const filled: Filled[] = [];
  try {
    for (const c of contenders) filled.push(await fill(c.open, c.worker, c.label));
    // Alternating, write by write: every version sees the machine alike.
    for (let r = 0; r < repeat; r++) {
      for (const f of filled) {
        f.addLines(1); // something to write
        await f.store.flush();
        f.ms.push(f.store.stats().lastPersist!.ms);
      }
    }
    for (const f of filled) {
      process.stdout.write(
        `Whole write, ${f.label}: a ${mib(f.store.stats().lastPersist!.bytes)} MiB database (${f.lines().toLocaleString('en')} lines) ` +
          `written ${repeat} times: ${f.ms.map(ms).join(', ')}; median ${ms(median(f.ms))}, max ${ms(Math.max(...f.ms))} ` +
          `(export, temp file, fsync, rename; in the worker).\n`,
      );
    }
  } finally {
    for (const f of filled) {
      await f.store.dispose();
      fs.rmSync(f.dir, { recursive: true, force: true });
    }
  }
}

// The store's worker keeps the process alive only while a call is in flight, not while
// `whenDrained` waits: this timer does, until the bench is done.
const keepAlive = setInterval(() => {}, 1000);
/**
 * `--in-process`: the whole writes again, each version's StoreEngine on this thread (no worker, no
 * nice 10), alternating write by write: what the write itself costs, without the scheduling of two
 * low-priority workers on a shared machine.
 */
async function wholeWritesInProcess(): Promise<void> {
  if (!baselineDir) throw new Error('--in-process needs --baseline DIR');
  type Engine = typeof import('../src/store/storeEngine').StoreEngine;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const engines: [string, Engine][] = [
    ['this version', require('../src/store/storeEngine').StoreEngine as Engine],
    [`baseline (${path.basename(baselineDir)})`, require(path.join(baselineDir, 'src', 'store', 'storeEngine')).StoreEngine as Engine],
  ];
  /* eslint-enable @typescript-eslint/no-require-imports */
  const clock = { now: () => Date.now(), setTimeout: () => 0, clearTimeout: () => {} };
  const wasmCandidates = [require.resolve('sql.js/dist/sql-wasm.wasm')];
  const filled = [];
  for (const [label, Engine] of engines) {
    let last = { bytes: 0, ms: 0 };
    const engine = new Engine(
      () => {},
      () => {},
      (bytes, ms) => (last = { bytes, ms }),
      clock,
    );
    const dir = tmp();
    await engine.open({
      dir,
      fileName: 'history.sqlite',
      retention: { maxRunsPerPreview: 20, maxBytes: 4 * targetBytes, minLinesPerRun: 50_000 },
      persistIntervalMs: 3_600_000,
      wasmCandidates,
    });
    const id = engine.beginRun(run);
    let seq = 0;
    const add = (n: number) => {
      const lines: LogLine[] = [];
      const ts = new Date().toISOString();
      for (let i = 0; i < n; i++) {
        seq++;
        const noise = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
        lines.push({
          seq,
          ts,
          level: 'INFO',
          stream: 'stdout',
          text: `line ${seq} GET /api/items/${seq % 997} 200 ${noise}${noise}${noise}`,
        });
      }
      engine.append([{ runId: id, lines }]);
    };
    do {
      for (let i = 0; i < 50; i++) add(2000);
      engine.flush();
    } while (last.bytes < targetBytes);
    filled.push({ label, engine, dir, add, last: () => last, ms: [] as number[], lines: () => seq });
  }
  for (let r = 0; r < repeat; r++) {
    for (const f of filled) {
      f.add(1);
      f.engine.flush();
      f.ms.push(f.last().ms);
    }
  }
  for (const f of filled) {
    process.stdout.write(
      `Whole write in process, ${f.label}: ${mib(f.last().bytes)} MiB (${f.lines().toLocaleString('en')} lines), ${repeat} times: ` +
        `${f.ms.map(ms).join(', ')}; median ${ms(median(f.ms))}.\n`,
    );
    f.engine.close();
    fs.rmSync(f.dir, { recursive: true, force: true });
  }
}

(process.argv.includes('--in-process') ? wholeWritesInProcess() : main())
  .catch((error) => {
    process.stderr.write(`persist-bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => clearInterval(keepAlive));
