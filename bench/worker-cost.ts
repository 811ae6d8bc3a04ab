// CPU the history store's worker spends a line: the flood's batches (as PendingBatch hands them
// over) stored by the store's engine on this thread, with the persist timer's write (journal, or
// the whole file once the journal is as large) every 100 000 lines (about once a second of a
// flood), as the worker does. With `--baseline DIR` (a checkout of an older
// version) the same batches go through that version's engine too, alternating round by round.
// Medians of the rounds after the first (which warms up the JIT); CPU time, so a busy machine
// stretches both versions alike.
//
//   node --expose-gc --import tsx bench/worker-cost.ts [--lines 200000] [--rounds 6] [--realistic] [--baseline DIR]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LogLine } from '../src/shared/protocol';
// @ts-expect-error: a plain .mjs module without types
import { realisticLines } from './realistic.mjs';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const count = arg('--lines', 200_000);
const rounds = arg('--rounds', 6);
const realistic = process.argv.includes('--realistic');
const baselineIndex = process.argv.indexOf('--baseline');

type Batch = { runIds: number[] };
interface Version {
  label: string;
  makeBatches(lines: LogLine[][]): Batch[];
  store(engine: unknown, batch: Batch): void;
  engine: new (...callbacks: (() => void)[]) => unknown;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (root: string, module: string) => require(path.join(root, 'src', 'store', module));

function version(root: string, label: string): Version {
  const { LineBatchWriter, readLineBatch } = load(root, 'lineBatch');
  const pending = (() => {
    try {
      return load(root, 'pendingBatch').BATCH_MAX_CHARS as number | undefined;
    } catch {
      return undefined;
    }
  })();
  return {
    label,
    engine: load(root, 'storeEngine').StoreEngine,
    makeBatches(slices) {
      const writer = new LineBatchWriter(2000);
      const batches: Batch[] = [];
      for (const slice of slices) {
        writer.add(1, slice);
        if (writer.length >= 2000 || (pending !== undefined && writer.chars >= pending)) batches.push(writer.finish().batch);
      }
      if (writer.length > 0) batches.push(writer.finish().batch);
      return batches;
    },
    // Older engines took the batch's lines as objects (readLineBatch did that in the worker).
    store(engine, batch) {
      const e = engine as { appendBatch?(b: Batch): void; append(segments: unknown): void };
      if (e.appendBatch) e.appendBatch(batch);
      else e.append(readLineBatch(batch));
    },
  };
}

const versions = [version(path.resolve(__dirname, '..'), 'this version')];
if (baselineIndex > 0) {
  const dir = path.resolve(process.argv[baselineIndex + 1]);
  versions.push(version(dir, `baseline (${path.basename(dir)})`));
}

// The host's slices: 128 lines sharing one timestamp.
const texts: string[] = realistic
  ? Buffer.from((realisticLines(count) as string[]).join('\n'))
      .toString('utf8')
      .split('\n')
  : Array.from({ length: count }, (_, i) => `line ${i + 1} t=${(1764579600000 + i * 0.37).toFixed(3)} ${'x'.repeat(60)}`);
const slices: LogLine[][] = [];
for (let at = 0; at < count; at += 128) {
  const ts = new Date(Date.parse('2026-12-01T09:00:00.000Z') + at).toISOString();
  slices.push(texts.slice(at, at + 128).map((text, i) => ({ seq: at + i + 1, ts, level: 'INFO', stream: 'stdout', text })));
}

const wasm = [path.join(__dirname, '..', 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm')];
const retention = { maxRunsPerPreview: 20, maxBytes: 50 * 1024 * 1024, minLinesPerRun: 50_000 };

async function round(v: Version): Promise<number> {
  const batches = v.makeBatches(slices);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-worker-cost-'));
  const engine = new v.engine(
    () => {},
    () => {},
    () => {},
  ) as {
    open(o: unknown): Promise<unknown>;
    beginRun(r: unknown): number;
    close(): void;
  };
  const save = () => (engine as unknown as { save(): void }).save(); // the persist timer's write
  try {
    await engine.open({ dir, fileName: 'history.sqlite', wasmCandidates: wasm, persistIntervalMs: 1e9, retention });
    const runId = engine.beginRun({ previewName: 'bench', command: ['node'], cwd: dir, port: 1, startedAt: new Date().toISOString() });
    for (const b of batches) b.runIds[0] = runId;
    (globalThis as { gc?: () => void }).gc?.(); // with --expose-gc: the setup's garbage is not counted
    const start = process.cpuUsage();
    let unsaved = 0;
    for (const batch of batches) {
      v.store(engine, batch);
      unsaved += batch.runIds.length > 0 ? (batch as unknown as { seq: Float64Array }).seq.length : 0;
      if (unsaved >= 100_000) {
        save();
        unsaved = 0;
      }
    }
    save();
    const used = process.cpuUsage(start);
    return ((used.user + used.system) * 1000) / count;
  } finally {
    engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void (async () => {
  const results = new Map<string, number[]>(versions.map((v) => [v.label, []]));
  for (let r = 0; r < rounds; r++) for (const v of versions) results.get(v.label)!.push(await round(v));
  process.stdout.write(`${count} ${realistic ? 'realistic' : 'flood'} lines:\n`);
  for (const [label, ns] of results) {
    const warm = ns.slice(1).sort((a, b) => a - b);
    process.stdout.write(
      `  ${label}: ${warm[warm.length >> 1].toFixed(0)} ns of worker CPU a line (rounds: ${ns.map((n) => n.toFixed(0)).join(', ')})\n`,
    );
  }
})();
