// Issue 12: the extension wakes only in windows with something to run (package.json's
// `workspaceContains:` activation events, README "When the extension activates"). Each row is a
// smallest project of one kind that detection runs; some event must wake the extension for it,
// or its window would have no Start button and no leftover reaping at startup.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DETECTION_RULES, detectRunCandidates } from '../../src/host/detect';
import { REPO } from './helpers/build';

const FASTAPI = 'from fastapi import FastAPI\napp = FastAPI()\n';
const FLASK = 'from flask import Flask\napp = Flask(__name__)\n';
const DEEP_FASTAPI = { 'services/api/http.py': FASTAPI };

/**
 * A project per way detection recognises one: its files, and the kind of candidate detection must
 * find (`rule`: the DETECTION_RULES row, when its candidates have their own kinds).
 */
const PROJECTS: { kind: string; rule?: string; files: Record<string, string> }[] = [
  ...['app/main.py', 'main.py', 'app.py', 'src/main.py', 'api/main.py', 'app/app.py', 'server.py', 'asgi.py'].map((f) => ({
    kind: 'fastapi',
    files: { [f]: FASTAPI },
  })),
  ...['pyproject.toml', 'requirements.txt', 'requirements-dev.txt', 'requirements/base.txt', 'Pipfile', 'setup.cfg'].map((f) => ({
    kind: 'fastapi',
    files: { [f]: 'fastapi\n', ...DEEP_FASTAPI },
  })),
  ...['app.py', 'wsgi.py', 'main.py', 'application.py', 'server.py', 'app/__init__.py'].map((f) => ({
    kind: 'flask',
    files: { [f]: FLASK },
  })),
  { kind: 'django', files: { 'manage.py': 'import django\n' } },
  { kind: 'django', files: { 'site/manage.py': 'import django\n' } },
  { kind: 'vite', rule: 'script', files: { 'package.json': JSON.stringify({ scripts: { dev: 'vite' }, devDependencies: { vite: '*' } }) } },
  { kind: 'procfile', files: { Procfile: 'web: gunicorn app:app\n' } },
  { kind: 'static', files: { 'index.html': '<h1>hi</h1>\n' } },
];

const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { activationEvents: string[] };
const patterns = manifest.activationEvents
  .filter((e) => e.startsWith('workspaceContains:'))
  .map((e) => e.slice('workspaceContains:'.length));

/** The events' patterns are file paths, or `*` + `/path` for one folder down: what VS Code matches them against. */
function wakes(dir: string, pattern: string): boolean {
  if (!pattern.includes('*')) return existsSync(path.join(dir, pattern));
  assert.match(pattern, /^\*\/[^*]+$/, `pattern ${pattern}: only "*/file" globs are understood here`);
  return readdirSync(dir, { withFileTypes: true }).some((d) => d.isDirectory() && existsSync(path.join(dir, d.name, pattern.slice(2))));
}

describe('activation events (issue 12)', () => {
  let scratch: string;
  before(() => (scratch = mkdtempSync(path.join(os.tmpdir(), 'preview-host-activation-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('wake on project files only: no onStartupFinished, no "*"', () => {
    assert.ok(patterns.length > 0);
    assert.deepEqual(
      manifest.activationEvents.filter((e) => !e.startsWith('workspaceContains:')),
      [],
    );
  });

  PROJECTS.forEach(({ kind, files }, i) => {
    it(`a ${kind} project (${Object.keys(files).join(', ')}) wakes the extension`, async () => {
      const dir = path.join(scratch, String(i));
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
      const found = await detectRunCandidates(dir, { staticServer: ['node', 'cli.js'], which: async (c) => `/usr/bin/${c}` });
      assert.ok(
        found.some((c) => c.kind === kind),
        `detection found ${found.map((c) => c.kind).join(', ') || 'nothing'}`,
      );
      assert.ok(
        patterns.some((p) => wakes(dir, p)),
        `no workspaceContains event matches ${Object.keys(files).join(', ')}`,
      );
    });
  });

  it('a folder with none of them (a README) does not wake it', () => {
    const dir = path.join(scratch, 'readme-only');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'README.md'), '# notes\n');
    assert.deepEqual(
      patterns.filter((p) => wakes(dir, p)),
      [],
    );
  });

  it('every detection rule has a project above (a new rule needs its files in activationEvents and a row here)', () => {
    const kinds = new Set(PROJECTS.map((p) => p.rule ?? p.kind));
    assert.deepEqual(
      DETECTION_RULES.map((r) => r.kind).filter((k) => !kinds.has(k)),
      [],
    );
  });
});
