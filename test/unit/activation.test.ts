// Issue 12, "Footprint": activation loads only the entry (Start button, leftover reaping, commands);
// the host, express and sql.js come with the first command, from a second bundle. Checked on the
// sources, in a fresh process with `vscode` stubbed (bench/activation-probe.mjs), and on what esbuild
// puts into the production bundles. The load time is the benchmark's (npm run bench:activation).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildOptions, Metafile } from 'esbuild';
import * as esbuild from 'esbuild';
import { REPO } from './helpers/build';

/** Modules that belong to the runtime, never to activation. */
const HEAVY = [
  /^src\/(host|store|cli)\//,
  /^src\/extension\/(runtime|controller|hostService|panel|runConfig|diagnostics)\.ts$/,
  /^node_modules\/(express|body-parser|raw-body|iconv-lite|sql\.js|cross-spawn|anser)\//,
];
const heavy = (files: string[]): string[] => files.filter((f) => HEAVY.some((re) => re.test(f)));

interface ProbeResult {
  loaded: { required: string[]; activated: string[]; commanded: string[] };
  commands: string[];
  statusBarItems: string[];
  previewsBeforeCommand: unknown[];
  messages: { kind: string; text: string }[];
}

describe('activation footprint (issue 12)', function () {
  this.timeout(60_000);

  describe('activate(), from the sources in a fresh process with vscode stubbed', () => {
    let probe: ProbeResult;
    before(() => {
      // --import tsx, not tsx/cjs: the entry's import('./runtime.js') goes through Node's ESM loader here.
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', 'bench/activation-probe.mjs', 'src/extension/extension.ts', '--command', 'previewHost.start'],
        { cwd: REPO, encoding: 'utf8' },
      );
      probe = JSON.parse(out) as ProbeResult;
    });

    it('loads no host module, no express, no sql.js: only the entry, leftovers and src/common', () => {
      const ours = probe.loaded.activated.filter((f) => f.startsWith('src/'));
      assert.deepEqual(heavy(probe.loaded.activated), [], `activate() loaded: ${ours.join(', ')}`);
      assert.ok(ours.includes('src/extension/extension.ts') && ours.includes('src/extension/leftovers.ts'), ours.join(', '));
    });

    it('still registers every contributed command, shows the Start button, and reports no previews', () => {
      const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
        contributes: { commands: { command: string }[] };
      };
      assert.deepEqual([...probe.commands].sort(), manifest.contributes.commands.map((c) => c.command).sort());
      assert.deepEqual(probe.statusBarItems, ['previewHost.start']);
      assert.deepEqual(probe.previewsBeforeCommand, []);
    });

    it('loads the runtime, the host and express on the first command, which then runs', () => {
      const added = probe.loaded.commanded.filter((f) => !probe.loaded.activated.includes(f));
      for (const file of [
        'src/extension/runtime.ts',
        'src/extension/controller.ts',
        'src/host/streamServer.ts',
        'node_modules/express/index.js',
      ]) {
        assert.ok(added.includes(file), `the first command did not load ${file}`);
      }
      // The stub's workspace is untrusted: Start Preview answered through the controller.
      assert.deepEqual(
        probe.messages.map((m) => m.kind),
        ['error'],
      );
      assert.match(probe.messages[0].text, /untrusted workspace/);
    });
  });

  describe('the production bundles (esbuild.mjs)', () => {
    let entry: { bytes: number; inputs: string[]; imports: string[] };
    let runtime: { inputs: string[] };
    before(async () => {
      // A non-literal specifier: esbuild.mjs is plain JavaScript with no type declarations.
      const config = pathToFileURL(path.join(REPO, 'esbuild.mjs')).href;
      const { extensionTargets } = (await import(config)) as { extensionTargets: BuildOptions[] };
      const build = async (options: BuildOptions) => {
        const result = await esbuild.build({
          ...options,
          absWorkingDir: REPO,
          minify: true,
          sourcemap: false,
          write: false,
          metafile: true,
        });
        const outputs = Object.values((result.metafile as Metafile).outputs);
        assert.equal(outputs.length, 1, 'one output file per extension target');
        const [output] = outputs;
        return { bytes: output.bytes, inputs: Object.keys(output.inputs), imports: output.imports.map((i) => i.path) };
      };
      [entry, runtime] = await Promise.all(extensionTargets.map(build));
    });

    it('the entry holds no host module, express or sql.js, and stays under 400 KiB', () => {
      const normalized = entry.inputs.map((f) => f.replace(/^.*?node_modules\//, 'node_modules/'));
      assert.deepEqual(heavy(normalized), []);
      assert.ok(entry.bytes <= 400 * 1024, `dist/extension.js is ${(entry.bytes / 1024).toFixed(0)} KiB`);
    });

    it('the entry requires the runtime from beside it, and the runtime bundles the host and express', () => {
      assert.ok(entry.imports.includes('./hostRuntime.js'), `the entry imports ${entry.imports.join(', ')}`);
      assert.ok(runtime.inputs.includes('src/host/streamServer.ts'), 'hostRuntime.js lacks the stream server');
      assert.ok(
        runtime.inputs.some((f) => f.includes('node_modules/express/')),
        'hostRuntime.js lacks express',
      );
    });
  });
});
