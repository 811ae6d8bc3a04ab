#!/usr/bin/env node
// `npm run bench`: the host (dist/cli.js) against a hand-written node:http SSE forwarder
// (bench/forwarder.mjs), same machine, same run, same emitter (bench/emitter.mjs), same client
// (bench/client.mjs: the `eventsource` package, in its own process).
//
//   node bench/run.mjs [--workload latency|burst|flood|flood-realistic|flood-warm|slow|redaction|all[,…]] [--repeat N] [--pad 64]
//                      [--timeout 120] [--sequential] [--json] [--profile] [--dump] [--history]
//                      [--servers host,forwarder|history,no-history,ceiling,…] [--baseline DIR]
//
// Workloads (the clients connect before the first line, then the emitter is told to go):
//   latency  5 000 lines at 1 000 lines/s; 5 runs, host and forwarder side by side
//   burst    20 000 lines in one write; 3 runs each, one after the other (alternating who goes first)
//   flood    200 000 lines as fast as possible; 3 runs each, likewise
//   flood-warm  the flood on a host that has just carried 200 000 lines (JIT, heap, ring, store warm)
//   slow     flood + a second client that stops reading for 10 s; 1 run each (measured, not a target)
//   redaction  the flood through the host with redaction on and with --no-redact, side by side; 3 runs
// --repeat N sets the runs of latency, burst and flood. The table shows medians, and the worst run
// for received/lost/gaps. --json also writes bench/results/latest.json (every run); --profile runs
// the servers under `node --cpu-prof` (bench/results/profiles/, read them with
// bench/profile-summary.mjs); --dump has the reading client write per-line timings to
// bench/results/dumps/. --history runs the host with a history store (issue 3: flood throughput and
// event-loop p99 < 20 ms with history on). --servers picks the rows compared (bench/servers.mjs):
// `history,no-history,ceiling` measures issue 10's targets (bench/shares.mjs). --baseline DIR (a
// built checkout of another commit) adds the rows `history@baseline` and `no-history@baseline`;
// BENCH_VARIANT_NODE_FLAGS='…' adds `history@flags` and `no-history@flags`, this build under those
// node flags (a V8 flag side by side). Exit code 1 when a target is missed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { serverRows } from './servers.mjs';
import { historyShares } from './shares.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argValue = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const REPEAT = argValue('repeat') === undefined ? undefined : Number(argValue('repeat'));
const PAD = Number(argValue('pad', 64));
const TIMEOUT_MS = Number(argValue('timeout', 120)) * 1000;
const JSON_OUT = process.argv.includes('--json');
// --dump: the reading client writes `receive-time latency` per line to bench/results/dumps/.
const DUMP_DIR = process.argv.includes('--dump') ? path.join(root, 'bench', 'results', 'dumps') : undefined;
let runCounter = 0;
// The latency runs of host and forwarder go side by side (each with its own emitter and client), so
// that whatever else the machine is doing hits both alike: at 1 000 lines/s each pipeline needs
// under half a core, and a p99 is otherwise decided by which server happened to share its seconds
// with another job. --sequential runs them one after the other like the other workloads.
const SEQUENTIAL = process.argv.includes('--sequential');
const STALL_MS = 10_000;
// --profile: both servers run under `node --cpu-prof`; summarise with bench/profile-summary.mjs.
// One folder per server run: node names each thread's profile itself (the store worker has its own).
const PROFILE_DIR = process.argv.includes('--profile') ? path.join(root, 'bench', 'results', 'profiles') : undefined;
// BENCH_SERVER_NODE_FLAGS: extra node flags for every server (V8 experiments, e.g. heap sizes).
const EXTRA_NODE_FLAGS = (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const nodeFlags = (name) => [
  ...EXTRA_NODE_FLAGS,
  ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.join(PROFILE_DIR, `${name}-${Date.now()}`)}`] : []),
];

const WORKLOADS = {
  latency: { count: 5_000, emitter: ['--rate', '1000'], label: 'latency (1 000/s × 5 000)', concurrent: true, repeat: 5 },
  burst: { count: 20_000, emitter: ['--burst'], label: 'burst (20 000 at once)' },
  flood: { count: 200_000, emitter: [], label: 'flood (200 000, max speed)' },
  // The same flood with bench/realistic.mjs's varied lines after each line's number and time.
  'flood-realistic': { count: 200_000, emitter: ['--realistic'], label: 'flood of realistic lines (200 000, max speed)' },
  // The same flood on a host that has already carried one (JIT compiled, heap grown, ring full,
  // store warm): what a flood costs a host that has been running a while, rather than its first.
  'flood-warm': { count: 200_000, warmup: 200_000, emitter: [], label: 'flood on a warm host (200 000 after 200 000)' },
  slow: { count: 200_000, emitter: [], label: 'slow client (flood + 1 client stalled 10 s)', stallMs: STALL_MS, once: true },
  // Issue 12: the flood through the host with redaction on (its default) and off, side by side.
  redaction: {
    count: 200_000,
    emitter: [],
    label: 'flood, redaction on vs off (side by side)',
    concurrent: true,
    servers: ['host', 'host, redaction off'],
  },
};
const requested = argValue('workload', 'all');
const workloads = requested === 'all' ? Object.keys(WORKLOADS) : requested.split(',');
for (const w of workloads) {
  if (!WORKLOADS[w])
    fail(`invalid --workload: ${JSON.stringify(w)} (expected latency, burst, flood, flood-realistic, flood-warm, slow, redaction or all)`);
}
if (REPEAT !== undefined && !(REPEAT >= 1)) fail(`invalid --repeat: ${JSON.stringify(argValue('repeat'))} (expected a number ≥ 1)`);

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

// --- child processes: every one is tracked and killed on the way out, whatever the way ---------
const live = new Map(); // pid → { child, group?: pid of a process group the child started }
function track(child) {
  live.set(child.pid, { child });
  child.once('exit', () => live.delete(child.pid));
  return child;
}
function killEverything() {
  for (const [pid, entry] of live) {
    if (entry.group) tryKill(-entry.group, 'SIGKILL');
    tryKill(pid, 'SIGKILL');
  }
}
function tryKill(pid, signal) {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
process.on('exit', killEverything);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping every child\n`);
    killEverything();
    process.exit(130);
  });
}

