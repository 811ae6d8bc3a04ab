/**
 * Level tagging from a line's format: what uvicorn, gunicorn, Werkzeug, Django, Python logging,
 * pino/bunyan, npm and Node actually print; `levelRules.ts` adds morgan, Next.js, Vite, webpack,
 * tsc, Rails, Go, nginx and Apache. Rules match the format's level slot, never the word
 * "error" anywhere in a line, so `GET /errors 200` and `0 errors` stay INFO.
 */
import { stripAnsi } from '../shared/ansi';
import type { LogLevel } from '../shared/protocol';
import { JSON_STATUS } from '../shared/accessLog';
import { structuredLevel } from '../shared/structuredLine';
import { PLATFORM_RULES } from './levelRulesPlatforms';
import {
  DIGITS,
  LEVEL_WORDS,
  NPM_ERROR,
  PYTHON_WARNING,
  SERVER_RULES,
  STATUS_RULES,
  WORDS,
  isGoTraceLine,
  startsGoTrace,
  statusLevel,
  wordLevel,
} from './levelRules';
import {
  ACCESS_STATUS,
  EXCEPTION_GROUP,
  MAX_INTERJECTIONS,
  NODE_PREAMBLE,
  PYTHON_CHAIN,
  SYNTAX_ERROR_FILE,
  interjects,
} from './entryShapes';

/**
 * One row of the level table. A fixed row gives `level` to lines passing `test`; a format whose
 * lines carry their own level (`[WARNING]`, `"level":40`, a status code) reads it with `levelFrom`,
 * one scan instead of one row per level.
 */
export type LevelRule = FixedLevelRule | ReadLevelRule;

/** What every level rule has: a name for tests and debugging, and an optional first-character hint. */
export interface LevelRuleBase {
  name: string;
  /** Characters a matching line can start with; lets `levelOf` skip the rule cheaply. Omit to try every line. */
  first?: string;
}

export interface FixedLevelRule extends LevelRuleBase {
  test: RegExp | ((plain: string) => boolean);
  level: LogLevel;
}

export interface ReadLevelRule extends LevelRuleBase {
  /** The line's level, or undefined when the line isn't in this format. */
  levelFrom: (plain: string) => LogLevel | undefined;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** Level from an access log's status (`"GET /x HTTP/1.1" 404`): 5xx ERROR, 4xx WARN, else INFO. */
export function accessLevel(plain: string): LogLevel | undefined {
  const m = ACCESS_STATUS.exec(plain);
  return m === null ? undefined : statusLevel(m[1]);
}

function structuredOrResponseLevel(plain: string): LogLevel | undefined {
  const level = structuredLevel(plain);
  if (level !== 'INFO' || !plain.includes('"statusCode":')) return level;
  const status = RESPONSE_STATUS.exec(plain);
  return status === null ? level : statusLevel(status[1]);
}
const RESPONSE_STATUS = /"statusCode":\s*([45])\d\d\b/;

/**
 * Level of a pino/bunyan/winston JSON line from its first `"level":` (number or name), without
 * JSON.parse; of a request log without one (Echo's logger), from its status.
 */
export function jsonLevel(plain: string): LogLevel | undefined {
  const key = plain.indexOf('"level"');
  if (key === -1) {
    const status = plain.includes('"method"') ? JSON_STATUS.exec(plain) : null;
    return status === null ? undefined : statusLevel(status[1].charAt(0));
  }
  const m = JSON_LEVEL_VALUE.exec(plain.slice(key + 7, key + 40));
  if (m === null) return undefined;
  if (m[1] !== undefined) {
    // pino/bunyan: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal.
    const n = Number(m[1]);
    return n >= 50 ? 'ERROR' : n >= 40 ? 'WARN' : n >= 30 ? 'INFO' : 'DEBUG';
  }
  return LEVEL_WORDS[m[2].toLowerCase()];
}
// The name may carry slog's offset: `"level":"ERROR+2"`.
const JSON_LEVEL_VALUE = /^\s*:\s*(?:(\d+)|"([A-Za-z]+)["+-])/;

// `2024-01-01 10:00:00,123` (Python asctime), ISO 8601 with `T`/zone, or loguru's `.123`.
const TIMESTAMP = String.raw`\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?`;

/**
 * The ordered level table: the first matching rule wins. Access-log status comes first because
 * uvicorn prints `INFO:` in front of a 500. Add a format by adding rows.
 */
