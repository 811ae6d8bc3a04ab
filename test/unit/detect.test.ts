import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DETECTION_RULES, detectRunCandidates, type DetectOptions, type RunCandidate } from '../../src/host/detect';
import { matchScriptTool, SCRIPT_TOOLS } from '../../src/host/detectScripts';

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-detect-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const STATIC = ['node', 'cli.js'];
const PY = '/usr/bin/python3';
/** A PATH with only these commands on it, so tests do not depend on the machine. */
const onPath =
  (...commands: string[]): DetectOptions['which'] =>
  async (c) =>
    commands.includes(c) ? `/bin/${c}` : undefined;

async function detect(files: Record<string, string>, options: DetectOptions = {}): Promise<{ dir: string; found: RunCandidate[] }> {
  const dir = workspace(files);
  const found = await detectRunCandidates(dir, {
    python: PY,
    staticServer: STATIC,
    which: onPath('npm', 'pnpm', 'yarn', 'bun'),
    ...options,
  });
  return { dir, found };
}

const pkg = (scripts: Record<string, string>, devDependencies: Record<string, string> = {}) => JSON.stringify({ scripts, devDependencies });

describe('detectRunCandidates: package.json scripts (one test per SCRIPT_TOOLS row)', () => {
  const rows: {
    tool: string;
    script: Record<string, string>;
    deps?: Record<string, string>;
    kind: string;
    label: string;
    display: string;
    env?: Record<string, string>;
  }[] = [
    {
      tool: 'SvelteKit (vite dev)',
      script: { dev: 'vite dev' },
      deps: { '@sveltejs/kit': '^2', vite: '^5' },
      kind: 'sveltekit',
      label: 'SvelteKit: npm run dev',
      display: 'npm run dev -- --port {port} --strictPort',
    },
    {
      tool: 'SvelteKit (legacy svelte-kit dev)',
      script: { dev: 'svelte-kit dev' },
      kind: 'sveltekit',
      label: 'SvelteKit: npm run dev',
      display: 'npm run dev -- --port {port}',
    },
    {
      tool: 'Remix (vite:dev)',
      script: { dev: 'remix vite:dev' },
      kind: 'remix',
      label: 'Remix: npm run dev',
      display: 'npm run dev -- --port {port} --strictPort',
    },
    {
      tool: 'React Router (dev)',
      script: { dev: 'react-router dev' },
      kind: 'react-router',
      label: 'React Router: npm run dev',
      display: 'npm run dev -- --port {port} --strictPort',
    },
    {
      tool: 'Remix (remix-serve reads $PORT)',
      script: { start: 'remix-serve ./build/index.js' },
      kind: 'remix',
      label: 'Remix: npm run start',
      display: 'npm run start',
    },
    { tool: 'Astro', script: { dev: 'astro dev' }, kind: 'astro', label: 'Astro: npm run dev', display: 'npm run dev -- --port {port}' },
    {
      tool: 'Angular',
      script: { start: 'ng serve' },
      kind: 'angular',
      label: 'Angular: npm run start',
      display: 'npm run start -- --port {port}',
    },
    {
      tool: 'Vite',
      script: { dev: 'vite' },
      kind: 'vite',
      label: 'Vite: npm run dev',
      display: 'npm run dev -- --port {port} --strictPort',
    },
    {
      tool: 'webpack-dev-server',
      script: { start: 'webpack serve --mode development' },
      kind: 'webpack',
      label: 'webpack-dev-server: npm run start',
      display: 'npm run start -- --port {port}',
    },
    {
      tool: 'Vue CLI',
      script: { serve: 'vue-cli-service serve' },
      kind: 'vue-cli',
      label: 'Vue CLI: npm run serve',
      display: 'npm run serve -- --port {port}',
    },
    {
      tool: 'Gatsby',
      script: { develop: 'x', dev: 'gatsby develop' },
      kind: 'gatsby',
      label: 'Gatsby: npm run dev',
      display: 'npm run dev -- --port {port}',
    },
    {
      tool: 'Next.js (reads $PORT)',
      script: { dev: 'next dev', start: 'next start' },
      kind: 'next',
      label: 'Next.js: npm run dev',
      display: 'npm run dev',
    },
    { tool: 'Nuxt (reads $PORT)', script: { dev: 'nuxi dev' }, kind: 'nuxt', label: 'Nuxt: npm run dev', display: 'npm run dev' },
    {
      tool: 'Create React App (reads $PORT)',
      script: { start: 'react-scripts start' },
      kind: 'create-react-app',
      label: 'Create React App: npm run start',
      display: 'npm run start',
      env: { BROWSER: 'none' },
    },
  ];
  for (const r of rows) {
    it(`${r.tool}: ${JSON.stringify(r.script)} → ${r.display}`, async () => {
      const { dir, found } = await detect({ 'package.json': pkg(r.script, r.deps) });
      assert.equal(found.length, 1);
      const [c] = found;
      assert.deepEqual(
        { kind: c.kind, label: c.label, displayCommand: c.displayCommand, command: c.command.join(' '), cwd: c.cwd, env: c.env },
        { kind: r.kind, label: r.label, displayCommand: r.display, command: r.display, cwd: dir, env: r.env },
      );
    });
  }

  it('every SCRIPT_TOOLS row is exercised by a case above', () => {
    const hit = new Set(rows.map((r) => matchScriptTool(Object.values(r.script).at(-1)!, Object.keys(r.deps ?? {}))));
    for (const tool of SCRIPT_TOOLS) assert.ok(hit.has(tool), `no test for ${tool.name} ${tool.command}`);
  });

  it('an Express/node server reads $PORT: the plain script, labelled by the command (kind "script")', async () => {
    const { found } = await detect({ 'package.json': pkg({ dev: 'node server.js' }) });
    assert.deepEqual(
      found.map((c) => [c.kind, c.label, c.command.join(' ')]),
      [['script', 'npm run dev', 'npm run dev']],
    );
  });

  it('a stock Vite app (create-vite vanilla-ts, index.html at the root) is ONE candidate: no static site, no quick pick', async () => {
    const { found } = await detect({
      'package.json': JSON.stringify({
        name: 'x',
        private: true,
        type: 'module',
        scripts: { dev: 'vite', build: 'tsc && vite build', preview: 'vite preview' },
        devDependencies: { typescript: '~5.6.2', vite: '^6.0.1' },
      }),
      'index.html': '<!doctype html><div id="app"></div><script type="module" src="/src/main.ts"></script>',
      'src/main.ts': '',
    });
    assert.deepEqual(
      found.map((c) => [c.kind, c.displayCommand]),
      [['vite', 'npm run dev -- --port {port} --strictPort']],
    );
  });

  it('reads the script\'s last command, past wrappers: cross-env, VAR=, npx, "tsc &&", node_modules/.bin', async () => {
    for (const script of [
      'cross-env NODE_ENV=development vite --host',
      'tsc && vite',
      'NODE_OPTIONS=--x npx vite',
      'node_modules/.bin/vite',
      'pnpm exec vite serve',
    ]) {
      assert.equal(matchScriptTool(script, [])?.kind, 'vite', script);
    }
    for (const script of ['vite & tailwindcss --watch', 'vite build && node server.js', 'concurrently "vite" "tsc -w"']) {
      assert.equal(matchScriptTool(script, []), undefined, script);
    }
  });

  it('a port the script fixes itself is kept (no second --port) and reported; the strict flag is not doubled', async () => {
    const { found } = await detect({ 'package.json': pkg({ dev: 'vite --port 3000 --strictPort' }) });
    assert.deepEqual(
      found.map((c) => [c.displayCommand, c.port, c.label]),
      [['npm run dev', 3000, 'Vite: npm run dev (port 3000 set by the script)']],
    );
    const next = await detect({ 'package.json': pkg({ dev: 'next dev -p 4000' }) });
    assert.deepEqual(
      next.found.map((c) => [c.displayCommand, c.port]),
      [['npm run dev', 4000]],
    );
    const express = await detect({ 'package.json': pkg({ start: 'cross-env PORT=8080 node server.js' }) });
    assert.deepEqual(
      express.found.map((c) => [c.kind, c.displayCommand, c.port]),
      [['script', 'npm run start', 8080]],
    );
  });

  it('prefers dev over start over serve; no such script → nothing; broken package.json → nothing', async () => {
    assert.equal(
      (await detect({ 'package.json': pkg({ serve: 'x', start: 'node s.js', dev: 'vite' }) })).found[0].displayCommand,
      'npm run dev -- --port {port} --strictPort',
    );
    assert.deepEqual((await detect({ 'package.json': pkg({ build: 'tsc' }) })).found, []);
    assert.deepEqual((await detect({ 'package.json': '{ nope' })).found, []);
  });
});