// --- helpers ------------------------------------------------------------------------------------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the first value `pick` returns for a stdout line of `child`, or rejects. */
function nextLine(child, lines, pick, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${what}: nothing after ${timeoutMs} ms`)), timeoutMs);
    const onLine = (line) => {
      let value;
      try {
        value = pick(line);
      } catch {
        return; // not JSON: not what we wait for
      }
      if (value !== undefined) done(undefined, value);
    };
    const onExit = (code, signal) =>
      done(new Error(`${what}: exited (${code ?? signal}) first; stderr: ${child.stderrText.trim().slice(-500)}`));
    const done = (err, value) => {
      clearTimeout(timer);
      lines.off('line', onLine);
      child.off('close', onExit);
      if (err) reject(err);
      else resolve(value);
    };
    lines.on('line', onLine);
    child.once('close', onExit); // 'close', not 'exit': stdout is fully read by then
  });
}

function start(args, { env } = {}) {
  const child = track(spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } }));
  child.stderrText = '';
  child.stderr.setEncoding('utf8').on('data', (t) => (child.stderrText = (child.stderrText + t).slice(-4000)));
  child.lines = createInterface({ input: child.stdout });
  return child;
}

async function stopProcess(child, graceMs) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  tryKill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => tryKill(child.pid, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Linux PSI: µs that some task waited for a CPU, since boot (undefined without /proc/pressure). */
function cpuPressureUs() {
  try {
    return Number(/^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

/** Share of one idle second (nothing of ours running) in which some task waited for a CPU. */
async function idlePressure() {
  const before = cpuPressureUs();
  const t0 = performance.now();
  await sleep(1000);
  const after = cpuPressureUs();
  return before === undefined || after === undefined ? undefined : (after - before) / 1000 / (performance.now() - t0);
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/**
 * A /proc stat file's CPU time (user + system, fields 14 and 15) in ms, its minor page faults
 * (field 10: on this project's VM each costs ~15 µs) and its nice (field 19).
 */
function readStat(file) {
  const stat = readFileSync(file, 'utf8');
  // The command name may hold spaces and parentheses: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK, faults: Number(fields[7]), nice: Number(fields[16]) };
}

/** CPU time (user + system) a process has used so far, in ms. */
function cpuMs(pid) {
  try {
    return readStat(`/proc/${pid}/stat`).ms;
  } catch {
    return NaN;
  }
}

/**
 * CPU ms so far of the server's threads, as main (the event loop), store (the history worker: the
 * thread running at a lowered priority, see src/store/threadPriority.ts) and other (V8's GC and
 * compiler helpers, libuv's pool). Linux only; undefined elsewhere.
 */
function threadCpuMs(pid) {
  try {
    const out = { main: 0, store: 0, other: 0, mainFaults: 0, storeFaults: 0, otherFaults: 0 };
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const { ms, faults, nice } = readStat(`/proc/${pid}/task/${tid}/stat`);
      const group = Number(tid) === pid ? 'main' : nice > 0 ? 'store' : 'other';
      out[group] += ms;
      out[`${group}Faults`] += faults;
    }
    return out;
  } catch {
    return undefined;
  }
}

const threadsText = (t) =>
  t
    ? ` (main ${fmt(t.main, 0)}${t.store ? `, store ${fmt(t.store, 0)}` : ''}, other ${fmt(t.other, 0)}; page faults` +
      ` ${fmt(t.mainFaults, 0)}${t.store ? ` / ${fmt(t.storeFaults, 0)}` : ''} / ${fmt(t.otherFaults, 0)})`
    : '';

function procStatus(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

async function getJson(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET ${url.replace(/token=[^&]+/, 'token=…')}: ${res.status}`);
  return res.status === 204 ? undefined : res.json();
}

