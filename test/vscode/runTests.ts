// `npm run test:vscode`: builds the extension and the test bundles, then runs the extension tests
// with @vscode/test-electron's runTests in a real VS Code, once per group (a workspace, the suites
// that need it, the fronts worth running them on).
//   default            VSCODE_EXECUTABLE if set (a desktop VS Code), else the launcher: each group
//                      on its fronts — the bare VS Code server and/or code-server's front (remote)
//   --front=server | code-server | both   only these fronts (groups keep their own list)
//   --front=desktop    let @vscode/test-electron download desktop VS Code (needs internet)
//   --group=<a,b>      only these groups (see GROUPS; "vsix" is the packaged-extension run)
//   --workspace=<name> instead of the groups: every suite in this folder or .code-workspace under
//                      test/fixtures/ (suites made for another fixture skip themselves — only in
//                      this mode: a group names its suites in PREVIEW_HOST_TEST_SUITES, and a suite
//                      its group runs without the workspace, trust or .vsix it needs fails; see
//                      requireSetup in suite/helpers.ts; likewise a missing bridge under the launcher)
// The fixtures are copied to a temporary directory per run, so tests may write into the workspace;
// tests find the copy through PREVIEW_HOST_FIXTURES.
import { TestRunFailedError, runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureFixtures } from '../frameworks/fixtures';
import { checkVsixContents, installVsix } from './vsix';

const repoRoot = path.resolve(__dirname, '../..');
const launcher = path.join(repoRoot, 'test/vscode/launcher.mjs');
const DESKTOP_VERSION = '1.100.3'; // the version the launcher's build has

type Front = 'server' | 'code-server';

interface Group {
  name: string;
  /** A folder or .code-workspace under test/fixtures/. */
  workspace: string;
  /** The suites (test/vscode/suite/<name>.test.ts) this group runs; all of them when absent. */
  suites?: string[];
  fronts: Front[];
  env?: Record<string, string>;
  /** Install the packaged .vsix and test it instead of the development path. */
  vsix?: boolean;
  /** Makes the workspace (a real project installed from the npm registry) instead of test/fixtures/. */
  generate?: () => Promise<string>;
}

/**
 * The heavy FastAPI suite (panel, streaming, Problems) runs on both fronts, since the remote case
 * is the proxy's; the rest only needs one.
 */
const GROUPS: Group[] = [
  { name: 'fastapi', workspace: 'fastapi-app', suites: ['smoke', 'fastapi'], fronts: ['server', 'code-server'] },
  { name: 'detection', workspace: 'detection.code-workspace', suites: ['detection'], fronts: ['server'] },
  // Not on the bare server: its webviews share one origin and so one service worker, which proxies
  // the first panel's stream to 127.0.0.1 (its localhost rewriting); while that stream is open, the
  // worker that the second webview registers stays "waiting" and that webview never loads. Only
  // this test setup serves webviews that way (desktop gives each its own origin; code-server's
  // front streams through its same-origin /proxy/, which the worker leaves alone).
  { name: 'two-previews', workspace: 'two-previews', suites: ['twoPreviews'], fronts: ['code-server'] },
  // Issue 12: eight previews and panels at once (more than the six connections a browser allows per host).
  { name: 'many-previews', workspace: 'many-previews', suites: ['manyPreviews'], fronts: ['code-server'] },
  // runTests always passes --disable-workspace-trust; this asks the launcher to ignore it.
  { name: 'untrusted', workspace: 'fastapi-app', suites: ['untrusted'], fronts: ['server'], env: { PREVIEW_HOST_WORKSPACE_TRUST: '1' } },
  { name: 'vsix', workspace: 'static-site', suites: ['installed'], fronts: ['server'], vsix: true },
  // A stock `npm create vite` app: Open in Browser is checked through code-server's /proxy/ route.
  { name: 'vite', workspace: 'vite-app', suites: ['vite'], fronts: ['code-server'], generate: async () => (await ensureFixtures()).vite },
];

interface Run {
  name: string;
  group: Group;
  /** Undefined: let @vscode/test-electron download desktop VS Code. */
  executable: string | undefined;
  front?: Front;
}

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

