// Real framework apps (test/frameworks/fixtures.ts) run by the built CLI with no command: the host
// detects what to run, learns the URL the app serves on, and stops the whole process tree.
import assert from 'node:assert/strict';
import type { CliBanner, LogLine, PreviewInfo } from '../../src/shared/protocol';
import { ensureBuilt } from '../unit/helpers/build';
import { stripAnsi } from '../../src/shared/ansi';
import { CliRun, httpGet, logLines, MARK_ENV, MARK_PREFIX, tryConnect } from './cliRun';
import { ensureFixtures, fixturesDir, PYTHON, type FixtureName, type Fixtures } from './fixtures';
import { describeProcs, isAlive, processesMarked, processTree, type ProcInfo } from './procTree';

const GRACE_MS = 3000;
const READY_TIMEOUT_MS = 30_000;

interface Case {
  name: FixtureName;
  /** What the tree must hold once the app answers (reloader children, workers); a message when it does not. */
  treeMissing: (tree: ProcInfo[]) => string | undefined;
  /** Extra checks of the app's answer to GET appUrl. */
  checkAnswer?: (status: number, body: string) => void;
}

const count = (tree: ProcInfo[], re: RegExp) => tree.filter((p) => re.test(p.cmdline)).length;
const pythons = (tree: ProcInfo[]) => count(tree, /python/);

const CASES: Case[] = [
  {
    name: 'vite',
    treeMissing: (tree) => (count(tree, /vite/) >= 1 ? undefined : 'a vite process'),
    checkAnswer: (status, body) => {
      assert.equal(status, 200, `Vite answered ${status}: ${body.slice(0, 300)}`);
      assert.match(body, /<div id="app"><\/div>/, `not the Vite template's index.html:\n${body.slice(0, 600)}`);
      assert.match(body, /src="\/src\/main\.ts"/, 'the page loads /src/main.ts');
      assert.match(body, /@vite\/client/, "the dev server's client is injected (so it is Vite's dev server, not a static server)");
    },
  },
  {
    name: 'express',
    treeMissing: (tree) => (count(tree, /server\.js/) >= 1 ? undefined : 'node server.js'),
    checkAnswer: (status, body) => assert.equal(status, 200, `Express answered ${status}: ${body}`),
  },
  {
    name: 'django',
    treeMissing: (tree) =>
      count(tree, /manage\.py runserver/) >= 2 ? undefined : "runserver's autoreloader and its server child (2 × manage.py runserver)",
  },
  {
    name: 'flask',
    treeMissing: (tree) =>
      count(tree, /flask/) >= 2
        ? undefined
        : "the debug reloader and its server child (2 × python -m flask … run; Werkzeug's reloader re-runs the same command line)",
  },
  {
    name: 'fastapi',
    treeMissing: (tree) =>
      count(tree, /uvicorn.*--reload/) >= 1 && pythons(tree) >= 2
        ? undefined
        : 'uvicorn --reload and its server process (≥ 2 python processes, one of them `uvicorn … --reload`)',
  },
  {
    name: 'gunicorn',
    treeMissing: (tree) => (count(tree, /gunicorn/) >= 3 ? undefined : 'the gunicorn master and its 2 workers (3 × gunicorn)'),
  },
];

/** Polls `test` (no fixed sleeps: it returns as soon as it holds) until `timeoutMs`. */
async function waitFor(test: () => boolean, timeoutMs: number, intervalMs = 25): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (test()) return true;
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The command the host chose (as GET /api/previews shows it), for the test's output. */
async function detectedCommand(banner: CliBanner): Promise<string> {
  const answer = await httpGet(`${banner.apiBase}/previews?token=${banner.token}`);
  const previews = JSON.parse(answer.body) as PreviewInfo[];
  return previews.map((p) => p.displayCommand ?? p.command.join(' ')).join(', ');
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))),
  ]);
}

