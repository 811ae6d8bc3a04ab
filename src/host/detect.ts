import fs from 'node:fs/promises';
import path from 'node:path';
import type { ReadyCheck } from './preview';

/** One way to run a folder, as detection proposes it. `{port}` stands for the app's port. */
export interface RunCandidate {
  kind: 'fastapi' | 'flask' | 'django' | 'npm' | 'static';
  /** Shown in the quick pick, e.g. "FastAPI: app.main:app". */
  label: string;
  command: string[];
  cwd: string;
  env?: Record<string, string>;
  ready?: ReadyCheck;
}

export interface DetectOptions {
  /** The Python interpreter to run apps with (the Python extension's choice, else python3). */
  python?: string;
  /** Runs the built-in static server: [node, cli.js] (the caller knows where its CLI lives). */
  staticServer?: string[];
}

const FASTAPI = /^\s*(\w+)\s*(?::[^=]+)?=\s*(?:fastapi\.)?(FastAPI|Starlette)\s*\(/m;
const FLASK = /^\s*(\w+)\s*(?::[^=]+)?=\s*(?:flask\.)?Flask\s*\(/m;

/** Proposes how to run `dir`, best first; [] when nothing runnable is found. */
export async function detectRunCandidates(dir: string, options: DetectOptions = {}): Promise<RunCandidate[]> {
  const python = options.python ?? 'python3';
  const found: RunCandidate[] = [];

  for (const rel of ['app/main.py', 'main.py', 'app.py', 'src/main.py', 'api/main.py']) {
    const source = await readText(path.join(dir, rel));
    const match = source && FASTAPI.exec(source);
    if (match) {
      const module = rel.replace(/\.py$/, '').split('/').join('.');
      found.push({
        kind: 'fastapi',
        label: `${match[2]}: ${module}:${match[1]}`,
        command: [python, '-m', 'uvicorn', `${module}:${match[1]}`, '--host', '127.0.0.1', '--port', '{port}'],
        cwd: dir,
      });
      break;
    }
  }

  if (await exists(path.join(dir, 'manage.py'))) {
    found.push({ kind: 'django', label: 'Django: manage.py runserver', command: [python, 'manage.py', 'runserver', '127.0.0.1:{port}'], cwd: dir });
  }

  for (const rel of ['app.py', 'wsgi.py', 'main.py']) {
    const source = await readText(path.join(dir, rel));
    if (source && FLASK.test(source)) {
      found.push({
        kind: 'flask',
        label: `Flask: ${rel}`,
        command: [python, '-m', 'flask', '--app', rel.replace(/\.py$/, ''), 'run', '--host', '127.0.0.1', '--port', '{port}'],
        cwd: dir,
      });
      break;
    }
  }

  const pkg = await readJson(path.join(dir, 'package.json'));
  const scripts = pkg && typeof pkg.scripts === 'object' && pkg.scripts !== null ? (pkg.scripts as Record<string, unknown>) : {};
  for (const script of ['dev', 'start']) {
    if (typeof scripts[script] === 'string') {
      // The port travels in $PORT (Vite, Next, CRA and most Node servers read it).
      found.push({ kind: 'npm', label: `npm run ${script}`, command: ['npm', 'run', script], cwd: dir });
      break;
    }
  }

  if (options.staticServer && (await exists(path.join(dir, 'index.html')))) {
    found.push({ kind: 'static', label: 'Static site: index.html', command: [...options.staticServer, 'static', '--port', '{port}', dir], cwd: dir });
  }
  return found;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    const stat = await fs.stat(file);
    // Entry files are small; a huge file is not worth reading to guess a framework.
    return stat.isFile() && stat.size < 1024 * 1024 ? await fs.readFile(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  const text = await readText(file);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