describe('detectRunCandidates: the package manager the project names', () => {
  const vite = pkg({ dev: 'vite' });
  const cases: [string, Record<string, string>, string][] = [
    ['pnpm-lock.yaml → pnpm passes the flags through', { 'pnpm-lock.yaml': '' }, 'pnpm run dev --port {port} --strictPort'],
    ['yarn.lock → yarn, without the `--` yarn 1 warns about', { 'yarn.lock': '' }, 'yarn run dev --port {port} --strictPort'],
    ['bun.lockb → bun', { 'bun.lockb': '' }, 'bun run dev --port {port} --strictPort'],
    ['bun.lock → bun', { 'bun.lock': '' }, 'bun run dev --port {port} --strictPort'],
    ['package-lock.json → npm with --', { 'package-lock.json': '{}' }, 'npm run dev -- --port {port} --strictPort'],
    [
      'a lockfile at the monorepo root, two folders up',
      { 'pnpm-lock.yaml': '', 'packages/web/package.json': vite },
      'pnpm run dev --port {port} --strictPort',
    ],
  ];
  for (const [name, files, display] of cases) {
    it(name, async () => {
      const dir = workspace({ 'package.json': vite, ...files });
      const sub = files['packages/web/package.json'] ? path.join(dir, 'packages/web') : dir;
      const [c] = await detectRunCandidates(sub, { which: onPath('npm', 'pnpm', 'yarn', 'bun') });
      assert.equal(c.displayCommand, display);
      assert.deepEqual(c.command, display.split(' '));
    });
  }

  it('package.json packageManager wins over a lockfile', async () => {
    const { found } = await detect({
      'package.json': JSON.stringify({ packageManager: 'yarn@4.1.0', scripts: { dev: 'next dev' } }),
      'package-lock.json': '',
    });
    assert.equal(found[0].displayCommand, 'yarn run dev');
  });

  it('falls back to npm, with a note in the label, when the named manager is not on PATH', async () => {
    const { found } = await detect({ 'package.json': pkg({ dev: 'vite' }), 'pnpm-lock.yaml': '' }, { which: onPath('npm') });
    assert.equal(found[0].displayCommand, 'npm run dev -- --port {port} --strictPort');
    assert.equal(found[0].label, 'Vite: npm run dev (pnpm-lock.yaml names pnpm, which is not on PATH)');
  });
});