function statsUrl(banner) {
  const u = new URL(`${banner.apiBase}/stats`);
  if (banner.token) u.searchParams.set('token', banner.token);
  u.searchParams.set('reset', '1');
  return u.href;
}

// --- the servers ----------------------------------------------------------------------------------
const hostFlags = ['--json', '--quiet'];
// --history: the host keeps every line in a fresh sql.js history (issue 3's flood target).
const HISTORY = process.argv.includes('--history');
if (HISTORY) hostFlags.push('--history', mkdtempSync(path.join(os.tmpdir(), 'ph-bench-history-')));
else {
  // `--no-history` keeps sql.js out of the measurement; older CLIs reject it (exit 2).
  const probe = spawnSync(process.execPath, ['dist/cli.js', 'run', '--no-history', '--help'], { cwd: root, encoding: 'utf8' });
  if (probe.status === 0) hostFlags.push('--no-history');
  else process.stderr.write('bench: dist/cli.js does not take --no-history; the host runs with its default history store\n');
}
const SERVERS = serverRows({ nodeFlags, hostFlags: hostFlags.slice(2), baseline: argValue('baseline') });
// --servers: which rows run, in this order on the first repetition (rotated on the next ones).
const serverNames = argValue('servers', 'host,forwarder').split(',');
for (const name of serverNames) {
  if (!SERVERS[name]) fail(`invalid --servers: ${JSON.stringify(name)} (expected some of ${Object.keys(SERVERS).join(', ')})`);
}

