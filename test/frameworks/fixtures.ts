// Real framework apps for the framework tests, created at test time (never committed) into a
// cache directory, so a rerun costs nothing:
//   $PREVIEW_HOST_CACHE/frameworks-<key>/<name>   (default cache: $XDG_CACHE_HOME or ~/.cache, /preview-host)
// <key> hashes this file, Node's major version and the Python interpreter's path, so editing a
// fixture (or a pin below) makes a fresh set. Each app is built in a temporary sibling directory
// and renamed into place only when complete, so an interrupted setup never leaves a half app, and
// two concurrent runs do not trip over each other.
//
// Run by hand: `npx tsx test/frameworks/fixtures.ts` (prints the directories as JSON).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Debian's Python (has Django, Flask, FastAPI, uvicorn; gunicorn is /usr/bin/gunicorn). */
export const PYTHON = process.env.PREVIEW_HOST_TEST_PYTHON || '/usr/bin/python3';

/** create-vite, pinned exactly: the template (and the Vite major it asks for) comes from it. */
export const CREATE_VITE = 'create-vite@9.3.0';
/** Express and morgan majors for the Express app. */
export const EXPRESS_DEPS = ['express@5', 'morgan@1'];

export type FixtureName = 'vite' | 'express' | 'django' | 'flask' | 'fastapi' | 'gunicorn';
export type Fixtures = Record<FixtureName, string>;

export function cacheRoot(): string {
  if (process.env.PREVIEW_HOST_CACHE) return process.env.PREVIEW_HOST_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'preview-host');
}

export function fixturesDir(): string {
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(__filename));
  hash.update(`node${process.versions.node.split('.')[0]}\0${PYTHON}`);
  return path.join(cacheRoot(), `frameworks-${hash.digest('hex').slice(0, 12)}`);
}

const MARKER = '.preview-host-fixture-complete';

