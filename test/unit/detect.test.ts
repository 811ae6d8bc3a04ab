import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectRunCandidates } from '../../src/host/detect';

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-detect-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const STATIC = ['node', 'cli.js'];

describe('detectRunCandidates', () => {
  const table: { name: string; files: Record<string, string>; expect: { kind: string; command: string[] }[] }[] = [
    {
      name: 'FastAPI in app/main.py runs uvicorn on the module and variable, with the chosen interpreter',
      files: { 'app/__init__.py': '', 'app/main.py': 'from fastapi import FastAPI\n\napi = FastAPI(title="x")\n' },
      expect: [{ kind: 'fastapi', command: ['/usr/bin/python3', '-m', 'uvicorn', 'app.main:api', '--host', '127.0.0.1', '--port', '{port}'] }],
    },
    {
      name: 'Starlette in main.py',
      files: { 'main.py': 'import starlette\napp = Starlette(routes=[])\n' },
      expect: [{ kind: 'fastapi', command: ['/usr/bin/python3', '-m', 'uvicorn', 'main:app', '--host', '127.0.0.1', '--port', '{port}'] }],
    },
    {
      name: 'Flask app.py',
      files: { 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' },
      expect: [{ kind: 'flask', command: ['/usr/bin/python3', '-m', 'flask', '--app', 'app', 'run', '--host', '127.0.0.1', '--port', '{port}'] }],
    },
    {
      name: 'Django manage.py',
      files: { 'manage.py': '#!/usr/bin/env python\n', 'site/settings.py': '' },
      expect: [{ kind: 'django', command: ['/usr/bin/python3', 'manage.py', 'runserver', '127.0.0.1:{port}'] }],
    },
    {
      name: 'package.json prefers dev over start',
      files: { 'package.json': JSON.stringify({ scripts: { start: 'node s.js', dev: 'vite' } }) },
      expect: [{ kind: 'npm', command: ['npm', 'run', 'dev'] }],
    },
    {
      name: 'package.json with only start',
      files: { 'package.json': JSON.stringify({ scripts: { start: 'node s.js', test: 'x' } }) },
      expect: [{ kind: 'npm', command: ['npm', 'run', 'start'] }],
    },
    {
      name: 'a static index.html is served by the built-in static server',
      files: { 'index.html': '<h1>hi</h1>' },
      expect: [{ kind: 'static', command: [...STATIC, 'static', '--port', '{port}', '<dir>'] }],
    },
    {
      name: 'several candidates come back best first',
      files: { 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n', 'package.json': '{"scripts":{"dev":"vite"}}', 'index.html': '' },
      expect: [
        { kind: 'fastapi', command: ['/usr/bin/python3', '-m', 'uvicorn', 'main:app', '--host', '127.0.0.1', '--port', '{port}'] },
        { kind: 'npm', command: ['npm', 'run', 'dev'] },
        { kind: 'static', command: [...STATIC, 'static', '--port', '{port}', '<dir>'] },
      ],
    },
    { name: 'nothing runnable', files: { 'README.md': '# hi', 'notes.py': 'print(1)' }, expect: [] },
    { name: 'a broken package.json is not a crash', files: { 'package.json': '{ nope' }, expect: [] },
    { name: 'a package.json without dev/start', files: { 'package.json': '{"scripts":{"build":"tsc"}}' }, expect: [] },
    { name: 'the word FastAPI in a comment is not an app', files: { 'main.py': '# we might use FastAPI() later\nprint(1)\n' }, expect: [] },
  ];
  for (const c of table) {
    it(c.name, async () => {
      const dir = workspace(c.files);
      const found = await detectRunCandidates(dir, { python: '/usr/bin/python3', staticServer: STATIC });
      assert.deepEqual(
        found.map((f) => ({ kind: f.kind, command: f.command.map((p) => (p === dir ? '<dir>' : p)) })),
        c.expect,
      );
      for (const f of found) assert.equal(f.cwd, dir);
    });
  }
});