/** One server, one workload: fresh processes, clients connected before the first line. */
async function runOnce(serverName, workloadName) {
  const w = WORKLOADS[workloadName];
  const warmup = w.warmup ? ['--warmup', String(w.warmup)] : [];
  const emitter = ['bench/emitter.mjs', '--count', String(w.count), '--pad', String(PAD), ...w.emitter, ...warmup];
  const launch = SERVERS[serverName].start(emitter, workloadName);
  const server = start(launch.argv);
  const clients = [];
  let sampler;
  let group; // the emitter leads its own process group
  try {
    const banner = await nextLine(server, server.lines, (l) => JSON.parse(l).url && JSON.parse(l), 20_000, `${serverName} banner`);
    group = banner.pid;
    if (group && live.has(server.pid)) live.get(server.pid).group = group;
    if (w.warmup) await warmedUp(banner);
    const url = w.warmup ? `${banner.url}${banner.url.includes('?') ? '&' : '?'}after=${w.warmup}` : banner.url;
    const clientArgs = ['bench/client.mjs', '--url', url, '--expected', String(w.count), ...(w.warmup ? ['--from', String(w.warmup)] : [])];
    const dumpFile = DUMP_DIR && path.join(DUMP_DIR, `${workloadName}-${serverName}-${++runCounter}.txt`);
    if (DUMP_DIR) mkdirSync(DUMP_DIR, { recursive: true });
    clients.push(start(dumpFile ? [...clientArgs, '--dump', dumpFile] : clientArgs));
    if (w.stallMs) clients.push(start([...clientArgs, '--stall', String(w.stallMs)]));
    await Promise.all(
      clients.map((c) => nextLine(c, c.lines, (l) => (JSON.parse(l).type === 'open' ? true : undefined), 20_000, 'client open')),
    );
    const results = clients.map((c) =>
      nextLine(c, c.lines, (l) => (JSON.parse(l).type === 'result' ? JSON.parse(l) : undefined), TIMEOUT_MS + 10_000, 'client result'),
    );
    await sleep(300); // let start-up work (readiness probe, JIT of the connect path) settle
    await getJson(statsUrl(banner)); // starts the loop-delay monitor (first call) and resets it
    let peakSampled = procStatus(server.pid).rss;
    sampler = setInterval(() => (peakSampled = Math.max(peakSampled, procStatus(server.pid).rss)), 50);
    const cpu0 = cpuMs(server.pid);
    const threads0 = threadCpuMs(server.pid);
    const t0 = performance.now();
    await getJson(`http://127.0.0.1:${banner.port}/go`);
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      process.stderr.write(`bench: ${workloadName}/${serverName} timed out after ${TIMEOUT_MS / 1000} s\n`);
      for (const c of clients) tryKill(c.pid, 'SIGTERM'); // the client reports what it has
    }, TIMEOUT_MS);
    const [reader, stalled] = await Promise.all(results).finally(() => clearTimeout(timeout));
    const wallMs = performance.now() - t0;
    const serverCpuMs = cpuMs(server.pid) - cpu0;
    const threads1 = threadCpuMs(server.pid);
    const threadsCpuMs = threads0 && threads1 && Object.fromEntries(Object.keys(threads1).map((k) => [k, threads1[k] - threads0[k]]));
    const after = await getJson(statsUrl(banner));
    clearInterval(sampler);
    const { rss, hwm } = procStatus(server.pid);
    peakSampled = Math.max(peakSampled, rss);
    const history = after.history && (await settledHistory(banner, after.history));
    if (history && launch.historyDir) history.dirBytes = dirBytes(launch.historyDir);
    return {
      server: serverName,
      workload: workloadName,
      expected: w.count,
      wallMs,
      timedOut,
      serverCpuMs,
      threadsCpuMs,
      reader: summarize(reader, w.count),
      stalled: stalled && summarize(stalled, w.count),
      peakRssBytes: Number.isFinite(hwm) ? hwm : peakSampled,
      peakRssSampledBytes: peakSampled,
      eventLoopDelay: after.eventLoopDelay,
      heapUsedBytes: after.heapUsedBytes,
      history,
    };
  } finally {
    clearInterval(sampler);
    for (const c of clients) await stopProcess(c, 1000);
    await stopProcess(server, 7000);
    if (group) tryKill(-group, 'SIGKILL'); // normally gone already: the server stops its child
    launch.cleanup?.();
  }
}

/** Bytes of every file in `dir` (the history database, its journal, its lock). */
function dirBytes(dir) {
  try {
    return readdirSync(dir).reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
  } catch {
    return NaN;
  }
}

/**
 * Waits out a warm-up: the emitter answers once its warm-up lines are all in the pipe (its writes
 * block until then), then the history's queue drains, then 1.5 s for GC and the JIT to settle.
 */
