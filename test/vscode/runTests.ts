// `npm run test:vscode`: builds the extension and the test bundles, then runs the extension tests
// with @vscode/test-electron's runTests in a real VS Code.
//   default            VSCODE_EXECUTABLE if set (a desktop VS Code), else the launcher, once per
//                      front: the bare VS Code server, then code-server's front (the remote case)
//   --front=server | code-server | both
//   --front=desktop    let @vscode/test-electron download desktop VS Code (needs internet)
//   --workspace=<name> a folder or .code-workspace under test/fixtures/ (default static-site)
// The fixtures are copied to a temporary directory first, so tests may write into the workspace;
// tests find the copy through PREVIEW_HOST_FIXTURES.
import { TestRunFailedError, runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../..');
const launcher = path.join(repoRoot, 'test/vscode/launcher.mjs');
const DESKTOP_VERSION = '1.100.3'; // the version the launcher's build has

type Run = { name: string; executable: string | undefined; front?: 'server' | 'code-server' };

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

function plannedRuns(): Run[] {
  const front = option('front') ?? (process.env.VSCODE_EXECUTABLE ? 'desktop' : 'both');
  switch (front) {
    case 'desktop':
      return [{ name: 'desktop', executable: process.env.VSCODE_EXECUTABLE }];
    case 'server':
    case 'code-server':
      return [{ name: front, executable: launcher, front }];
    case 'both':
      return [
        { name: 'server', executable: launcher, front: 'server' },
        { name: 'code-server', executable: launcher, front: 'code-server' },
      ];
    default:
      throw new Error(`--front must be server, code-server, both or desktop; got ${JSON.stringify(front)}`);
  }
}

function build(script: string): void {
  const result = spawnSync(process.execPath, [script], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${script} failed (exit ${result.status ?? result.signal})`);
}

async function main(): Promise<number> {
  const runs = plannedRuns();
  build('esbuild.mjs');
  build('test/vscode/build.mjs');

  const fixtures = await mkdtemp(path.join(os.tmpdir(), 'preview-host-fixtures-'));
  const results: string[] = [];
  let failed = false;
  try {
    for (const run of runs) {
      // A fresh copy per run: one front's writes must not leak into the next.
      await rm(fixtures, { recursive: true, force: true });
      await cp(path.join(repoRoot, 'test/fixtures'), fixtures, { recursive: true });
      const workspace = path.join(fixtures, option('workspace') ?? 'static-site');
      const started = Date.now();
      console.log(`\n=== extension tests: ${run.name} ===`);
      let outcome = 'passed';
      try {
        await runTests({
          vscodeExecutablePath: run.executable,
          version: run.executable ? undefined : DESKTOP_VERSION,
          extensionDevelopmentPath: repoRoot,
          extensionTestsPath: path.join(repoRoot, 'out/vscode-tests/index.js'),
          launchArgs: [workspace, '--disable-extensions'],
          extensionTestsEnv: { PREVIEW_HOST_FRONT: run.front, PREVIEW_HOST_FIXTURES: fixtures },
        });
      } catch (err) {
        failed = true;
        outcome = err instanceof TestRunFailedError ? `FAILED (${err.message})` : `FAILED (${err instanceof Error ? err.stack : String(err)})`;
      }
      results.push(`${run.name}: ${outcome} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await rm(fixtures, { recursive: true, force: true });
  }
  console.log(`\n=== extension tests ===\n${results.join('\n')}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