function plannedRuns(): Run[] {
  const front = option('front') ?? (process.env.VSCODE_EXECUTABLE ? 'desktop' : 'both');
  if (!['server', 'code-server', 'both', 'desktop'].includes(front)) {
    throw new Error(`--front must be server, code-server, both or desktop; got ${JSON.stringify(front)}`);
  }
  const workspace = option('workspace');
  let groups: Group[];
  if (workspace) {
    groups = [{ name: workspace, workspace, fronts: ['server', 'code-server'] }];
  } else {
    const wanted = option('group')?.split(',');
    const unknown = wanted?.filter((g) => !GROUPS.some((x) => x.name === g));
    if (unknown?.length) throw new Error(`--group: no group ${unknown.join(', ')}; groups: ${GROUPS.map((g) => g.name).join(', ')}`);
    groups = GROUPS.filter((g) => !wanted || wanted.includes(g.name));
  }
  const runs: Run[] = [];
  for (const group of groups) {
    if (front === 'desktop') {
      runs.push({ name: `${group.name} (desktop)`, group, executable: process.env.VSCODE_EXECUTABLE });
      continue;
    }
    for (const f of group.fronts) {
      if (front === 'both' || front === f) runs.push({ name: `${group.name} (${f})`, group, executable: launcher, front: f });
    }
    // A group made for one front still runs when only the other is asked for.
    if (front !== 'both' && !group.fronts.includes(front as Front)) {
      runs.push({ name: `${group.name} (${front})`, group, executable: launcher, front: front as Front });
    }
  }
  return runs;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/** `npm run package`, then the dev build again (packaging leaves a minified dist/). */
function packageVsix(): string {
  run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'package']);
  run(process.execPath, ['esbuild.mjs']);
  return path.join(repoRoot, 'preview-host.vsix');
}

async function main(): Promise<number> {
  const runs = plannedRuns();
  run(process.execPath, ['esbuild.mjs']);
  run(process.execPath, ['test/vscode/build.mjs']);

  const scratch = await mkdtemp(path.join(os.tmpdir(), 'preview-host-tests-'));
  const fixtures = path.join(scratch, 'fixtures');
  const results: string[] = [];
  let failed = false;
  let vsix: string | undefined;
  const all = Date.now();
  try {
    for (const [i, r] of runs.entries()) {
      const started = Date.now();
      console.log(`\n=== extension tests: ${r.name} ===`);
      let outcome = 'passed';
      const report = path.join(scratch, `report-${i}.txt`);
      try {
        // A fresh copy per run: one run's writes must not leak into the next.
        await rm(fixtures, { recursive: true, force: true });
        await cp(path.join(repoRoot, 'test/fixtures'), fixtures, { recursive: true });
        if (r.group.generate) await cp(await r.group.generate(), path.join(fixtures, r.group.workspace), { recursive: true });
        // Own extensions and user data per run: an installed .vsix must not shadow the dev path.
        const extensionsDir = path.join(scratch, `extensions-${i}`);
        let extensionDevelopmentPath = repoRoot;
        const env: Record<string, string | undefined> = {
          PREVIEW_HOST_FRONT: r.front,
          PREVIEW_HOST_FIXTURES: fixtures,
          PREVIEW_HOST_TEST_REPORT: report,
          ...r.group.env,
        };
        if (r.group.suites) env.PREVIEW_HOST_TEST_SUITES = r.group.suites.join(',');
        if (r.group.vsix) {
          vsix ??= packageVsix();
          const size = checkVsixContents(vsix);
          console.log(`${path.basename(vsix)}: ${(size / 1024).toFixed(0)} KB`);
          installVsix(vsix, extensionsDir, r.executable === launcher ? undefined : r.executable);
          // The extension must come from the extensions dir: develop a do-nothing probe instead.
          extensionDevelopmentPath = path.join(repoRoot, 'test/vscode/vsix-probe');
          env.PREVIEW_HOST_INSTALLED_FROM = extensionsDir;
        }
        await runTests({
          vscodeExecutablePath: r.executable,
          version: r.executable ? undefined : DESKTOP_VERSION,
          extensionDevelopmentPath,
          extensionTestsPath: path.join(repoRoot, 'out/vscode-tests/index.js'),
          launchArgs: [
            path.join(fixtures, r.group.workspace),
            // Desktop would disable the installed .vsix too; the extensions dir is fresh anyway.
            ...(r.group.vsix ? [] : ['--disable-extensions']),
            `--extensions-dir=${extensionsDir}`,
            `--user-data-dir=${path.join(scratch, `user-data-${i}`)}`,
          ],
          extensionTestsEnv: env,
        });
      } catch (err) {
        failed = true;
        outcome =
          err instanceof TestRunFailedError ? `FAILED (${err.message})` : `FAILED (${err instanceof Error ? err.stack : String(err)})`;
      }
      results.push(`${r.name}: ${outcome} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      // Why it failed, under its line: a long CI log is often read only from its end.
      const why = await readFile(report, 'utf8').catch(() => '');
      for (const line of why.split('\n').filter(Boolean)) results.push(`  ✗ ${line}`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  console.log(`\n=== extension tests (${((Date.now() - all) / 1000).toFixed(0)} s) ===\n${results.join('\n')}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
