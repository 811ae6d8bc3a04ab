/**
 * Level rows for the servers and dev tools people run (issue 9): morgan, Next.js, Vite/esbuild,
 * webpack, tsc, Rails, Go (panics, `log`, slog, logrus), Django's checks and migrations, nginx and
 * Apache. `levels.ts` splices them into `LEVEL_RULES`. Like every row there, they read a format's
 * level slot (a status after a request line, `[error]`, `level=warn`, `error TS2322`), never the
 * word "error" anywhere in a line.
 */
import type { LogLevel } from '../shared/protocol';
import { LEVEL_WORDS } from '../shared/structuredLine';
import type { LevelRule } from './levels';

export const DIGITS = '0123456789';

// Level names as loggers spell them, lower-cased: one table with the structured-line parser's.
export { LEVEL_WORDS };
export const WORDS = 'CRITICAL|FATAL|DPANIC|SEVERE|ERROR|WARNING|WARN|INFO|NOTICE|DEBUG|TRACE';

/** An extractor whose first capture group that matched is a level word. */
export function wordLevel(re: RegExp): (plain: string) => LogLevel | undefined {
  return (plain) => {
    const m = re.exec(plain);
    return m === null ? undefined : LEVEL_WORDS[(m[1] ?? m[2]).toLowerCase()];
  };
}

/** An HTTP status's level from its first digit: 5xx ERROR, 4xx WARN, anything else INFO. */
export function statusLevel(firstDigit: string): LogLevel {
  return firstDigit === '5' ? 'ERROR' : firstDigit === '4' ? 'WARN' : 'INFO';
}

/** An extractor reading a status's first digit from capture group 1. */
export function statusFrom(re: RegExp): (plain: string) => LogLevel | undefined {
  return (plain) => {
    const m = re.exec(plain);
    return m === null ? undefined : statusLevel(m[1]);
  };
}

/** A build summary's level from its counts: any error ERROR, else any warning WARN, else INFO. */
function countLevel(errors: string | undefined, warnings: string | undefined): LogLevel {
  return Number(errors ?? 0) > 0 ? 'ERROR' : Number(warnings ?? 0) > 0 ? 'WARN' : 'INFO';
}

/** The first capture group picks the level from `map`. */
export function mapLevel(re: RegExp, map: Record<string, LogLevel>): (plain: string) => LogLevel | undefined {
  return (plain) => {
    const m = re.exec(plain);
    return m === null ? undefined : map[m[1]];
  };
}

// `8:32:24 PM ` (Vite, tsc --watch; toLocaleTimeString may put U+202F before PM) or `20:32:24 `.
const CLOCK = String.raw`\d\d?:\d\d:\d\d(?:\s?[AP]M)?`;
const METHODS = 'GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|CONNECT|TRACE';
// Vite's logger prefix: `8:32:24 PM [vite] (client) `.
const VITE = String.raw`^(?:${CLOCK} )?\[vite\] (?:\([\w-]+\) )?`;
/** Vite's logger prefix, for a title without it (fingerprint.ts). */
export const VITE_PREFIX = new RegExp(VITE);
/** Vite's errors with more lines under them (its message, code frame, plugin, file, stack: entries.ts). */
export const VITE_BLOCK_ERROR = new RegExp(VITE + '(?:Internal server error|Pre-transform error|Error when evaluating SSR module)');
/** npm 6-9 `npm ERR!` and npm 10+ `npm error` lines (levels.ts tags them; entries.ts keeps a run of them together). */
export const NPM_ERROR = /^npm (?:ERR!|error)(?: |$)/;
/** Python's `warnings` module: `/app/x.py:12: DeprecationWarning: msg` (its source line follows, indented). */
export const PYTHON_WARNING = /^\S+:\d+: [A-Z]\w*Warning: /;
/** Angular's build summary; the errors are the diagnostics above it. */
export const ANGULAR_BUILD_FAILED = /^Application bundle generation failed\./;
/** nodemon saying its app died while it lives on (levels.ts tags it). */
export const NODEMON_CRASHED = /^\[nodemon\] app crashed\b/;
/**
 * A reloader saying its app died while it lives on, to restart it after a fix (preview.ts waits for
 * that): nodemon; `node --watch` (`Failed running './bin/www'`); Django's runserver (its server
 * thread's exception); uvicorn `--reload` (its worker's traceback). (Not Node's own `Node.js v20…`
 * after an uncaught exception, which tsx watch leaves as its only word: without a watcher the
 * process then exits, and a port collision must still be told from a crash.)
 */