describe('real frameworks, run by the CLI with no command', function () {
  this.timeout(READY_TIMEOUT_MS + 30_000);
  let fixtures: Fixtures;
  const runs: CliRun[] = [];

  before(async function () {
    this.timeout(300_000);
    ensureBuilt();
    const t0 = Date.now();
    fixtures = await ensureFixtures((text) => console.log(`      ${text}`));
    console.log(`      framework fixtures in ${fixturesDir()} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  });

  // Whatever a failed test left behind: the CLIs we started, then every process carrying our mark.
  after(async () => {
    for (const run of runs) run.kill();
    for (const p of processesMarked(MARK_ENV, MARK_PREFIX)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  function start(name: FixtureName): CliRun {
    const run = new CliRun(['run', '--json', '--no-history', '--cwd', fixtures[name], '--python', PYTHON, '--grace', String(GRACE_MS)]);
    runs.push(run);
    return run;
  }

  for (const c of CASES) {
    it(`${c.name}: ready within ${READY_TIMEOUT_MS / 1000} s with an appUrl that answers; SIGTERM ends the whole tree within grace + 1 s and frees the port`, async () => {
      const t0 = Date.now();
      const run = start(c.name);
      const banner = await run.banner();
      const ready = await run.ready(READY_TIMEOUT_MS);
      const readyMs = Date.now() - t0;
      const command = await detectedCommand(banner);
      assert.ok(ready.appUrl, `the ready status has no appUrl: ${JSON.stringify(ready)}\n${run.transcript()}`);
      const appUrl = new URL(ready.appUrl);

      const answer = await httpGet(ready.appUrl);
      assert.ok(answer.status < 500, `GET ${ready.appUrl} → ${answer.status}: ${answer.body.slice(0, 500)}`);
      c.checkAnswer?.(answer.status, answer.body);

      let tree: ProcInfo[] = [];
      const complete = await waitFor(() => ((tree = processTree(run.pid)), !c.treeMissing(tree)), 10_000);
      assert.ok(complete, `the process tree never had ${c.treeMissing(tree)}; it has:\n${describeProcs(tree)}`);

      const stopAt = Date.now();
      run.child.kill('SIGTERM');
      await waitFor(() => tree.every((p) => !isAlive(p)), GRACE_MS + 3000, 10);
      const tookMs = Date.now() - stopAt;
      const left = tree.filter(isAlive);
      assert.deepEqual(
        left,
        [],
        `alive ${tookMs} ms after SIGTERM to the CLI (grace ${GRACE_MS} ms):\n${describeProcs(left)}\nthe tree was:\n${describeProcs(tree)}`,
      );
      assert.ok(
        tookMs <= GRACE_MS + 1000,
        `the tree took ${tookMs} ms to go (grace ${GRACE_MS} ms + 1 s allowed):\n${describeProcs(tree)}`,
      );
      assert.equal(await withTimeout(run.exited, 2000, 'CLI exit'), 0, `the CLI's exit code\n${run.transcript()}`);

      const host = appUrl.hostname.replace(/^\[|\]$/g, '');
      const port = Number(appUrl.port || 80);
      const connect = await tryConnect(host, port);
      assert.notEqual(connect, 'connected', `${host}:${port} still accepts connections after the stop`);
      const stragglers = processesMarked(MARK_ENV, run.mark);
      assert.deepEqual(
        stragglers,
        [],
        `processes of this run still alive (outside the tree seen before the stop):\n${describeProcs(stragglers)}`,
      );
      assert.equal(run.statuses.at(-1)?.state, 'stopped', `the last status\n${run.transcript()}`);
      console.log(
        `      ${c.name}: \`${command}\` ready in ${readyMs} ms at ${ready.appUrl}; ${tree.length} processes gone ${tookMs} ms after SIGTERM`,
      );
    });
  }

  it("express: morgan's `GET /boom 500` line is tagged ERROR in the logs", async () => {
    const run = start('express');
    const banner = await run.banner();
    const ready = await run.ready(READY_TIMEOUT_MS);
    assert.ok(ready.appUrl, `the ready status has no appUrl: ${JSON.stringify(ready)}`);
    const boom = await httpGet(new URL('/boom', ready.appUrl).href);
    assert.equal(boom.status, 500, 'GET /boom answers 500');
    // Poll the logs route until morgan's line is there (it is written right after the response).
    const isBoom = (l: LogLine) => /GET \/boom 500/.test(stripAnsi(l.text));
    const end = Date.now() + 5000;
    let lines: LogLine[] = await logLines(banner);
    while (!lines.some(isBoom) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 50));
      lines = await logLines(banner);
    }
    const line = lines.find(isBoom);
    assert.ok(
      line,
      `no morgan line "GET /boom 500" in the logs; they are:\n${lines.map((l) => `${l.level} ${JSON.stringify(l.text)}`).join('\n')}`,
    );
    assert.equal(line.level, 'ERROR', `morgan's line ${JSON.stringify(line.text)} is tagged ${line.level}`);
    run.child.kill('SIGTERM');
    assert.equal(await withTimeout(run.exited, GRACE_MS + 2000, 'CLI exit'), 0);
  });
});
