// `npx tsx bench/redact-bench.ts [--lines 200000] [--rounds 6]`: the host's own line pipeline
// (splitter, pacer, redaction, levels, ring) in one process, fed by a fake child, with redaction
// on and off in alternating rounds. CPU time (not wall time) per round, so other jobs on a shared
// machine disturb it less than the end-to-end `npm run bench -- --workload redaction`.
// Two kinds of lines: the flood's (`line N t=… xxxx`) and a mix of dev-server lines in which a
// third pass the first look and one in ten holds a secret.
import { Preview } from '../src/host/preview';
import { fakeSpawn } from '../test/unit/helpers/fakeProcess';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const LINES = arg('lines', 200_000);
const ROUNDS = arg('rounds', 6);

const MIXED = [
  '  VITE v5.0.0  ready in 300 ms',
  'GET /api/users 200 12.3 ms - 512',
  '[nodemon] restarting due to changes...',
  'INFO:     127.0.0.1:54321 - "GET /items/5 HTTP/1.1" 200 OK',
  'webpack compiled successfully in 1234 ms',
  '    at Object.<anonymous> (/app/src/index.js:10:5)',
  '2024-05-01 12:00:01,123 - django.request - WARNING - Not Found: /favicon.ico',
  '\x1b[32minfo\x1b[39m  - ready on http://localhost:3000',
  'GET /api/session?token=abc123def 200',
  '[vite] hmr update /src/App.tsx',
];
const WORKLOADS: Record<string, (i: number) => string> = {
  flood: (i) => `line ${i} t=${(1764633000000 + i / 7).toFixed(3)} ${'x'.repeat(64)}`,
  'dev-server mix': (i) => `${MIXED[i % MIXED.length]} ${i}`,
};

/** CPU ms for one preview to take `LINES` lines into its ring. */
async function round(line: (i: number) => string, redact: boolean): Promise<number> {
  const { spawn, children } = fakeSpawn();
  const preview = new Preview({
    id: '1',
    spec: { command: ['fake'], cwd: '.', port: 1, ready: { kind: 'none' }, redact: { enabled: redact } },
    spawn,
  });
  await preview.start();
  const chunks: string[] = [];
  for (let i = 1; i <= LINES; i += 200) {
    let text = '';
    for (let k = i; k < i + 200 && k <= LINES; k++) text += line(k) + '\n';
    chunks.push(text);
  }
  const done = new Promise<void>((resolve) => preview.ring.onDidAppend(() => preview.ring.lastSeq >= LINES && resolve()));
  const cpu0 = process.cpuUsage();
  for (const chunk of chunks) await children[0].write(chunk);
  await done;
  const cpu = process.cpuUsage(cpu0);
  preview.dispose();
  return (cpu.user + cpu.system) / 1000;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
async function main(): Promise<void> {
  for (const [name, line] of Object.entries(WORKLOADS)) {
    const on: number[] = [];
    const off: number[] = [];
    await round(line, true); // warm-up: JIT
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate who goes first, so a slow spell of the machine hits both alike.
      for (const redact of r % 2 === 0 ? [true, false] : [false, true]) (redact ? on : off).push(await round(line, redact));
    }
    const ratio = median(off) / median(on);
    console.log(
      `${name}: ${LINES} lines, CPU ms per round — redaction on ${on.map(Math.round).join(', ')}; off ${off.map(Math.round).join(', ')}; ` +
        `median ${Math.round(median(on))} vs ${Math.round(median(off))} → throughput on ÷ off ≈ ${(ratio * 100).toFixed(0)}%`,
    );
  }
}

void main();
