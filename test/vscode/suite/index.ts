// The mocha runner the extension host calls (`extensionTestsPath` → `run()`), in desktop VS Code
// and in the launcher's web workbench alike. build.mjs bundles mocha into this file: mocha 12 is
// ESM, which desktop VS Code 1.100's Node cannot require().
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Runs every bundled `*.test.js` beside this file; rejects when a test fails. PREVIEW_HOST_TEST_GREP filters. */
export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, reporter: 'spec' });
  if (process.env.PREVIEW_HOST_TEST_GREP) mocha.grep(process.env.PREVIEW_HOST_TEST_GREP);
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  if (files.length === 0) throw new Error(`no *.test.js in ${__dirname}: run test/vscode/build.mjs`);
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension test(s) failed`);
}
