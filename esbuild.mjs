// One esbuild context per target: the extension's entry and its lazily loaded runtime (cjs, node,
// vscode external), the CLI, the store worker, and the webview UI (browser iife). `--production`
// minifies, `--watch` rebuilds. Type-checking is separate: `npm run typecheck`.
// Imported (test/unit/activation.test.ts), it only exports the targets.
import * as esbuild from 'esbuild';
import { realpathSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const require = createRequire(import.meta.url);

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

/**
 * The entry's `import('./runtime.js')` becomes `require('./hostRuntime.js')`: a second bundle beside
 * it, loaded by the first command, so activation loads neither the host nor express (issue 12).
 */
const lazyRuntime = {
  name: 'lazy-runtime',
  setup(build) {
    build.onResolve({ filter: /^\.\/runtime\.js$/ }, (args) =>
      args.importer.endsWith(path.join('src', 'extension', 'extension.ts')) ? { path: './hostRuntime.js', external: true } : undefined,
    );
  },
};

/** The extension: the entry VS Code activates (`main` in package.json) and the runtime it loads on demand. */
export const extensionTargets = [
  {
    ...node,
    entryPoints: { extension: 'src/extension/extension.ts' },
    outdir: 'dist',
    external: ['vscode'],
    plugins: [lazyRuntime],
    // A plain require, not Node's ESM loader: the extension host hooks require('vscode') in it.
    supported: { 'dynamic-import': false },
  },
  { ...node, entryPoints: { hostRuntime: 'src/extension/runtime.ts' }, outdir: 'dist', external: ['vscode'] },
];

const targets = [
  ...extensionTargets,
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: { storeWorker: 'src/store/worker.ts' }, outdir: 'dist' },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: { 'webview/main': 'webview-ui/main.ts' },
    outdir: 'dist',
    loader: { '.css': 'css' },
  },
];

// sql.js loads its wasm from beside the bundle at run time.
async function copyAssets() {
  await mkdir('dist', { recursive: true });
  const wasm = path.join(path.dirname(require.resolve('sql.js')), 'sql-wasm.wasm');
  await copyFile(wasm, 'dist/sql-wasm.wasm');
}

async function buildAll() {
  await copyAssets();
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
  } else {
    await Promise.all(contexts.map((c) => c.rebuild()));
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}

// Run (node esbuild.mjs, through a link too), not imported: build.
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) await buildAll();
