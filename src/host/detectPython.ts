import path from 'node:path';
import { exists, pythonFiles, readText, subdirectories } from './detectSupport';

/** What detection learned about a Python app; detect.ts turns it into a command. */
export interface PythonApp {
  /** File relative to the folder, with `/`. */
  file: string;
  /** The app object's variable, e.g. `app`. */
  variable: string;
  /** "FastAPI" or "Starlette" for ASGI apps. */
  framework?: string;
}

const FASTAPI = /^\s*(\w+)\s*(?::[^=]+)?=\s*(?:fastapi\.|starlette\.applications\.)?(FastAPI|Starlette)\s*\(/m;
const FLASK = /^\s*(\w+)\s*(?::[^=]+)?=\s*(?:flask\.)?Flask\s*\(/m;
const FLASK_FACTORY = /^def\s+(create_app|make_app)\s*\(/m;
const IMPORTS_FLASK = /^\s*(?:from\s+flask\s+import|import\s+flask\b)/m;

/** Where apps usually live; checked before any search. */
const FASTAPI_FILES = ['app/main.py', 'main.py', 'app.py', 'src/main.py', 'api/main.py', 'app/app.py', 'server.py', 'asgi.py'];
const FLASK_FILES = ['app.py', 'wsgi.py', 'main.py', 'application.py', 'server.py', 'app/__init__.py'];
/** How deep a project that lists the framework as a dependency is searched for its app. */
const SEARCH_DEPTH = 3;

/** The FastAPI/Starlette app: at a usual path, else (when a dependency file lists it) anywhere a few levels down. */
export async function findAsgiApp(dir: string): Promise<PythonApp | undefined> {
  const match = (source: string) => {
    const m = FASTAPI.exec(source);
    return m ? { variable: m[1], framework: m[2] } : undefined;
  };
  return findApp(dir, FASTAPI_FILES, /fastapi|starlette/, match);
}

/** The Flask app (an `app = Flask(…)` or a `create_app()` factory), found the same way. */
export async function findFlaskApp(dir: string): Promise<PythonApp | undefined> {
  const match = (source: string) => {
    const m = FLASK.exec(source);
    if (m) return { variable: m[1] };
    const factory = IMPORTS_FLASK.test(source) ? FLASK_FACTORY.exec(source) : null;
    return factory ? { variable: `${factory[1]}()` } : undefined;
  };
  return findApp(dir, FLASK_FILES, /flask/, match);
}

async function findApp(
  dir: string,
  usual: readonly string[],
  dependency: RegExp,
  match: (source: string) => Omit<PythonApp, 'file'> | undefined,
): Promise<PythonApp | undefined> {
  for (const file of usual) {
    const source = await readText(path.join(dir, file));
    const found = source === undefined ? undefined : match(source);
    if (found) return { file, ...found };
  }
  if (!(await listsDependency(dir, dependency))) return undefined;
  for (const file of await pythonFiles(dir, SEARCH_DEPTH)) {
    const source = await readText(path.join(dir, file));
    const found = source === undefined ? undefined : match(source);
    if (found) return { file, ...found };
  }
  return undefined;
}

/** True when pyproject.toml, requirements*.txt, Pipfile or setup.cfg names the package. */
async function listsDependency(dir: string, name: RegExp): Promise<boolean> {
  const pattern = new RegExp(`(^|[\\s"'\\[,=])(${name.source})\\b`, 'im');
  for (const file of ['pyproject.toml', 'requirements.txt', 'requirements-dev.txt', 'requirements/base.txt', 'Pipfile', 'setup.cfg']) {
    const text = await readText(path.join(dir, file));
    if (text !== undefined && pattern.test(text)) return true;
  }
  return false;
}

/** `app/main.py` → { module: 'app.main' }; `src/pkg/api.py` → { module: 'pkg.api', appDir: 'src' }. */
export function pythonModule(file: string): { module: string; appDir?: string } {
  let parts = file.replace(/\.py$/, '').split('/');
  if (parts[parts.length - 1] === '__init__' && parts.length > 1) parts = parts.slice(0, -1);
  // A src layout's packages import as if src were on sys.path.
  if (parts[0] === 'src' && parts.length > 1) return { module: parts.slice(1).join('.'), appDir: 'src' };
  return { module: parts.join('.') };
}

/** The folder holding manage.py: the folder itself, else one of its sub-folders. */
export async function findDjangoProject(dir: string): Promise<string | undefined> {
  if (await exists(path.join(dir, 'manage.py'))) return '';
  for (const sub of await subdirectories(dir)) {
    const source = await readText(path.join(dir, sub, 'manage.py'));
    // One level down, only a real Django manage.py counts (not some other tool's script).
    if (source !== undefined && /django/i.test(source)) return sub;
  }
  return undefined;
}

/** The command of a Procfile's `web:` process, if any. */
export async function procfileWebCommand(dir: string): Promise<string | undefined> {
  const text = await readText(path.join(dir, 'Procfile'));
  const m = text === undefined ? null : /^web:[ \t]*(\S.*?)\s*$/m.exec(text);
  return m ? m[1] : undefined;
}
