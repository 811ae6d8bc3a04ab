import path from 'node:path';
import type { ReadyCheck } from './preview';
import { detectPackageScript, SCRIPT_TOOLS } from './detectScripts';
import { findAsgiApp, findDjangoProject, findFlaskApp, procfileWebCommand, pythonModule } from './detectPython';
import { commandLine, exists, readJson, shellCommand, whichOnPath, type Which } from './detectSupport';

/** One way to run a folder, as detection proposes it. `{port}` stands for the app's port. */
export interface RunCandidate {
  /** What `preview-host run --pick` names: fastapi, django, flask, vite, next, script, procfile, static, … */
  kind: string;
  /** Shown in the quick pick, e.g. "FastAPI: app.main:app" or "Vite: npm run dev". */
  label: string;
  command: string[];
  /** What the user would type, `{port}` left in, e.g. `npm run dev -- --port {port} --strictPort`. */
  displayCommand: string;
  cwd: string;
  env?: Record<string, string>;
  /** Set when the project fixes its own port (e.g. `"dev": "vite --port 3000"`): the host must use it. */
  port?: number;
  ready?: ReadyCheck;
}

export interface DetectOptions {
  /** The Python interpreter to run apps with (the setting, the Python extension's choice, else python3). */
  python?: string;
  /** Runs the built-in static server: [node, cli.js] (the caller knows where its CLI lives). */
  staticServer?: string[];
  /** PATH lookup for the package manager a lockfile names; default: a real PATH search. */
  which?: Which;
  /** Default: the running platform (Procfile lines run through cmd on Windows). */
  platform?: NodeJS.Platform;
}

interface DetectContext {
  dir: string;
  python: string;
  options: DetectOptions;
  platform: NodeJS.Platform;
  found: RunCandidate[];
  /** Set by the package.json rule: then index.html is the app's entry (Vite), not a static site. */
  hasPackageScript?: boolean;
}

/** One detection rule: how a kind of project is recognised, how it is run and how it gets its port. */
export interface DetectionRule {
  kind: string;
  recognisedBy: string;
  port: string;
  detect(ctx: DetectContext): Promise<RunCandidate | undefined>;
}

