// Bundles the extension tests for the extension host into out/vscode-tests/: the mocha runner
// (index.js, with mocha inside it) and one CommonJS file per suite/*.test.ts, which index.js
// require()s after mocha has set up describe/it. `vscode` is left to the extension host.
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const suiteDir = path.join(here, 'suite');
const outdir = path.resolve(here, '../../out/vscode-tests');
const tests = readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts'));

await rm(outdir, { recursive: true, force: true }); // no stale bundles of deleted tests
await esbuild.build({
  entryPoints: ['index.ts', ...tests].map((f) => path.join(suiteDir, f)),
  outdir,
  outbase: suiteDir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode'],
  logLevel: 'warning',
  // Only mocha's parallel mode (never used here) resolves those files at run time.
  logOverride: { 'require-resolve-not-external': 'silent' },
});