export const LEVEL_RULES: readonly LevelRule[] = [
  // A JSON or logfmt line's own level field wins over anything its message says (`"msg":"GET / 500"`).
  // (A request log at info, pino-http's and Fastify's `request completed`, is raised by its 404 or 500.)
  { name: 'structured-level', levelFrom: structuredOrResponseLevel },

  // Access logs (Werkzeug, Django runserver, uvicorn, gunicorn, Apache/nginx, morgan): the status decides.
  { name: 'access-status', levelFrom: accessLevel },
  ...STATUS_RULES,

  // Python tracebacks; `LevelTagger` also tags the lines that follow.
  { name: 'python-traceback', first: 'T', test: /^Traceback \(most recent call last\):/, level: 'ERROR' },
  { name: 'python-exception-chain', first: 'DT', test: PYTHON_CHAIN, level: 'ERROR' },

  // Level word first: uvicorn `INFO:     `, Python's default `WARNING:root:`, Werkzeug's
  // dev-server warning, webpack's `ERROR in`, Node's `FATAL ERROR:`.
  { name: 'leading-level', first: 'CFEWINDT', levelFrom: wordLevel(new RegExp(String.raw`^(${WORDS})\b`)) },

  // Gunicorn's `[time] [pid] [INFO]`, Flask's `[time] ERROR in app:`, plain `[ERROR] ...`.
  {
    name: 'bracketed-level',
    first: '[',
    levelFrom: wordLevel(new RegExp(String.raw`^(?:\[[^\]]*\] ){0,3}(?:\[(${WORDS})\]|(${WORDS}):? )`)),
  },

  // Python logging with the time first: `%(asctime)s - %(name)s - %(levelname)s`, `%(asctime)s
  // %(levelname)s`, `%(asctime)s [%(levelname)s]`, `%(asctime)s:%(levelname)s:`; loguru's `| ERROR |`;
  // zap's console encoder `<time>\tERROR\t`.
  {
    name: 'asctime-level',
    first: DIGITS,
    levelFrom: wordLevel(new RegExp(String.raw`^${TIMESTAMP}(?: - | \| | +|:|\t)(?:[\w.]+ - )?\[?(${WORDS})\]?(?:[\s:|]|$)`)),
  },

  // pino, bunyan, winston JSON lines.
  { name: 'json-level', first: '{', levelFrom: jsonLevel },

  // npm 6-9 (`npm ERR!`, `npm WARN`) and npm 10+ (`npm error`, `npm warn`).
  { name: 'npm-error', first: 'n', test: NPM_ERROR, level: 'ERROR' },
  { name: 'npm-warn', first: 'n', test: /^npm (?:WARN|warn)(?: |$)/, level: 'WARN' },
  { name: 'npm-debug', first: 'n', test: /^npm (?:verb|verbose|sill|silly|timing|http)(?: |$)/, level: 'DEBUG' },

  // Werkzeug's lines before the traceback of a request that failed mid-response.
  {
    name: 'werkzeug-error',
    first: 'ED',
    test: /^(?:Error on request:$|Debugging middleware caught exception in streamed response\b)/,
    level: 'ERROR',
  },
  // Django's request logger (the line before its traceback), and its 4xx warnings.
  { name: 'django-500', first: 'I', test: /^Internal Server Error: \//, level: 'ERROR' },
  {
    name: 'django-4xx',
    first: 'BFMNG',
    test: /^(?:Not Found|Bad Request|Forbidden(?: \([^)]*\))?|Method Not Allowed \(\w+\)|Gone): \//,
    level: 'WARN',
  },

  // Node: process warnings, uncaught errors and their stacks.
  { name: 'node-warning', first: '(', test: /^\(node:\d+\) (?:\[\w+\] )?\w*Warning\b/, level: 'WARN' },
  // A warning's class name first, as Node prints one without its `(node:…)` (`MaxListenersExceededWarning:
  // Possible EventEmitter memory leak detected`); Browserslist's nag, which most front-end builds print.
  { name: 'warning-name', first: UPPER, test: /^(?:[A-Z]\w*Warning: |Browserslist: caniuse-lite is outdated)/, level: 'WARN' },
  {
    name: 'exception-line',
    first: UPPER + LOWER + '[',
    // `Error: x`, `TypeError: x`, `Error [ERR_X]: x`, `pkg.mod.FooException: x`, `[UnhandledPromiseRejection: x`.
    test: /^\[?(?:[A-Za-z_$][\w$]*\.)*(?:[A-Z][\w$]*)?(?:Error|Exception|Rejection)(?: \[\w+\])?(?::|$)/,
    level: 'ERROR',
  },
  {
    name: 'node-stack-frame',
    first: ' \t',
    // Node ends the last frame with ` {` when the error has properties of its own.
    test: /^\s+at (?:.+:\d+:\d+\)?|.*\((?:<anonymous>|native|index \d+)\))(?: \{)?$/,
    level: 'ERROR',
  },
  // Printed by Node only around an uncaught exception.
  { name: 'node-crash', first: 'nN', test: /^(?:node:internal\/\S+:\d+$|Node\.js v\d+\.\d+\.\d+$)/, level: 'ERROR' },
  // Where an uncaught exception was thrown, the first line of Node's report: `/app/index.js:8`.
  { name: 'node-crash-location', first: '/f' + UPPER, test: NODE_PREAMBLE, level: 'ERROR' },

  // Python's `warnings` module: `/app/x.py:12: DeprecationWarning: msg`.
  { name: 'python-warning', test: (p) => p.includes('Warning: ') && PYTHON_WARNING.test(p), level: 'WARN' },

  // Dev tools and other servers: Vite, esbuild, Next.js, webpack, tsc, Rails, Go, Django checks, nginx.
  ...SERVER_RULES,
  // The JVM, .NET, PHP, Rust, Elixir, databases, compilers, linters, test runners.
  ...PLATFORM_RULES,
];

type Matcher = (plain: string) => LogLevel | undefined;

function toMatcher(rule: LevelRule): Matcher {
  if ('levelFrom' in rule) return rule.levelFrom;
  const { test, level } = rule;
  return typeof test === 'function' ? (plain) => (test(plain) ? level : undefined) : (plain) => (test.test(plain) ? level : undefined);
}

// Matchers grouped by a line's first character, in table order, so most lines try only a few rules.
const matchersByFirst = new Map<string, Matcher[]>();
const anyFirst = LEVEL_RULES.filter((r) => r.first === undefined).map(toMatcher);
for (const ch of new Set(LEVEL_RULES.flatMap((r) => [...(r.first ?? '')]))) {
  matchersByFirst.set(ch, LEVEL_RULES.filter((r) => r.first === undefined || r.first.includes(ch)).map(toMatcher));
}

/** The level `LEVEL_RULES` give an ANSI-free line, or undefined when no rule matches. */
export function levelOf(plain: string): LogLevel | undefined {
  const matchers = matchersByFirst.get(plain.charAt(0)) ?? anyFirst;
  for (let i = 0; i < matchers.length; i++) {
    const level = matchers[i](plain);
    if (level !== undefined) return level;
  }
  return undefined;
}

type TracebackState =
  | 'none'
  /** Inside a traceback: indented frames until the exception line. */
  | 'frames'
  /** Just after an exception line: a blank line and a chain message may follow. */
  | 'ended'
  /** After "During handling of ..." / "The above exception ...": blanks until the next traceback. */
  | 'chain'
  /** A Python 3.11 exception group: every line of it is indented. */
  | 'group'
  /** After a Go `panic:`, `fatal error:` or `goroutine N [...]:`: frames until a line that isn't one. */
  | 'goroutine'
  /** After Python's `/app/x.py:3: DeprecationWarning: …`: its indented source line is part of it. */
  | 'py-warning';

/**
 * Tags each line of one stream with a level. Stateful (one per stream) because a Python traceback's
 * frame and exception lines, and a Go panic's function lines, say nothing about their level on their own.
 */
export class LevelTagger {
  private state: TracebackState = 'none';
  private interjections = 0;

  /** Level of the next line of this stream (ANSI escapes allowed); INFO when nothing matches. */
  tag(text: string): LogLevel {
    return this.tagPlain(stripAnsi(text));
  }

  /** `tag` for text already without ANSI escapes. */
  tagPlain(plain: string): LogLevel {
    const first = plain.charCodeAt(0);
    const indented = first === 32 || first === 9;

    switch (this.state) {
      case 'frames':
        if (!indented && plain.length > 0) {
          // Another thread's line printed into the traceback keeps its own level; the frames go on.
          if (interjects(plain) && this.interjections++ < MAX_INTERJECTIONS) return levelOf(plain) ?? 'INFO';
          this.state = 'ended'; // the exception line
        }
        return 'ERROR';
      case 'group':
        if (indented) return 'ERROR';
        break;
      case 'goroutine':
        if (plain.length === 0 || isGoTraceLine(plain)) return 'ERROR';
        break;
      case 'py-warning':
        this.state = 'none';
        if (indented) return 'WARN';
        break;
      case 'ended':
      case 'chain':
        if (plain.length === 0) return 'ERROR';
        if (PYTHON_CHAIN.test(plain)) {
          this.state = 'chain';
          return 'ERROR';
        }
        break;
    }
    this.state = 'none';

    if (first === 84 /* T */ && plain.startsWith('Traceback (most recent call last):')) {
      this.state = 'frames';
      this.interjections = 0;
      return 'ERROR';
    }
    if (indented && EXCEPTION_GROUP.test(plain)) {
      this.state = 'group';
      return 'ERROR';
    }
    // Python's report of a SyntaxError in the script it was asked to run: no `Traceback` line.
    if (indented && SYNTAX_ERROR_FILE.test(plain)) {
      this.state = 'frames';
      this.interjections = 0;
      return 'ERROR';
    }
    const level = levelOf(plain) ?? 'INFO';
    if (level === 'ERROR' && startsGoTrace(plain)) this.state = 'goroutine';
    else if (level === 'WARN' && plain.includes('Warning: ') && PYTHON_WARNING.test(plain)) this.state = 'py-warning';
    return level;
  }
}
