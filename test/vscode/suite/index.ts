// The mocha runner the extension host calls (`extensionTestsPath` → `run()`), in desktop VS Code
// and in the launcher's web workbench alike. build.mjs bundles mocha into this file: mocha 12 is
// ESM, which desktop VS Code 1.100's Node cannot require().
import Mocha from 'mocha';
import { appendFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Runs the bundled `*.test.js` beside this file — all, or the suites named in
 * PREVIEW_HOST_TEST_SUITES (comma-separated, e.g. `smoke,fastapi`); rejects when a test fails.
 * PREVIEW_HOST_TEST_GREP filters tests by title; PREVIEW_HOST_TEST_REPORT names a file to which
 * each failure appends its title and message, for the runner's summary.
 */
export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, reporter: 'spec' });
  if (process.env.PREVIEW_HOST_TEST_GREP) mocha.grep(process.env.PREVIEW_HOST_TEST_GREP);
  const wanted = process.env.PREVIEW_HOST_TEST_SUITES?.split(',').filter(Boolean);
  const all = readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  const missing = wanted?.filter((w) => !all.includes(`${w}.test.js`)) ?? [];
  if (missing.length)
    throw new Error(`PREVIEW_HOST_TEST_SUITES names ${missing.join(', ')}, not in ${__dirname}: run test/vscode/build.mjs`);
  const files = wanted ? wanted.map((w) => `${w}.test.js`) : all;
  if (files.length === 0) throw new Error(`no *.test.js in ${__dirname}: run test/vscode/build.mjs`);
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  const report = process.env.PREVIEW_HOST_TEST_REPORT;
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    if (report) runner.on('fail', (test, err: Error) => appendFileSync(report, `${test.fullTitle()}: ${firstLines(err)}\n`));
  });
  if (failures > 0) throw new Error(`${failures} extension test(s) failed`);
}

/** An error's message, cut to a few lines: the summary names the failure, the log has the rest. */
function firstLines(err: Error): string {
  const lines = String(err?.message ?? err).split('\n');
  return lines.slice(0, 4).join(' ⏎ ') + (lines.length > 4 ? ' …' : '');
}