async function warmedUp(banner) {
  const deadline = performance.now() + 60_000;
  for (;;) {
    if (performance.now() > deadline) throw new Error('warm-up: the emitter did not answer within 60 s');
    const answered = await fetch(`http://127.0.0.1:${banner.port}/`, { signal: AbortSignal.timeout(1000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (answered) break;
    await sleep(100);
  }
  const history = (await getJson(statsUrl(banner))).history;
  if (history) await settledHistory(banner, history);
  else await sleep(1500);
}

// After the flood: wait until the store has every line and its next save is done, then take its
// figures (whole writes of the database happened whenever the journal grew as large as it).
async function settledHistory(banner, atEnd) {
  const deadline = performance.now() + 30_000;
  let h = atEnd;
  while (performance.now() < deadline && h.backlogChars > 0) {
    await sleep(200);
    h = (await getJson(statsUrl(banner))).history;
  }
  await sleep(1500);
  h = (await getJson(statsUrl(banner))).history;
  return { ...h, backlogCharsAtEnd: atEnd.backlogChars };
}

function summarize(r, expected) {
  return {
    received: r.received,
    gapEvents: r.gapEvents,
    gapLines: r.gapLines,
    lost: expected - r.received - r.gapLines,
    outOfOrder: r.outOfOrder,
    badLines: r.badLines,
    errors: r.errors,
    linesPerSec: r.linesPerSec,
    clientCpuMs: r.cpuMs,
    latencyMs: r.latencyMs,
    firstLineLatencyMs: r.firstLineLatencyMs,
  };
}

// --- run -----------------------------------------------------------------------------------------
const runs = [];
const failures = [];
const started = performance.now();
// The machine's own business: CPU pressure over one idle second before the runs and one after.
const background = [await idlePressure()];
for (const workloadName of workloads) {
  const reps = WORKLOADS[workloadName].once ? 1 : (REPEAT ?? WORKLOADS[workloadName].repeat ?? 3);
  for (let rep = 0; rep < reps; rep++) {
    const names = WORKLOADS[workloadName].servers ?? serverNames;
    const shift = rep % names.length;
    const order = [...names.slice(shift), ...names.slice(0, shift)];
    const together = !SEQUENTIAL && WORKLOADS[workloadName].concurrent;
    const pending = together ? new Map(order.map((n) => [n, runOnce(n, workloadName)])) : undefined;
    for (const p of pending?.values() ?? []) p.catch(() => {});
    for (const serverName of order) {
      try {
        const run = await (pending?.get(serverName) ?? runOnce(serverName, workloadName));
        run.rep = rep + 1;
        runs.push(run);
        if (run.timedOut) failures.push(`${workloadName}/${serverName} #${rep + 1}: timed out after ${TIMEOUT_MS / 1000} s`);
        const r = run.reader;
        process.stderr.write(
          `${workloadName.padEnd(7)} ${serverName.padEnd(9)} #${rep + 1}: ${r.received} lines, lost ${r.lost}, gaps ${r.gapEvents}/${r.gapLines}, ` +
            `${fmt(r.linesPerSec, 0)} lines/s, p99 ${fmt(r.latencyMs.p99, 1)} ms, RSS ${mb(run.peakRssBytes)} MB, CPU ${fmt(run.serverCpuMs, 0)} ms${threadsText(run.threadsCpuMs)}, client CPU ${fmt(r.clientCpuMs, 0)} ms, loop p99 ${fmt(run.eventLoopDelay?.p99, 1)} ms` +
            (run.stalled ? `; stalled client: ${run.stalled.received} + gaps ${run.stalled.gapEvents}/${run.stalled.gapLines}` : '') +
            (run.history?.slowestPersist
              ? `; history: ${run.history.persists} whole writes, slowest ${mb(run.history.slowestPersist.bytes)} MB in ${fmt(run.history.slowestPersist.ms, 0)} ms`
              : '') +
            '\n',
        );
      } catch (err) {
        failures.push(`${workloadName}/${serverName} #${rep + 1}: ${err.message}`);
        process.stderr.write(`bench: ${workloadName}/${serverName} #${rep + 1} failed: ${err.message}\n`);
      }
    }
  }
}

// --- report --------------------------------------------------------------------------------------
function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}
function fmt(x, digits = 1) {
  return x === null || x === undefined || !Number.isFinite(x)
    ? '–'
    : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
function mb(bytes) {
  return fmt(bytes / 1024 / 1024, 0);
}
function ratio(a, b) {
  return a === null || b === null || !b ? null : a / b;
}

/** Medians over the repetitions; counts from the worst run (most lost, then most gap lines). */
function summary(workloadName, serverName) {
  const rs = runs.filter((r) => r.workload === workloadName && r.server === serverName);
  if (rs.length === 0) return undefined;
  const worst = [...rs].sort((a, b) => b.reader.lost - a.reader.lost || b.reader.gapLines - a.reader.gapLines)[0];
  return {
    runs: rs.length,
    received: worst.reader.received,
    lost: worst.reader.lost,
    lostAnyRun: rs.some((r) => r.reader.lost !== 0 || r.reader.outOfOrder !== 0 || r.reader.badLines !== 0),
    gapEvents: worst.reader.gapEvents,
    gapLines: worst.reader.gapLines,
    linesPerSec: median(rs.map((r) => r.reader.linesPerSec)),
    linesPerSecAll: rs.map((r) => Math.round(r.reader.linesPerSec ?? 0)),
    p50: median(rs.map((r) => r.reader.latencyMs.p50)),
    p99: median(rs.map((r) => r.reader.latencyMs.p99)),
    peakRssBytes: median(rs.map((r) => r.peakRssBytes)),
    loopP99: median(rs.map((r) => r.eventLoopDelay?.p99)),
    cpuMs: median(rs.map((r) => r.serverCpuMs)),
    clientCpuMs: median(rs.map((r) => r.reader.clientCpuMs)),
    stalled: worst.stalled,
  };
}

const table = [
  '| workload | server | received | lost | gaps (events / lines) | lines/s | latency p50 ms | latency p99 ms | peak RSS MB | event-loop p99 ms | server CPU ms | client CPU ms |',
  '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
];
const summaries = {};
for (const workloadName of workloads) {
  summaries[workloadName] = Object.fromEntries(serverNames.map((name) => [name, summary(workloadName, name)]));
  const { host, forwarder: fwd } = summaries[workloadName];
  const label = WORKLOADS[workloadName].label;
  for (const name of serverNames) {
    const s = summaries[workloadName][name];
    if (!s) continue;
    table.push(
      `| ${label} | ${name} | ${s.received.toLocaleString('en-US')} | ${s.lost} | ${s.gapEvents} / ${s.gapLines.toLocaleString('en-US')} | ` +
        `${fmt(s.linesPerSec, 0)} | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)} | ${mb(s.peakRssBytes)} | ${fmt(s.loopP99, 2)} | ${fmt(s.cpuMs, 0)} | ${fmt(s.clientCpuMs, 0)} |`,
    );
  }
  const off = summary(workloadName, 'host, redaction off');
  if (off) {
    summaries[workloadName].redactionOff = off;
    table.push(
      `| ${label} | host, redaction off | ${off.received.toLocaleString('en-US')} | ${off.lost} | ${off.gapEvents} / ${off.gapLines.toLocaleString('en-US')} | ` +
        `${fmt(off.linesPerSec, 0)} | ${fmt(off.p50, 2)} | ${fmt(off.p99, 2)} | ${mb(off.peakRssBytes)} | ${fmt(off.loopP99, 2)} | ${fmt(off.cpuMs, 0)} |`,
      `| ${label} | redaction on ÷ off | | | | ${fmt(ratio(host?.linesPerSec, off.linesPerSec), 2)}× | | | | | ${fmt(ratio(host?.cpuMs, off.cpuMs), 2)}× |`,
    );
  }
  if (host && fwd) {
    const x = (a, b) => (ratio(a, b) === null ? '–' : `${fmt(ratio(a, b), 2)}×`);
    table.push(
      `| ${label} | host ÷ forwarder | | | | ${x(host.linesPerSec, fwd.linesPerSec)} | ${x(host.p50, fwd.p50)} | ${x(host.p99, fwd.p99)} | ` +
        `${x(host.peakRssBytes, fwd.peakRssBytes)} | ${x(host.loopP99, fwd.loopP99)} | ${x(host.cpuMs, fwd.cpuMs)} |`,
    );
  }
}

background.push(await idlePressure());
const elapsedMs = performance.now() - started;
// Above ~10% other jobs compete for the 2 cores, and timing figures are as much theirs as ours.
const cpuPressure = background.every((p) => p !== undefined) ? Math.max(...background) : undefined;
const cpu = os.cpus();
const machine = `${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${os.platform()} ${os.release()}, Node ${process.version}`;
const lines = [];
lines.push(`## Benchmark — ${new Date().toISOString().slice(0, 10)}, ${machine}`);
lines.push('');
if (cpuPressure !== undefined) {
  lines.push(
    `Other load on the machine (Linux PSI "some" over an idle second before and after the runs): ` +
      `${background.map((p) => `${fmt(p * 100, 0)}%`).join(' and ')} of the time a task was waiting for a CPU` +
      (cpuPressure > 0.1 ? ' — the machine was busy with other work, so timing figures are noisy.' : '.'),
  );
  lines.push('');
}
lines.push(
  `Medians over ${workloads.map((w) => `${w} ${Object.values(summaries[w]).find(Boolean)?.runs ?? 0}`).join(', ')} run(s) per server` +
    `${!SEQUENTIAL && workloads.includes('latency') ? ' (latency: host and forwarder side by side; the rest one after the other)' : ''}; ` +
    `received/lost/gaps from the worst run. Lines padded to ~${32 + PAD} characters. ` +
    'lines/s = lines received ÷ time from first to last line at the client; latency = client receive time − emitter write time.',
);
lines.push('');
lines.push(...table);
// Side by side, each latency pair shared the same seconds of the machine: the ratio within a pair
// is the fair comparison, and its median is what the target is checked against.
const latencyPairs = (() => {
  if (SEQUENTIAL) return undefined;
  const byRep = new Map();
  for (const r of runs.filter((r) => r.workload === 'latency'))
    byRep.set(r.rep, { ...byRep.get(r.rep), [r.server]: r.reader.latencyMs.p99 });
  const ratios = [...byRep.values()].filter((p) => p.host != null && p.forwarder).map((p) => p.host / p.forwarder);
  return ratios.length ? { ratios, median: median(ratios) } : undefined;
})();
if (latencyPairs) {
  lines.push('');
  lines.push(
    `Latency, side by side: host p99 ÷ forwarder p99 within each pair: ${latencyPairs.ratios.map((r) => `${fmt(r, 2)}×`).join(', ')}` +
      ` → median ${fmt(latencyPairs.median, 2)}× (the table's ratio row divides medians taken separately).`,
  );
}
for (const [name, s] of Object.entries(summaries.slow ?? {})) {
  if (!s?.stalled) continue;
  const flood = summaries.flood?.[name];
  const st = s.stalled;
  lines.push('');
  lines.push(
    `Slow client, ${name}: the reading client got ${fmt(s.linesPerSec, 0)} lines/s` +
      (flood ? ` (${fmt(ratio(s.linesPerSec, flood.linesPerSec) * 100, 0)}% of the plain flood's)` : '') +
      `; peak RSS ${mb(s.peakRssBytes)} MB; the client stalled ${STALL_MS / 1000} s then got ${st.received.toLocaleString('en-US')} lines + ` +
      `${st.gapEvents} gap event(s) covering ${st.gapLines.toLocaleString('en-US')} lines = ${(st.received + st.gapLines).toLocaleString('en-US')}` +
      ` (${st.lost === 0 && st.outOfOrder === 0 ? 'exact' : `NOT exact: lost ${st.lost}, out of order ${st.outOfOrder}`}).`,
  );
}
process.stdout.write(lines.join('\n') + '\n\n');

// --- acceptance (issue 2, point 10) --------------------------------------------------------------
const checks = [];
const check = (name, ok, detail) => checks.push({ name, ok, detail });
const L = summaries.latency;
if (L?.host && L?.forwarder) {
  if (latencyPairs) {
    const r = latencyPairs.median;
    check(
      'latency: host p99 ≤ 2× forwarder p99',
      r <= 2 && !L.host.lostAnyRun,
      `median of the paired ratios ${fmt(r, 2)}× (medians ${fmt(L.host.p99, 2)} ms vs ${fmt(L.forwarder.p99, 2)} ms), host lost ${L.host.lost}`,
    );
  } else {
    check(
      'latency: host p99 ≤ 2× forwarder p99',
      L.host.p99 <= 2 * L.forwarder.p99 && !L.host.lostAnyRun,
      `${fmt(L.host.p99, 2)} ms vs ${fmt(L.forwarder.p99, 2)} ms (limit ${fmt(2 * L.forwarder.p99, 2)}), host lost ${L.host.lost}`,
    );
  }
}
const B = summaries.burst;
if (B?.host && B?.forwarder) {
  const r = ratio(B.host.linesPerSec, B.forwarder.linesPerSec);
  check(
    'burst: 0 lost, ≥ 50% of forwarder lines/s',
    !B.host.lostAnyRun && B.host.gapLines === 0 && r >= 0.5,
    `lost ${B.host.lost} (every run: ${B.host.lostAnyRun ? 'no' : 'yes'}), gaps ${B.host.gapLines}, ${fmt(r * 100, 0)}% of the forwarder's lines/s`,
  );
}
const F = summaries.flood;
if (F?.host && F?.forwarder) {
  const r = ratio(F.host.linesPerSec, F.forwarder.linesPerSec);
  check(
    'flood: all 200 000 or exact gaps (0 lost), ≥ 50% of forwarder lines/s',
    !F.host.lostAnyRun && r >= 0.5,
    `received ${F.host.received} + gap lines ${F.host.gapLines}, lost ${F.host.lost}, ${fmt(r * 100, 0)}% of the forwarder's lines/s`,
  );
}
if (HISTORY && F?.host) {
  check(
    'flood with history: host event-loop delay p99 < 20 ms',
    F.host.loopP99 < 20,
    `${fmt(F.host.loopP99, 2)} ms (median of the runs' p99)`,
  );
  const writes = runs.filter((r) => r.server === 'host' && r.history?.slowestPersist).map((r) => r.history);
  if (writes.length > 0) {
    process.stdout.write(
      `History database written whole (export, write, fsync, rename; in the store's worker), per run: ` +
        writes
          .map((h) => `${h.persists} writes, slowest ${mb(h.slowestPersist.bytes)} MB in ${fmt(h.slowestPersist.ms, 0)} ms`)
          .join('; ') +
        '.\n',
    );
  }
}
// Issue 10: the host with history against the same host without it and against the raw ceiling.
const shares = historyShares(summaries, runs, { fmt, ratio });
if (shares.lines.length) process.stdout.write(shares.lines.join('\n') + '\n\n');
for (const c of shares.checks) check(c.name, c.ok, c.detail);
const S = summaries.slow?.host;
if (S?.stalled) {
  // Not a figure target, but an inexact gap is a correctness bug (acceptance 3), so it fails too.
  check(
    'slow client: stalled client received + gap lines = 200 000 exactly',
    S.stalled.lost === 0 && S.stalled.outOfOrder === 0 && !S.lostAnyRun,
    `${S.stalled.received} + ${S.stalled.gapLines}; reader lost ${S.lost}`,
  );
}
// Redaction (issue 12): on and off ran side by side, so each pair shared the machine's seconds.
const R = summaries.redaction;
if (R?.host && R?.redactionOff) {
  const byRep = new Map();
  for (const r of runs.filter((r) => r.workload === 'redaction'))
    byRep.set(r.rep, { ...byRep.get(r.rep), [r.server]: r.reader.linesPerSec });
  const ratios = [...byRep.values()].filter((p) => p.host && p['host, redaction off']).map((p) => p.host / p['host, redaction off']);
  const r = median(ratios);
  check(
    'redaction: flood lines/s with redaction on ≥ 90% of off',
    r >= 0.9 && !R.host.lostAnyRun,
    `paired ratios ${ratios.map((x) => `${fmt(x * 100, 0)}%`).join(', ')} → median ${fmt(r * 100, 0)}% (medians ${fmt(R.host.linesPerSec, 0)} vs ${fmt(R.redactionOff.linesPerSec, 0)} lines/s)`,
  );
}
for (const f of failures) check('run completed', false, f);
for (const c of checks) process.stdout.write(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name} — ${c.detail}\n`);
process.stderr.write(`bench: ${runs.length} runs in ${fmt(elapsedMs / 1000, 0)} s\n`);

if (JSON_OUT) {
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'latest.json');
  writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        cpuPressure,
        sequential: SEQUENTIAL,
        pad: PAD,
        hostFlags,
        summaries,
        latencyPairs,
        checks,
        runs,
      },
      null,
      2,
    ) + '\n',
  );
  process.stderr.write(`bench: wrote ${path.relative(root, file)}\n`);
}
process.exitCode = checks.every((c) => c.ok) && checks.length > 0 ? 0 : 1;
