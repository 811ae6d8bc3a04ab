// Main-thread cost of handing lines to the history store: LineBatchWriter.add for every line and
// finish() per 2 000 lines or BATCH_MAX_CHARS of text (what PendingBatch does before postMessage), as the host feeds it (slices of
// 128 lines sharing one timestamp). With `--baseline DIR` the same for an older version's
// src/store/lineBatch.ts, alternating; CPU time per line, medians of the rounds.
//
//   npx tsx bench/batch-bench.ts [--lines 200000] [--rounds 7] [--baseline DIR]
import * as path from 'node:path';
import type { LogLine } from '../src/shared/protocol';
import { LineBatchWriter } from '../src/store/lineBatch';
import { BATCH_MAX_CHARS } from '../src/store/pendingBatch';
// @ts-expect-error: a plain .mjs module without types
import { realisticLines } from './realistic.mjs';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const count = arg('--lines', 200_000);
const rounds = arg('--rounds', 7);
const baselineIndex = process.argv.indexOf('--baseline');
type Writer = { add(runId: number, lines: readonly LogLine[]): void; finish(): unknown; length: number; chars?: number };
const writers: { label: string; make: () => Writer }[] = [{ label: 'this version', make: () => new LineBatchWriter(2000) }];
if (baselineIndex > 0) {
  const dir = path.resolve(process.argv[baselineIndex + 1]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const old = require(path.join(dir, 'src', 'store', 'lineBatch')) as { LineBatchWriter: new (capacity: number) => Writer };
  writers.push({ label: `baseline (${path.basename(dir)})`, make: () => new old.LineBatchWriter(2000) });
}

// Decoded from bytes, as the host's line splitter gives them (flat strings, not the generator's ropes).
const texts: string[] = Buffer.from((realisticLines(count) as string[]).join('\n'))
  .toString('utf8')
  .split('\n');
const slices: LogLine[][] = [];
for (let at = 0; at < count; at += 128) {
  const ts = new Date(Date.parse('2026-12-01T09:00:00.000Z') + at).toISOString();
  slices.push(texts.slice(at, at + 128).map((text, i) => ({ seq: at + i + 1, ts, level: 'INFO', stream: 'stdout', text })));
}

const results = new Map<string, number[]>(writers.map((w) => [w.label, []]));
for (let r = 0; r < rounds; r++) {
  for (const w of writers) {
    const writer = w.make();
    const start = process.cpuUsage();
    for (const slice of slices) {
      writer.add(1, slice);
      if (writer.length >= 2000 || (writer.chars ?? 0) >= BATCH_MAX_CHARS) writer.finish(); // as PendingBatch does
    }
    writer.finish();
    const used = process.cpuUsage(start);
    results.get(w.label)!.push(((used.user + used.system) * 1000) / count); // ns a line
  }
}
for (const [label, ns] of results) {
  const sorted = [...ns].sort((a, b) => a - b);
  process.stdout.write(
    `${label}: ${sorted[sorted.length >> 1].toFixed(0)} ns of main-thread CPU a line (rounds: ${ns.map((n) => n.toFixed(0)).join(', ')})\n`,
  );
}
