// Time to write a 50 MB history database whole (sql.js export, temp file, fsync, rename), in the
// store's worker: issue 3's benchmark figure. Run after `npm run build` (it uses dist/storeWorker.js):
//
//   npx tsx bench/persist-bench.ts [--repeat 5] [--mb 50]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openHistoryStore } from '../src/store';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const repeat = arg('--repeat', 5);
const targetBytes = arg('--mb', 50) * 1024 * 1024;
const root = path.resolve(__dirname, '..');
const workerPath = path.join(root, 'dist', 'storeWorker.js');

async function main(): Promise<void> {
  if (!fs.existsSync(workerPath)) throw new Error(`${workerPath} is missing: run npm run build first`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-persist-bench-'));
  const store = await openHistoryStore({
    dir,
    workerPath,
    persistIntervalMs: 3_600_000, // only the flushes below write
    retention: { maxBytes: 4 * targetBytes },
  });
  try {
    const id = await store.beginRun({ previewName: 'bench', command: ['bench'], cwd: root, port: 1, startedAt: new Date().toISOString() });
    const pad = 'x'.repeat(60);
    let seq = 0;
    const addLines = (n: number) => {
      const lines = [];
      for (let i = 0; i < n; i++) {
        seq++;
        lines.push({
          seq,
          ts: new Date().toISOString(),
          level: 'INFO' as const,
          stream: 'stdout' as const,
          text: `line ${seq} GET /api/items/${seq % 997} 200 ${pad}`,
        });
      }
      store.append(id, lines);
    };
    for (;;) {
      for (let i = 0; i < 20; i++) addLines(2000);
      await store.flush();
      if (store.stats().lastPersist!.bytes >= targetBytes) break;
    }
    const writes: { bytes: number; ms: number }[] = [];
    for (let r = 0; r < repeat; r++) {
      addLines(1); // something to write
      await store.flush();
      writes.push(store.stats().lastPersist!);
    }
    const ms = writes.map((w) => w.ms).sort((a, b) => a - b);
    const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
    process.stdout.write(
      `History database of ${mb(writes[0].bytes)} MiB (${seq.toLocaleString('en')} lines) written whole ${repeat} times: ` +
        `${writes.map((w) => `${w.ms.toFixed(0)} ms`).join(', ')}; median ${ms[Math.floor(ms.length / 2)].toFixed(0)} ms, ` +
        `max ${ms.at(-1)!.toFixed(0)} ms (export, temp file, fsync, rename; in the store's worker).\n`,
    );
  } finally {
    await store.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`persist-bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