/** The rules, in the order their candidates are offered (best first). */
export const DETECTION_RULES: readonly DetectionRule[] = [
  {
    kind: 'fastapi',
    recognisedBy:
      '`app = FastAPI(…)`/`Starlette(…)` in app/main.py, main.py, app.py, …, or any .py file 3 levels down when pyproject.toml/requirements.txt lists fastapi',
    port: 'uvicorn --port {port}',
    async detect({ dir, python }) {
      const app = await findAsgiApp(dir);
      if (!app) return undefined;
      const { module, appDir } = pythonModule(app.file);
      const target = `${module}:${app.variable}`;
      // --reload, as FastAPI's docs run it in development (and as Django and Flask --debug do).
      const command = [
        python,
        '-m',
        'uvicorn',
        target,
        '--reload',
        '--host',
        '127.0.0.1',
        '--port',
        '{port}',
        ...(appDir ? ['--app-dir', appDir] : []),
      ];
      return { kind: 'fastapi', label: `${app.framework}: ${target}`, command, displayCommand: commandLine(command), cwd: dir };
    },
  },
  {
    kind: 'django',
    recognisedBy: 'manage.py in the folder or one sub-folder down',
    port: 'runserver 127.0.0.1:{port}',
    async detect({ dir, python }) {
      const sub = await findDjangoProject(dir);
      if (sub === undefined) return undefined;
      const command = [python, 'manage.py', 'runserver', '127.0.0.1:{port}'];
      const where = sub ? `${sub}/manage.py` : 'manage.py';
      return {
        kind: 'django',
        label: `Django: ${where} runserver`,
        command,
        displayCommand: commandLine(command),
        cwd: path.join(dir, sub),
      };
    },
  },
  {
    kind: 'flask',
    recognisedBy: '`app = Flask(…)` or a create_app() factory in app.py, wsgi.py, main.py, …, or deeper when a dependency file lists flask',
    port: 'flask run --port {port}',
    async detect({ dir, python }) {
      const app = await findFlaskApp(dir);
      if (!app) return undefined;
      const { module, appDir } = pythonModule(app.file);
      // Flask itself finds `app`, `application` and `create_app()`; other names need `module:name`.
      const named = app.variable === 'app' || app.variable === 'application' || app.variable.endsWith('()') ? '' : `:${app.variable}`;
      const target = (appDir ? app.file : module) + named;
      // --debug: the reloader and debugger a Flask developer runs with.
      const command = [python, '-m', 'flask', '--app', target, '--debug', 'run', '--host', '127.0.0.1', '--port', '{port}'];
      return { kind: 'flask', label: `Flask: ${app.file}`, command, displayCommand: commandLine(command), cwd: dir };
    },
  },
  {
    kind: 'script',
    recognisedBy: `package.json "dev", "start" or "serve" script (${[...new Set(SCRIPT_TOOLS.map((t) => t.name))].join(', ')}, or any server reading $PORT)`,
    port: "the tool's --port flag, else $PORT",
    async detect(ctx) {
      const pkg = await readJson(path.join(ctx.dir, 'package.json'));
      const candidate = pkg ? await detectPackageScript(ctx.dir, pkg, ctx.options.which ?? whichOnPath) : undefined;
      ctx.hasPackageScript = candidate !== undefined;
      return candidate;
    },
  },
  {
    kind: 'procfile',
    recognisedBy: 'a Procfile `web:` line',
    port: '$PORT',
    async detect({ dir, python, platform }) {
      const line = await procfileWebCommand(dir);
      if (!line) return undefined;
      // cmd spells variables %PORT%.
      const shellLine = platform === 'win32' ? line.replace(/\$\{PORT\}|\$PORT\b/g, '%PORT%') : line;
      return {
        kind: 'procfile',
        label: 'Procfile: web',
        command: shellCommand(shellLine, platform),
        displayCommand: line,
        cwd: dir,
        env: interpreterOnPath(python, platform),
      };
    },
  },
  {
    kind: 'static',
    recognisedBy: 'index.html (unless a package.json script runs the folder)',
    port: 'static --port {port}',
    async detect({ dir, options, hasPackageScript }) {
      if (!options.staticServer || hasPackageScript) return undefined;
      if (!(await exists(path.join(dir, 'index.html')))) return undefined;
      const command = [...options.staticServer, 'static', '--port', '{port}', dir];
      return { kind: 'static', label: 'Static site: index.html', command, displayCommand: commandLine(command), cwd: dir };
    },
  },
];

/** Proposes how to run `dir`, best first; [] when nothing runnable is found. */
export async function detectRunCandidates(dir: string, options: DetectOptions = {}): Promise<RunCandidate[]> {
  const platform = options.platform ?? process.platform;
  const ctx: DetectContext = { dir, python: options.python ?? (platform === 'win32' ? 'python' : 'python3'), options, platform, found: [] };
  for (const rule of DETECTION_RULES) {
    const candidate = await rule.detect(ctx);
    if (candidate) ctx.found.push(candidate);
  }
  return ctx.found;
}

/** What detection looks for, one line per rule (for "nothing found" messages). */
export function describeDetectionRules(): string[] {
  return DETECTION_RULES.map((r) => `${r.kind}: ${r.recognisedBy}`);
}

/**
 * A Procfile runs tools such as gunicorn by name: with a virtualenv's interpreter configured, its
 * folder goes first on PATH so those come from the same environment.
 */
function interpreterOnPath(python: string, platform: NodeJS.Platform): Record<string, string> | undefined {
  if (!path.isAbsolute(python)) return undefined;
  const key = platform === 'win32' ? (Object.keys(process.env).find((k) => k.toUpperCase() === 'PATH') ?? 'Path') : 'PATH';
  const delimiter = platform === 'win32' ? ';' : ':';
  const current = process.env[key];
  return { [key]: current ? `${path.dirname(python)}${delimiter}${current}` : path.dirname(python) };
}