describe('detectRunCandidates: Python, Procfile, static (one test per DETECTION_RULES row and its variants)', () => {
  const uvicorn = (target: string, ...extra: string[]) => [
    PY,
    '-m',
    'uvicorn',
    target,
    '--reload',
    '--host',
    '127.0.0.1',
    '--port',
    '{port}',
    ...extra,
  ];
  const flask = (target: string) => [PY, '-m', 'flask', '--app', target, '--debug', 'run', '--host', '127.0.0.1', '--port', '{port}'];
  const table: {
    name: string;
    files: Record<string, string>;
    expect: { kind: string; label: string; command: string[]; cwd?: string }[];
  }[] = [
    {
      name: 'fastapi: app/main.py runs uvicorn on module:variable with the given interpreter',
      files: { 'app/__init__.py': '', 'app/main.py': 'from fastapi import FastAPI\n\napi = FastAPI(title="x")\n' },
      expect: [{ kind: 'fastapi', label: 'FastAPI: app.main:api', command: uvicorn('app.main:api') }],
    },
    {
      name: 'fastapi: Starlette in main.py',
      files: { 'main.py': 'app = Starlette(routes=[])\n' },
      expect: [{ kind: 'fastapi', label: 'Starlette: main:app', command: uvicorn('main:app') }],
    },
    {
      name: 'fastapi: pyproject.toml lists fastapi, the app is three folders down',
      files: {
        'pyproject.toml': '[project]\ndependencies = ["fastapi>=0.110", "uvicorn"]\n',
        'services/api/server.py': 'import fastapi\nweb = fastapi.FastAPI()\n',
        'services/api/util.py': 'x = 1\n',
      },
      expect: [{ kind: 'fastapi', label: 'FastAPI: services.api.server:web', command: uvicorn('services.api.server:web') }],
    },
    {
      name: 'fastapi: requirements.txt lists fastapi, src layout → --app-dir src',
      files: {
        'requirements.txt': 'fastapi==0.110\nuvicorn\n',
        'src/shop/__init__.py': '',
        'src/shop/web.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
      },
      expect: [{ kind: 'fastapi', label: 'FastAPI: shop.web:app', command: uvicorn('shop.web:app', '--app-dir', 'src') }],
    },
    {
      name: 'fastapi: an app deep down is not searched for when no dependency file lists fastapi',
      files: { 'services/api/server.py': 'app = FastAPI()\n' },
      expect: [],
    },
    {
      name: 'fastapi: the word FastAPI in a comment is not an app',
      files: { 'main.py': '# we might use FastAPI() later\nprint(1)\n' },
      expect: [],
    },
    {
      name: 'django: manage.py',
      files: { 'manage.py': '#!/usr/bin/env python\n', 'site/settings.py': '' },
      expect: [{ kind: 'django', label: 'Django: manage.py runserver', command: [PY, 'manage.py', 'runserver', '127.0.0.1:{port}'] }],
    },
    {
      name: 'django: a project one folder down runs there',
      files: { 'README.md': '', 'mysite/manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n' },
      expect: [
        {
          kind: 'django',
          label: 'Django: mysite/manage.py runserver',
          command: [PY, 'manage.py', 'runserver', '127.0.0.1:{port}'],
          cwd: 'mysite',
        },
      ],
    },
    {
      name: 'flask: app.py, with the debug reloader',
      files: { 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' },
      expect: [{ kind: 'flask', label: 'Flask: app.py', command: flask('app') }],
    },
    {
      name: 'flask: another variable name is named',
      files: { 'wsgi.py': 'import flask\nserver = flask.Flask(__name__)\n' },
      expect: [{ kind: 'flask', label: 'Flask: wsgi.py', command: flask('wsgi:server') }],
    },
    {
      name: 'flask: a create_app() factory in a package found through requirements.txt',
      files: {
        'requirements.txt': 'Flask>=3\n',
        'blog/__init__.py': 'from flask import Flask\n\ndef create_app():\n    return Flask(__name__)\n',
      },
      expect: [{ kind: 'flask', label: 'Flask: blog/__init__.py', command: flask('blog') }],
    },
    {
      name: 'procfile: the web: line runs through the shell ($PORT set by the host)',
      files: { Procfile: 'release: ./migrate\nweb: gunicorn --workers 2 --bind 127.0.0.1:$PORT app:app\n' },
      expect: [
        { kind: 'procfile', label: 'Procfile: web', command: ['/bin/sh', '-c', 'gunicorn --workers 2 --bind 127.0.0.1:$PORT app:app'] },
      ],
    },
    {
      name: 'static: a lone index.html is served by the built-in static server',
      files: { 'index.html': '<h1>hi</h1>' },
      expect: [{ kind: 'static', label: 'Static site: index.html', command: [...STATIC, 'static', '--port', '{port}', '<dir>'] }],
    },
    {
      name: 'static: still offered beside a package.json without a dev/start script',
      files: { 'index.html': '', 'package.json': pkg({ build: 'tsc' }) },
      expect: [{ kind: 'static', label: 'Static site: index.html', command: [...STATIC, 'static', '--port', '{port}', '<dir>'] }],
    },
    {
      name: 'several candidates come back best first (the package script hides the static site)',
      files: {
        'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
        'package.json': pkg({ dev: 'vite' }),
        'index.html': '',
        Procfile: 'web: uvicorn main:app --port $PORT\n',
      },
      expect: [
        { kind: 'fastapi', label: 'FastAPI: main:app', command: uvicorn('main:app') },
        { kind: 'vite', label: 'Vite: npm run dev', command: ['npm', 'run', 'dev', '--', '--port', '{port}', '--strictPort'] },
        { kind: 'procfile', label: 'Procfile: web', command: ['/bin/sh', '-c', 'uvicorn main:app --port $PORT'] },
      ],
    },
    { name: 'nothing runnable', files: { 'README.md': '# hi', 'notes.py': 'print(1)' }, expect: [] },
  ];
  for (const c of table) {
    it(c.name, async () => {
      const { dir, found } = await detect(c.files, { platform: 'linux' });
      assert.deepEqual(
        found.map((f) => ({ kind: f.kind, label: f.label, command: f.command.map((p) => (p === dir ? '<dir>' : p)), cwd: f.cwd })),
        c.expect.map((e) => ({ ...e, cwd: path.join(dir, e.cwd ?? '') })),
      );
      for (const f of found)
        assert.equal(f.displayCommand, f.kind === 'procfile' ? f.command[2] : f.command.join(' '), 'displayCommand is what one would type');
    });
  }

  it('every DETECTION_RULES row has a case above', () => {
    const covered = new Set(table.flatMap((c) => c.name.split(':')[0]).concat('script'));
    for (const rule of DETECTION_RULES) assert.ok(covered.has(rule.kind), rule.kind);
  });

  it("procfile on Windows: cmd, with $PORT spelled %PORT%; a virtualenv interpreter's folder leads PATH", async () => {
    const { found } = await detect(
      { Procfile: 'web: gunicorn --bind 127.0.0.1:${PORT} app:app\n' },
      { platform: 'win32', python: 'C:\\proj\\.venv\\Scripts\\python.exe' },
    );
    assert.deepEqual(found[0].command.slice(1), ['/d', '/s', '/c', 'gunicorn --bind 127.0.0.1:%PORT% app:app']);
    assert.equal(found[0].displayCommand, 'gunicorn --bind 127.0.0.1:${PORT} app:app');
    const posix = await detect({ Procfile: 'web: gunicorn app:app\n' }, { platform: 'linux', python: '/proj/.venv/bin/python' });
    assert.match(posix.found[0].env?.PATH ?? '', /^\/proj\/\.venv\/bin:/);
  });

  it('Python apps default to python3 (python on Windows) when no interpreter is given', async () => {
    const dir = workspace({ 'manage.py': '' });
    assert.equal((await detectRunCandidates(dir, { platform: 'linux' }))[0].command[0], 'python3');
    assert.equal((await detectRunCandidates(dir, { platform: 'win32' }))[0].command[0], 'python');
  });

  it('an interpreter path with spaces is quoted in displayCommand', async () => {
    const { found } = await detect({ 'manage.py': '' }, { python: '/opt/my env/bin/python', platform: 'linux' });
    assert.equal(found[0].displayCommand, "'/opt/my env/bin/python' manage.py runserver 127.0.0.1:{port}");
  });
});