/** Creates (once) every framework app; resolves to their directories. Throws naming what failed. */
export async function ensureFixtures(log: (text: string) => void = () => {}): Promise<Fixtures> {
  await checkPython();
  const root = fixturesDir();
  fs.mkdirSync(root, { recursive: true });
  const makers: Record<FixtureName, (dir: string) => Promise<void>> = {
    vite: makeVite,
    express: makeExpress,
    django: makeDjango,
    flask: makeFlask,
    fastapi: makeFastApi,
    gunicorn: makeGunicorn,
  };
  const entries = await Promise.all(
    (Object.keys(makers) as FixtureName[]).map(async (name) => {
      // `vite-app`, not `vite`: create-vite names the package after its folder, and a package
      // called vite cannot depend on vite.
      const dir = path.join(root, `${name}-app`);
      if (fs.existsSync(path.join(dir, MARKER))) return [name, dir] as const;
      const t0 = Date.now();
      // Made under its final name in a private parent, then moved into place.
      const parent = fs.mkdtempSync(path.join(root, `.tmp-${name}-`));
      const tmp = path.join(parent, path.basename(dir));
      try {
        fs.mkdirSync(tmp);
        await makers[name](tmp);
        fs.writeFileSync(path.join(tmp, MARKER), new Date().toISOString() + '\n');
        if (!fs.existsSync(path.join(dir, MARKER))) fs.rmSync(dir, { recursive: true, force: true }); // a leftover without its marker
        try {
          fs.renameSync(tmp, dir);
        } catch (err) {
          // Another run finished the same app first: use that one.
          if (!fs.existsSync(path.join(dir, MARKER))) throw err;
        }
      } catch (err) {
        throw new Error(`framework fixture "${name}" could not be created in ${root}: ${(err as Error).message}`, { cause: err });
      } finally {
        fs.rmSync(parent, { recursive: true, force: true });
      }
      log(`created the ${name} fixture in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return [name, dir] as const;
    }),
  );
  return Object.fromEntries(entries) as Fixtures;
}

async function checkPython(): Promise<void> {
  if (!fs.existsSync(PYTHON))
    throw new Error(`${PYTHON} not found: install Debian's python3 (see .ci/run), or set PREVIEW_HOST_TEST_PYTHON`);
  try {
    await run(PYTHON, ['-c', 'import django, flask, fastapi, uvicorn, gunicorn'], os.tmpdir());
  } catch (err) {
    throw new Error(
      `${PYTHON} lacks a framework the tests need (apt packages python3-django python3-flask python3-fastapi python3-uvicorn gunicorn): ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/** A stock Vite app exactly as `npm create vite` makes it, with its dependencies installed. */
async function makeVite(dir: string): Promise<void> {
  // create-vite writes into a new folder under its cwd; `--no-interactive` (and CI=1) skip every prompt.
  const parent = path.dirname(dir);
  const name = path.basename(dir);
  fs.rmdirSync(dir);
  await run(
    'npm',
    ['create', '--yes', CREATE_VITE.replace('create-', ''), name, '--', '--template', 'vanilla-ts', '--no-interactive'],
    parent,
  );
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  if (pkg.scripts?.dev !== 'vite') throw new Error(`${CREATE_VITE} made an unexpected package.json: ${JSON.stringify(pkg)}`);
  await run('npm', ['install', '--no-audit', '--no-fund'], dir);
  if (!fs.existsSync(path.join(dir, 'node_modules/.bin/vite'))) throw new Error('npm install left no node_modules/.bin/vite');
}

/** Express with morgan('dev') logging: `/` 200, `/boom` 500. */
async function makeExpress(dir: string): Promise<void> {
  write(
    dir,
    'package.json',
    JSON.stringify({ name: 'express-app', private: true, version: '1.0.0', scripts: { start: 'node server.js' } }, null, 2) + '\n',
  );
  write(
    dir,
    'server.js',
    `const express = require('express');
const morgan = require('morgan');

const app = express();
app.use(morgan('dev'));
app.get('/', (req, res) => res.send('Hello from Express'));
app.get('/boom', () => {
  throw new Error('boom');
});

const port = process.env.PORT || 3000;
app.listen(port, () => console.log(\`Example app listening on port \${port}\`));
`,
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--save', ...EXPRESS_DEPS], dir);
}

/** `django-admin startproject mysite` (run through the interpreter, so Debian's Django). */
async function makeDjango(dir: string): Promise<void> {
  await run(PYTHON, ['-m', 'django', 'startproject', 'mysite', dir], path.dirname(dir));
}

async function makeFlask(dir: string): Promise<void> {
  write(
    dir,
    'app.py',
    `from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "<p>Hello from Flask</p>"
`,
  );
}

async function makeFastApi(dir: string): Promise<void> {
  write(
    dir,
    'main.py',
    `from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def read_root():
    return {"hello": "FastAPI"}
`,
  );
}

/** A plain WSGI app (no framework, so only the Procfile says how to run it) under 2 gunicorn workers. */
async function makeGunicorn(dir: string): Promise<void> {
  write(
    dir,
    'app.py',
    `def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"Hello from gunicorn\\n"]
`,
  );
  write(dir, 'Procfile', 'web: gunicorn --workers 2 --bind 127.0.0.1:$PORT app:app\n');
}

function write(dir: string, file: string, text: string): void {
  fs.writeFileSync(path.join(dir, file), text);
}

/** Runs a command to completion; rejects with its exit code and the tail of its output. */
function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, CI: '1', npm_config_yes: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.on('error', (err) => reject(new Error(`${command} ${args.join(' ')}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`\`${command} ${args.join(' ')}\` in ${cwd} ended with ${signal ?? `code ${code}`}:\n${output.slice(-2000)}`));
    });
  });
}

if (require.main === module) {
  const t0 = Date.now();
  ensureFixtures((text) => console.error(text)).then(
    (fixtures) => {
      console.log(JSON.stringify(fixtures, null, 2));
      console.error(`fixtures ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    },
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