/** A watcher's own line that its app crashed: the crash is the error, this line only reports it. */
export const WATCHER_SAYS_CRASHED = /^(?:\[nodemon\] app crashed\b|Failed running ')/;
export const RELOADER_CRASHED = new RegExp(
  String.raw`${WATCHER_SAYS_CRASHED.source}|^(?:Exception in thread django-main-thread:|Process SpawnProcess-\d+:)$`,
);
// A line that is only where something went wrong: Turbopack's `./app/page.js:1:1`, the head of its error block.
export const LOCATION_LINE = /^\.{1,2}\/\S+:\d+:\d+$/;

/**
 * Rows where a visible HTTP status decides; `levels.ts` puts them right after `access-status`
 * (which reads `HTTP/1.1" 404`, morgan's short `HTTP/1.1 404` and chi's `HTTP/1.1" from … - 404`).
 */
export const STATUS_RULES: readonly LevelRule[] = [
  // morgan dev `GET /x 404 3.112 ms - 150` and tiny `GET /x 500 21 - 3.456 ms`; Next.js ` GET / 500 in 12ms`.
  // The path must look like one, and the status is the token right after it (`GET /500 200` is a 200).
  {
    name: 'request-line-status',
    first: ' ' + 'CDGHOPT',
    levelFrom: statusFrom(new RegExp(String.raw`^ ?(?:${METHODS}) (?:\/|\*|https?:\/\/)\S* ([1-5])\d\d(?= |$)`)),
  },
  // React Router's `Error: No route matches URL "/x"` is the app's 404 (before the exception rows).
  { name: 'react-router-404', first: 'E', test: /^Error: No route matches URL "/, level: 'WARN' },
  // Rails: `Completed 500 Internal Server Error in 12ms`, also behind a Ruby Logger prefix or tags.
  {
    name: 'rails-completed',
    levelFrom: (p) => (p.includes('Completed ') ? RAILS_COMPLETED(p) : undefined),
  },
  // Hypercorn (under `[INFO]`): `[…] [12345] [INFO] 127.0.0.1:54321 GET /boom 1.1 500 265 3120`.
  { name: 'hypercorn-access', first: '[', levelFrom: statusFrom(/^\[[^\]]*\] \[\d+\] \[INFO\] \S+:\d+ [A-Z]+ \S+ \d\.\d ([1-5])\d\d /) },
  // Gin: `[GIN] 2026/12/01 - 10:00:00 | 404 |       1.2µs |       127.0.0.1 | GET      "/x"`.
  { name: 'gin-status', first: '[', levelFrom: statusFrom(/^\[GIN\] [^|]*\| *([1-5])\d\d \|/) },
  // koa-logger `  --> GET /x 404 1ms 9b`, `  xxx GET /boom 500 1ms -`; Hono's logger `--> GET /x 404 0ms`.
  {
    name: 'arrow-request-status',
    first: ' -x',
    levelFrom: statusFrom(new RegExp(String.raw`^ *(?:-->|xxx) (?:${METHODS}) \S+ ([1-5])\d\d \d`)),
  },
  // Fiber: `12:00:00 | 404 |      1ms |       127.0.0.1 | GET     | /nope   | -`.
  {
    name: 'fiber-status',
    first: DIGITS,
    levelFrom: statusFrom(new RegExp(String.raw`^${CLOCK} \| +([1-5])\d\d \| [^|]+\| [^|]+\| +(?:${METHODS}) +\| `)),
  },
  // SvelteKit `[500] GET /boom`, Astro `15:29:17 [404] /nope 1ms`.
  {
    name: 'bracketed-status',
    first: DIGITS + '[',
    levelFrom: statusFrom(new RegExp(String.raw`^(?:${CLOCK} )?\[([1-5])\d\d\] (?:[A-Z]+ )?\/`)),
  },
  // esbuild's server `127.0.0.1:49660 - "GET /x.css" 404 [0ms]`; http-server's `"GET /x.js" Error (404):`;
  // Python's http.server `… code 404, message File not found`.
  {
    name: 'quoted-request-status',
    first: DIGITS + '[',
    levelFrom: (p) => {
      const m = QUOTED_REQUEST_STATUS.exec(p);
      const digit = m === null ? undefined : (m[1] ?? m[2] ?? m[3]);
      return digit === undefined ? undefined : statusLevel(digit);
    },
  },
];
const QUOTED_REQUEST_STATUS = /(?:"[A-Z]+ \S+" (?:([1-5])\d\d \[\d+m?s\]$|Error \(([45])\d\d\): )|\] code ([45])\d\d, message )/;
const RAILS_COMPLETED = statusFrom(/(?:^|[\]:] )Completed ([1-5])\d\d [A-Z][\w '-]* in \d/);

/** Rows for dev tools and servers; `levels.ts` appends them to its own. */
export const SERVER_RULES: readonly LevelRule[] = [
  // Vite's logger.error messages: `8:32:24 PM [vite] (client) Pre-transform error: …`, `[vite] Internal
  // server error: …`, `[vite] ws error:`, `[vite] error while updating dependencies:`, `[vite] (ssr) Error
  // when evaluating SSR module …`; its warnings `[vite] warning: …`, `(!) …`.
  {
    name: 'vite-error',
    first: DIGITS + '[',
    test: new RegExp(
      VITE +
        String.raw`(?:Internal server error|Pre-transform error|` +
        String.raw`(?:ws |ws proxy |http proxy |WebSocket server |file watcher )?error(?::| while)|server restart failed|` +
        String.raw`✘ Build error|Build failed with \d+ errors?:|Error when evaluating SSR module)`,
    ),
    level: 'ERROR',
  },
  // vite-plugin-svelte's compiler warnings: `3:24:58 PM [vite-plugin-svelte] src/App.svelte:4:0 …`.
  {
    name: 'svelte-warning',
    first: DIGITS + '[',
    test: new RegExp(String.raw`^(?:${CLOCK} )?\[vite-plugin-svelte\] \S+\.svelte:\d+:\d+ `),
    level: 'WARN',
  },
  {
    name: 'vite-warning',
    first: DIGITS + '[',
    test: new RegExp(VITE + String.raw`(?:warning:|\(!\))`),
    level: 'WARN',
  },
  // Vue's SFC compiler's warnings: `[@vue/compiler-sfc] ::v-deep usage as a combinator has been deprecated.`
  { name: 'vue-compiler-warning', first: '[', test: /^\[@vue\/compiler-sfc\] /, level: 'WARN' },
  // React Router's `  ⚠️  Future Flag Warning: …`.
  { name: 'emoji-warning', first: ' ⚠', test: /^ *⚠\uFE0F? +\S/, level: 'WARN' },
  // Angular's build: `Application bundle generation failed. [0.357 seconds]`.
  { name: 'angular-build-failed', first: 'A', test: ANGULAR_BUILD_FAILED, level: 'ERROR' },
  // Rollup / Vite build warnings: `(!) Some chunks are larger than 500 kB after minification.`;
  // Rollup's errors: `[!] RollupError: Could not resolve entry module "src/main.js".`
  { name: 'rollup-warning', first: '(', test: /^\(!\) /, level: 'WARN' },
  { name: 'rollup-error', first: '[', test: /^\[!\] /, level: 'ERROR' },
  // Vite build: `✗ Build failed in 64ms`, `error during build:`; rolldown `Build failed with 1 error:`.
  {
    name: 'build-failed',
    first: '✗eB>f\ud83d', // \ud83d: 🚨's first UTF-16 unit, which is what a line's first character is
    // Parcel's `🚨 Build failed.`, Next.js's `> Build error occurred`, Vite's `failed to load config from …`.
    test: /^(?:✗ Build failed in |error during build:|Build failed with \d+ errors?\b|🚨 Build failed\.|> Build error occurred$|failed to load config from )/,
    level: 'ERROR',
  },
  // esbuild: `✘ [ERROR] Could not resolve "x"`, `▲ [WARNING] …` (`X [ERROR]` without Unicode).
  { name: 'esbuild-message', first: '✘X▲', levelFrom: mapLevel(/^[✘X▲] \[(ERROR|WARNING)\] /, { ERROR: 'ERROR', WARNING: 'WARN' }) },
  // esbuild's summary: `1 error`, `2 warnings`, `2 warnings and 1 error`.
  {
    name: 'esbuild-summary',
    first: DIGITS,
    levelFrom: (p) => {
      const m = ESBUILD_SUMMARY.exec(p);
      return m === null ? undefined : countLevel(m[2] ?? m[3], m[1]);
    },
  },

  // Next.js 13.4+: `✓ Ready in 1.2s`, `⚠ …`, `⨯ …` (a leading space before 16); 13.0-13.3
  // `- error …`/`- warn …`; 12 and older `error - …`/`warn  - …`.
  { name: 'nextjs-symbol', first: ' ⚠⨯', levelFrom: mapLevel(/^ ?([⚠⨯]) /, { '⚠': 'WARN', '⨯': 'ERROR' }) },
  { name: 'nextjs-prefix', first: '-ew', levelFrom: wordLevel(/^(?:- (error|warn) |(error|warn) +- )/) },

  // webpack: `webpack 5.90.0 compiled with 1 error in 20 ms`, `… compiled with 2 warnings …`,
  // `compiled successfully`; create-react-app `Compiled with warnings.`, `Failed to compile.`.
  {
    name: 'bundler-compiled',
    first: 'wCc',
    levelFrom: (p) => {
      const m = COMPILED.exec(p);
      if (m === null) return undefined;
      if (m[1] === 'successfully') return 'INFO';
      if (m[2] === undefined && m[3] === undefined) return m[4] === undefined ? undefined : 'WARN';
      return countLevel(m[2], m[3]);
    },
  },
  { name: 'failed-to-compile', first: 'F', test: /^Failed to compile\b/, level: 'ERROR' },
  // webpack, CRA, Next.js: the line under `ERROR in ./src/x.js`.
  { name: 'module-not-found', first: 'M', test: /^Module not found: /, level: 'ERROR' },
  // webpack's infrastructure logger (webpack-dev-server): `<e> [webpack-dev-server] …`, `<w>`, `<i>`.
  { name: 'webpack-infra', first: '<', levelFrom: mapLevel(/^<([ewi])> /, { e: 'ERROR', w: 'WARN', i: 'INFO' }) },

  // tsc: `src/a.ts(3,7): error TS2322: …` (--pretty false), `src/a.ts:3:7 - error TS2322: …`,
  // `error TS5023: …`; `[8:31:11 PM] Found 2 errors. Watching for file changes.`, `Found 0 errors.`
  {
    name: 'tsc-diagnostic',
    levelFrom: (p) => {
      if (!p.includes(' TS')) return undefined;
      const m = TSC_DIAGNOSTIC.exec(p);
      return m === null ? undefined : m[1] === 'error' ? 'ERROR' : 'WARN';
    },
  },
  {
    name: 'tsc-found',
    first: DIGITS + '[F',
    levelFrom: (p) => {
      const m = TSC_FOUND.exec(p);
      return m === null ? undefined : countLevel(m[1], undefined);
    },
  },

  // Ruby's Logger (Rails): `E, [2026-12-01T10:00:00.123456 #42] ERROR -- : boom`.
  {
    name: 'ruby-logger',
    first: 'DIWEFA',
    levelFrom: mapLevel(/^([DIWEFA]), \[[^\]]*\] +(?:DEBUG|INFO|WARN|ERROR|FATAL|ANY) -- /, {
      D: 'DEBUG',
      I: 'INFO',
      W: 'WARN',
      E: 'ERROR',
      F: 'ERROR',
      A: 'INFO',
    }),
  },
  // Rails: a missing route is the app's 404 (`ActionController::RoutingError (No route matches [GET]
  // "/x"):`); `DEPRECATION WARNING: x is deprecated (called from …)`.
  { name: 'rails-no-route', first: 'A', test: /^ActionController::RoutingError \(No route matches /, level: 'WARN' },
  { name: 'rails-deprecation', first: 'D', test: /^DEPRECATION WARNING: /, level: 'WARN' },
  // Rails' exception header: `ActionView::Template::Error (undefined local variable …):`.
  {
    name: 'rails-exception',
    first: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    test: /^(?:(?:[A-Z]\w*::)+[A-Z]\w*|(?:[A-Z]\w*)?(?:Error|Exception)) \(.*\):$/,
    level: 'ERROR',
  },

  // Go runtime: `panic: …`, `fatal error: …`, `goroutine 1 [running]:`, a frame's `\t/app/x.go:12 +0x1d`;
  // `go run`'s `exit status 2`. `LevelTagger` also tags the frames' function lines.
  { name: 'go-panic', first: 'pf', test: /^(?:panic: |fatal error: )/, level: 'ERROR' },
  { name: 'go-goroutine', first: 'g', test: (p) => GOROUTINE.test(p), level: 'ERROR' },
  { name: 'go-frame-file', first: '\t', test: /^\t\S+\.go:\d+(?: \+0x[0-9a-f]+)?$/, level: 'ERROR' },
  { name: 'go-exit-status', first: 'e', test: /^exit status [1-9]\d*$/, level: 'ERROR' },
  // `2026/12/01 10:00:00 msg`: Go's `log` (INFO unless a level follows: slog's default handler
  // `2026/12/01 10:00:00 ERROR msg`, `[ERROR]`, a message of `log.Printf("warning: …")`), net/http's `http: panic serving`, nginx's error log
  // `2026/12/01 10:00:00 [error] 12#12: …`.
  {
    name: 'slash-date-level',
    first: DIGITS,
    levelFrom: (p) => {
      const m = SLASH_DATE_LEVEL.exec(p);
      if (m === null) return undefined;
      return m[4] !== undefined ? 'ERROR' : LEVEL_WORDS[(m[1] ?? m[2] ?? m[3]).toLowerCase()];
    },
  },
  // logfmt (logrus text, slog TextHandler, go-kit): `time=… level=error msg=…`, `level=WARN+2`.
  {
    name: 'logfmt-level',
    levelFrom: (p) => {
      if (!p.includes('level=')) return undefined;
      const m = LOGFMT_LEVEL.exec(p);
      return m === null ? undefined : LEVEL_WORDS[m[1].toLowerCase()];
    },
  },
  // logrus on a terminal: `ERRO[0000] db down`, `WARN[0001]`, `FATA[0002]`, `PANI`, `DEBU`, `TRAC`.
  {
    name: 'logrus-tty',
    first: 'PFEWIDT',
    levelFrom: mapLevel(/^(PANI|FATA|ERRO|WARN|INFO|DEBU|TRAC)\[\d+\]/, {
      PANI: 'ERROR',
      FATA: 'ERROR',
      ERRO: 'ERROR',
      WARN: 'WARN',
      INFO: 'INFO',
      DEBU: 'DEBUG',
      TRAC: 'DEBUG',
    }),
  },

  // Django: unapplied migrations, system checks (`WARNINGS:`, `app.Model: (models.W042) …`).
  {
    name: 'django-migrations',
    first: 'YR',
    test: /^(?:You have \d+ unapplied migration\(s\)\. |Run 'python manage\.py migrate' to apply them\.$)/,
    level: 'WARN',
  },
  { name: 'django-check-summary', first: 'S', test: /^System check identified (?:some issues:$|\d+ issues? \()/, level: 'WARN' },
  { name: 'django-check-header', first: 'EW', levelFrom: mapLevel(/^(ERRORS|WARNINGS):$/, { ERRORS: 'ERROR', WARNINGS: 'WARN' }) },
  {
    name: 'django-check-message',
    levelFrom: (p) => {
      if (!p.includes(': (')) return undefined;
      const m = DJANGO_CHECK.exec(p);
      return m === null ? undefined : DJANGO_CHECK_LEVELS[m[1]];
    },
  },
  // Python: `Exception in thread django-main-thread:`, multiprocessing's `Process SpawnProcess-2:`,
  // `Exception ignored in: <function Leaky.__del__ …>` (each with its traceback under it); Django's
  // security logger's `Invalid HTTP_HOST header: 'evil.example'. …` (logged at ERROR).
  {
    name: 'python-announces-traceback',
    first: 'EPI',
    test: /^(?:Exception in thread .+:|Process [\w-]+:|Exception ignored in: .+|Invalid HTTP_HOST header: .+)$/,
    level: 'ERROR',
  },

  // nginx on stderr: `nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)`.
  { name: 'nginx-stderr', first: 'n', levelFrom: wordLevel(/^nginx: \[(\w+)\] /) },
  // Apache 2.4 error log: `[Tue Dec 01 10:00:00.123456 2026] [proxy:error] [pid 12] …`, `[core:trace3]`.
  { name: 'apache-error-log', first: '[', levelFrom: wordLevel(/^\[[^\]]*\] \[[\w-]*:([a-z]+)\d?\] /) },

  { name: 'nodemon-crash', first: '[', test: NODEMON_CRASHED, level: 'ERROR' },

  // Rust: `thread 'main' panicked at src/main.rs:4:5:` (1.88+: `thread 'main' (27543) panicked at …`).
  { name: 'rust-panic', first: 't', test: /^thread '[^']*'(?: \(\d+\))? panicked at /, level: 'ERROR' },
];

const ESBUILD_SUMMARY = /^(?:(\d+) warnings?(?: and (\d+) errors?)?|(\d+) errors?)$/;
/** webpack's `webpack 5.90.0 compiled with 1 error in 20 ms`, CRA's `Compiled with warnings.` */
export const COMPILED =
  /^(?:webpack (?:\d[\w.-]* )?)?[Cc]ompiled (?:(successfully)|with (?:(\d+) errors?)?(?: and )?(?:(\d+) warnings?|(warnings))?)/;
const TSC_DIAGNOSTIC = /(?:^|\(\d+,\d+\): |:\d+:\d+ - )(error|warning) TS\d+: /;
/** tsc's summary: `[8:31:11 PM] Found 2 errors. Watching for file changes.` */
export const TSC_FOUND = new RegExp(String.raw`^(?:\[?${CLOCK}\]? (?:- )?)?Found (\d+) errors?\b`);
const SLASH_DATE_LEVEL = new RegExp(
  String.raw`^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d+)? (?:\S+\.go:\d+: )?(?:\[([a-zA-Z]+)\] |(${WORDS})\b|(error|warning|warn|fatal|debug):|(http: panic serving) )`,
);
const LOGFMT_LEVEL = /(?:^|\s)level="?([A-Za-z]+)(?=[\s"+]|-\d|$)/;
const DJANGO_CHECK = /^.+?: \(\w+\.([ECWID])\d{3}\) /;
const DJANGO_CHECK_LEVELS: Record<string, LogLevel> = { C: 'ERROR', E: 'ERROR', W: 'WARN', I: 'INFO', D: 'DEBUG' };

/** A goroutine's header in a Go panic or stack dump: `goroutine 1 [running]:`. */
export const GOROUTINE = /^goroutine \d+ \[[^\]]*\]:$/;

/** Lines that start a Go traceback, after which `LevelTagger` tags the frames too. */
export function startsGoTrace(plain: string): boolean {
  return plain.startsWith('panic: ') || plain.startsWith('fatal error: ') || GOROUTINE.test(plain);
}

/**
 * A line of a Go traceback: a tab-indented file line, `[signal SIGSEGV …]`, a frame's function
 * (`main.main()`, `net/http.(*conn).serve(0xc0001b2000, {…})`: a call with no space before its
 * first `(`), `created by …`, or the elision marker. No regex, so no backtracking on long lines.
 */
export function isGoTraceLine(plain: string): boolean {
  const first = plain.charCodeAt(0);
  if (first === 9 /* \t */) return true;
  if (plain.startsWith('created by ') || plain.startsWith('[signal ') || plain === '...additional frames elided...') return true;
  if (!plain.endsWith(')') || first === 32) return false;
  const paren = plain.indexOf('(');
  const space = plain.indexOf(' ');
  return paren > 0 && (space === -1 || space > paren);
}
