#!/usr/bin/env node
// `npm run bench:activation`: what activating the extension costs (issue 12, "Footprint").
// Builds production (minified, as the .vsix ships), then reports the entry bundle
// (dist/extension.js: what VS Code requires on activation) and the lazy one (dist/hostRuntime.js:
// required by the first command that needs the host), and the time of
// `require('./dist/extension.js')` with `vscode` stubbed, over N fresh processes
// (bench/activation-probe.mjs), plus activate()'s own time and the first command's.
//
//   node bench/activation.mjs [--runs N] [--no-build] [--json] [--compare OLD/dist/extension.js]
//
// --compare probes another build's entry too (e.g. one made at an earlier commit), alternating with
// this one in each round, so that whatever else the machine does hits both alike.
// Exit code 1 when a target is missed: entry ≤ 400 KiB, median require ≤ 40 ms.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argValue = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(argValue('runs', 30));
const COMPARE = argValue('compare');
const ENTRY_LIMIT_KIB = 400;
const REQUIRE_LIMIT_MS = 40;
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error(`--runs must be a positive whole number, got ${argValue('runs')}`);
  process.exit(2);
}

if (!process.argv.includes('--no-build')) {
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const kib = (file) => (existsSync(path.join(root, file)) ? statSync(path.join(root, file)).size / 1024 : undefined);
const entryKiB = kib('dist/extension.js');
const lazyKiB = kib('dist/hostRuntime.js');

if (COMPARE && !existsSync(path.resolve(COMPARE))) {
  console.error(`--compare: no file ${COMPARE}`);
  process.exit(2);
}

function probe(entry = 'dist/extension.js') {
  const run = spawnSync(process.execPath, ['bench/activation-probe.mjs', entry, '--command', 'previewHost.start'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`activation-probe failed (exit ${run.status ?? run.signal}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const samples = [];
const compared = [];
for (let i = 0; i < RUNS; i++) {
  samples.push(probe());
  if (COMPARE) compared.push(probe(path.resolve(COMPARE)));
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
const stats = (key, from = samples) => {
  const values = from.map((s) => s[key]);
  return { median: quantile(values, 0.5), p95: quantile(values, 0.95) };
};
const require = stats('requireMs');
const requireCpu = stats('requireCpuMs');
const activate = stats('activateMs');
const command = stats('commandMs');
const last = samples.at(-1);

const ms = (v) => `${v.toFixed(1)} ms`;
const size = (v) => (v === undefined ? '—' : `${v.toFixed(0)} KiB`);
console.log(`\nactivation (production build, ${RUNS} fresh processes, node ${process.version})`);
console.log(`  entry bundle   dist/extension.js    ${size(entryKiB)}   (target ≤ ${ENTRY_LIMIT_KIB} KiB)`);
console.log(`  lazy bundle    dist/hostRuntime.js  ${size(lazyKiB)}`);
console.log(`  require entry  median ${ms(require.median)}, p95 ${ms(require.p95)}   (target median ≤ ${REQUIRE_LIMIT_MS} ms)`);
console.log(`  require CPU    median ${ms(requireCpu.median)}, p95 ${ms(requireCpu.p95)}   (user + system time of that require)`);
console.log(`  activate()     median ${ms(activate.median)}, p95 ${ms(activate.p95)}`);
console.log(`  first command  median ${ms(command.median)}, p95 ${ms(command.p95)}   (loads the lazy bundle)`);
if (COMPARE) {
  const old = stats('requireMs', compared);
  const oldCpu = stats('requireCpuMs', compared);
  const oldKiB = statSync(path.resolve(COMPARE)).size / 1024;
  console.log(
    `  compared with  ${COMPARE}: ${size(oldKiB)}, require median ${ms(old.median)}, p95 ${ms(old.p95)}; CPU median ${ms(oldCpu.median)}, p95 ${ms(oldCpu.p95)}`,
  );
}
console.log(`  files loaded by activate(): ${last.loaded.activated.join(', ')}`);
console.log(
  `  files loaded by the first command: ${last.loaded.commanded.filter((f) => !last.loaded.activated.includes(f)).join(', ') || 'none'}`,
);
if (process.argv.includes('--json')) {
  const compare = COMPARE
    ? { entry: COMPARE, require: stats('requireMs', compared), requireCpu: stats('requireCpuMs', compared) }
    : undefined;
  console.log(JSON.stringify({ runs: RUNS, node: process.version, entryKiB, lazyKiB, require, requireCpu, activate, command, compare }));
}

const missed = [];
if (entryKiB > ENTRY_LIMIT_KIB) missed.push(`entry bundle ${size(entryKiB)} > ${ENTRY_LIMIT_KIB} KiB`);
if (require.median > REQUIRE_LIMIT_MS) missed.push(`median require ${ms(require.median)} > ${REQUIRE_LIMIT_MS} ms`);
if (missed.length) {
  console.log(`\nMISSED: ${missed.join('; ')}`);
  process.exit(1);
}
console.log('\nboth targets met');
