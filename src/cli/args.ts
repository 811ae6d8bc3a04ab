import { parseArgs } from 'node:util';
import { assertValidPort } from '../host/ports';
import type { ReadyCheck } from '../host/preview';
import { parseRestartMode, RESTART_MODES, type RestartMode } from '../host/restartPolicy';
import { checkRedactPatterns } from '../host/redact';

export const USAGE = `usage: preview-host run [options] [-- <command…>]
       preview-host static --port N [DIR]     serve a static folder, logging each request

Runs <command…> as a dev server and serves its log lines as Server-Sent Events on 127.0.0.1.
{port} in the command is replaced by the app's port, which is also in $PORT.
Without a command, runs what detection finds in the folder, as the VS Code extension would
(FastAPI, Django, Flask, a package.json dev/start script with the tool's port flag, a Procfile
web: line, an index.html).

options:
  --json                 first stdout line: {"url","token","previewId","port","apiBase",…}; then one JSON status per line
  --port N               the app's port (default: a free one)
  --cwd DIR              working directory (default: the current one)
  --pick KIND            without a command: run the detected candidate of this kind (vite, next, fastapi, static, …)
  --python PATH          without a command: the interpreter for Python apps (default: .venv's, else python3)
  --name NAME            the preview's name (default: the command)
  --ready-url PATH       ready when http://127.0.0.1:<port>PATH answers 2xx/3xx (default: the port accepts TCP)
  --ready-line REGEX     ready when a log line matches REGEX
  --ready-timeout SEC    give up waiting for ready after SEC seconds (default 60)
  --grace MS             SIGTERM → SIGKILL delay when stopping (default 5000)
  --restart MODE         never (default), or on-failure: restart a crashed app (backoff 1 s … 30 s; stops after 5 crashes in 2 min)
  --server-port N        port of the log stream server (default: a free one)
  --keep-alive MS        keep-alive comment after MS of silence (default 15000)
  --exit-with-child      exit with the child's code once every client has its last line
  --history DIR          keep every line in a sql.js database in DIR (default: a per-user data dir)
  --no-history           keep no history
  --quiet                do not echo the child's lines (human mode)
  --no-redact            keep lines exactly as printed (default: secrets become «redacted:<kind>»)
  --redact-pattern RE    also mask what the regular expression RE matches (its first group, if any); repeatable
  -h, --help             this text`;

export interface RunArgs {
  json: boolean;
  /** Empty: detect what to run in `cwd` (see autoDetect.ts). */
  command: string[];
  cwd: string;
  /** Detection only: the candidate kind to run instead of the first. */
  pick?: string;
  /** Detection only: the Python interpreter. */
  python?: string;
  name?: string;
  port?: number;
  ready?: ReadyCheck;
  readyTimeoutMs?: number;
  graceMs?: number;
  restart?: RestartMode;
  serverPort?: number;
  keepAliveMs?: number;
  exitWithChild: boolean;
  history: string | false | undefined;
  quiet: boolean;
  /** Mask secrets in lines (default true) and the extra patterns, checked. */
  redact: boolean;
  redactPatterns: string[];
}

/** Thrown for bad command lines; the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {}

/** Parses `run …` arguments (everything after the subcommand). */
export function parseRunArgs(argv: string[], cwd: string): RunArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        port: { type: 'string' },
        cwd: { type: 'string' },
        pick: { type: 'string' },
        python: { type: 'string' },
        name: { type: 'string' },
        'ready-url': { type: 'string' },
        'ready-line': { type: 'string' },
        'ready-timeout': { type: 'string' },
        grace: { type: 'string' },
        restart: { type: 'string' },
        'server-port': { type: 'string' },
        'keep-alive': { type: 'string' },
        'exit-with-child': { type: 'boolean' },
        history: { type: 'string' },
        'no-history': { type: 'boolean' },
        quiet: { type: 'boolean' },
        'no-redact': { type: 'boolean' },
        'redact-pattern': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const command = parsed.positionals;
  // Both only steer detection; with a command they would be silently ignored.
  if (command.length > 0 && v.pick !== undefined)
    throw new UsageError('--pick chooses among detected commands: drop it or the command after --');
  if (command.length > 0 && v.python !== undefined)
    throw new UsageError('--python is used by detection only: put the interpreter in the command instead');
  if (v.pick !== undefined && v.pick.trim() === '') throw new UsageError('--pick needs a kind, e.g. --pick vite');
  if (v.python !== undefined && v.python.trim() === '') throw new UsageError('--python needs an interpreter path');
  if (v['ready-url'] !== undefined && v['ready-line'] !== undefined) {
    throw new UsageError('--ready-url and --ready-line cannot be used together');
  }
  if (v.history !== undefined && v['no-history']) throw new UsageError('--history and --no-history cannot be used together');
  const redactPatterns = v['redact-pattern'] ?? [];
  if (v['no-redact'] && redactPatterns.length > 0) throw new UsageError('--no-redact and --redact-pattern cannot be used together');
  const badPattern = checkRedactPatterns(redactPatterns).problems[0];
  if (badPattern) throw new UsageError(`invalid --redact-pattern: ${badPattern}`);
  let ready: ReadyCheck | undefined;
  if (v['ready-url'] !== undefined) {
    const path = v['ready-url'];
    if (!path.startsWith('/')) throw new UsageError(`invalid --ready-url: ${JSON.stringify(path)} (expected a path starting with /)`);
    ready = { kind: 'http', path };
  } else if (v['ready-line'] !== undefined) {
    try {
      new RegExp(v['ready-line']);
    } catch (err) {
      throw new UsageError(`invalid --ready-line: ${(err as Error).message}`);
    }
    ready = { kind: 'line', pattern: v['ready-line'] };
  }
  return {
    json: v.json ?? false,
    command,
    cwd: v.cwd ?? cwd,
    pick: v.pick,
    python: v.python,
    name: v.name,
    port: optional(v.port, (s) => usage(() => assertValidPort(s), '--port')),
    ready,
    readyTimeoutMs: optional(v['ready-timeout'], (s) => number('--ready-timeout', s, 0.1) * 1000),
    graceMs: optional(v.grace, (s) => number('--grace', s, 0)),
    restart: optional(v.restart, restartMode),
    serverPort: optional(v['server-port'], (s) => usage(() => assertValidPort(s), '--server-port')),
    keepAliveMs: optional(v['keep-alive'], (s) => number('--keep-alive', s, 1)),
    exitWithChild: v['exit-with-child'] ?? false,
    history: v['no-history'] ? false : v.history,
    quiet: v.quiet ?? false,
    redact: !v['no-redact'],
    redactPatterns,
  };
}

function optional<T>(value: string | undefined, parse: (s: string) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}

function number(option: string, value: string, min: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min) {
    throw new UsageError(`invalid ${option}: ${JSON.stringify(value)} (expected a number ≥ ${min})`);
  }
  return n;
}

function restartMode(value: string): RestartMode {
  const mode = parseRestartMode(value);
  if (!mode) throw new UsageError(`invalid --restart: ${JSON.stringify(value)} (expected ${RESTART_MODES.join(' or ')})`);
  return mode;
}

function usage<T>(fn: () => T, option: string): T {
  try {
    return fn();
  } catch (err) {
    throw new UsageError(`${option}: ${(err as Error).message}`);
  }
}
