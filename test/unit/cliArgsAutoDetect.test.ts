import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseRunArgs, UsageError, type RunArgs } from '../../src/cli/args';
import { describeDetectedRun, resolveRunCommand, type AutoDetectOptions } from '../../src/cli/autoDetect';

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-autodetect-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const OPTIONS: AutoDetectOptions = {
  staticServer: ['/usr/bin/node', '/pkg/dist/cli.js'],
  which: async (c) => `/bin/${c}`,
  platform: 'linux',
};
const args = (dir: string, ...argv: string[]) => parseRunArgs(['--cwd', dir, ...argv], '/nowhere') as RunArgs;
const VITE_AND_PY = { 'package.json': JSON.stringify({ scripts: { dev: 'vite' } }), 'manage.py': '', 'index.html': '' };

describe('preview-host run without a command: resolveRunCommand', () => {
  it('returns undefined when a command is given: it runs as written', async () => {
    assert.equal(await resolveRunCommand(args('/tmp', '--', 'ls'), OPTIONS), undefined);
  });

  it('runs the first candidate, as the extension would, with every candidate listed', async () => {
    const dir = folder(VITE_AND_PY);
    const run = await resolveRunCommand(args(dir), OPTIONS);
    assert.deepEqual(
      { kind: run?.kind, command: run?.command, displayCommand: run?.displayCommand, cwd: run?.cwd, label: run?.label },
      {
        kind: 'django',
        command: ['python3', 'manage.py', 'runserver', '127.0.0.1:{port}'],
        displayCommand: 'python3 manage.py runserver 127.0.0.1:{port}',
        cwd: dir,
        label: 'Django: manage.py runserver',
      },
    );
    assert.deepEqual(
      run?.candidates.map((c) => c.kind),
      ['django', 'vite'],
    );
  });

  it('--pick KIND chooses by kind', async () => {
    const run = await resolveRunCommand(args(folder(VITE_AND_PY), '--pick', 'vite'), OPTIONS);
    assert.deepEqual(run?.command, ['npm', 'run', 'dev', '--', '--port', '{port}', '--strictPort']);
    assert.equal(
      describeDetectedRun(run!),
      '[preview-host] running: npm run dev -- --port {port} --strictPort (detected: Vite: npm run dev)',
    );
    assert.equal(
      describeDetectedRun(run!, 5174),
      '[preview-host] running: npm run dev -- --port 5174 --strictPort (detected: Vite: npm run dev)',
    );
  });

  it('an unknown --pick kind is a usage error listing what was found', async () => {
    await assert.rejects(resolveRunCommand(args(folder(VITE_AND_PY), '--pick', 'next'), OPTIONS), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /--pick next: no such candidate/);
      assert.match(e.message, /django\s+Django: manage\.py runserver: python3 manage\.py runserver/);
      assert.match(e.message, /vite\s+Vite: npm run dev: npm run dev -- --port \{port\} --strictPort/);
      return true;
    });
  });

  it('nothing found is a usage error saying what was looked for', async () => {
    await assert.rejects(resolveRunCommand(args(folder({ 'README.md': '' })), OPTIONS), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /nothing runnable found in /);
      for (const kind of ['fastapi', 'django', 'flask', 'script', 'procfile', 'static'])
        assert.match(e.message, new RegExp(`^  - ${kind}: `, 'm'));
      assert.match(e.message, /preview-host run -- npm run dev/);
      return true;
    });
  });

  it('a --cwd that is not a folder is a usage error', async () => {
    await assert.rejects(resolveRunCommand(args('/no/such/dir'), OPTIONS), /not a directory: \/no\/such\/dir/);
  });

  it("a static site runs this CLI's own static subcommand", async () => {
    const dir = folder({ 'index.html': '' });
    const run = await resolveRunCommand(args(dir), OPTIONS);
    assert.deepEqual(run?.command, ['/usr/bin/node', '/pkg/dist/cli.js', 'static', '--port', '{port}', dir]);
    const byDefault = await resolveRunCommand(args(dir), { ...OPTIONS, staticServer: undefined });
    assert.deepEqual(byDefault?.command.slice(0, 3), [process.execPath, path.resolve(process.argv[1]), 'static']);
  });

  it("--python is the interpreter for Python apps; without it, the project's .venv, else python3", async () => {
    const app = { 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n' };
    const given = await resolveRunCommand(args(folder(app), '--python', '/opt/py/bin/python'), OPTIONS);
    assert.equal(given?.command[0], '/opt/py/bin/python');
    const dir = folder({ ...app, '.venv/bin/python': '' });
    assert.equal((await resolveRunCommand(args(dir), OPTIONS))?.command[0], path.join(dir, '.venv/bin/python'));
    assert.equal((await resolveRunCommand(args(folder(app)), OPTIONS))?.command[0], 'python3');
  });

  it('a relative --cwd is resolved, and a project-fixed port comes back', async () => {
    const dir = folder({ 'package.json': JSON.stringify({ scripts: { dev: 'vite --port 3000' } }) });
    const run = await resolveRunCommand(args(path.relative(process.cwd(), dir)), OPTIONS);
    assert.equal(run?.cwd, dir);
    assert.equal(run?.port, 3000);
  });
});
