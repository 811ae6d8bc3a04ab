/**
 * Level rows for what runs beside or instead of a JS/Python dev server: the JVM (Spring's padded
 * levels, logback, Tomcat and java.util.logging), .NET, PHP, Rust, Elixir, Nest, Celery, databases
 * (PostgreSQL, MySQL, Redis, MongoDB), compilers, linters and test runners. `levels.ts` splices
 * them in after its own rows. Like every row, each reads a format's level slot, never the word
 * "error" anywhere in a line.
 */
import type { LogLevel } from '../shared/protocol';
import { DIGITS, LEVEL_WORDS, LOCATION_LINE, mapLevel, statusFrom, wordLevel } from './levelRules';
import type { LevelRule } from './levels';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';

// `2026-12-02 12:00:00.123` with an optional zone name or offset (PostgreSQL, MySQL).
const DATE_TIME = String.raw`\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d| [A-Z]{2,5})?`;

const RUNNER_FAILED =
  /^(?:\[ELIFECYCLE\] Command failed with exit code [1-9]|Failed(?:$|: +\S| with errors in | running ')|Process exited \(exit code [1-9]|The command failed in workspace .* with exit code [1-9]|error Command failed with exit code [1-9]| (?:NX|Lerna \(powered by Nx\)) +Running target .* failed$)/;

const TESTS_FAILED =
  /^(?:=+ (?:FAILURES|ERRORS) =+$|(?:FAILED|ERROR) \S+::\S|_+ ERROR at (?:setup|teardown) of \S+ _+$|\s*not ok \d+ - |\s*✖ .+ \([\d.]+m?s\)$|[ℹ#] fail [1-9]|test \S+ \.\.\. FAILED$|test result: FAILED\.|failures:$|---- \S+ stdout ----$)/;
// pytest's last line: `==== 2 failed, 3 passed, 1 warning in 0.05s ====` (`-q`: no rules).
const PYTEST_SUMMARY = /^=* ?\d+ (?:passed|failed|errors?|skipped|xfailed|xpassed|warnings?|deselected)\b.* in [\d.]+s\b/;
function pytestSummary(p: string): LogLevel | undefined {
  if (!PYTEST_SUMMARY.test(p)) return undefined;
  return /\b[1-9]\d* (?:failed|errors?)\b/.test(p) ? 'ERROR' : /\b[1-9]\d* warnings?\b/.test(p) ? 'WARN' : 'INFO';
}
const STRUCTLOG = new RegExp(String.raw`^${DATE_TIME} \[(critical|error|warning|info|debug) *\] `);
// What a header holds before its level word; a plain word only as a padded column or a `name - `.
const HEAD_TOKEN = String.raw`(?:\d[\d/:.,TZ+-]*|[AP]M|\[[^\]]*\]|\(\d+\)|[\w$-]+(?:[.:/][\w$-]+)+|[\w.-]+(?= {2}| - ))`;
const HEADER_LEVEL = new RegExp(
  String.raw`^ *(?:${HEAD_TOKEN}(?: +| *- +| *\| *)){0,6}\[?(CRITICAL|FATAL|ERROR|WARNING|WARN|INFO|NOTICE|DEBUG|TRACE|CRITI|WARNI)\]?(?=[\s:|\]-]|$)`,
);
const TRUNCATED: Record<string, string> = { CRITI: 'critical', WARNI: 'warning' };
function headerLevel(p: string): LogLevel | undefined {
  const m = HEADER_LEVEL.exec(p);
  return m === null ? undefined : LEVEL_WORDS[TRUNCATED[m[1]] ?? m[1].toLowerCase()];
}

export const PLATFORM_RULES: readonly LevelRule[] = [
  // A lower-case level and a colon first: winston's simple format (`error: db down`), .NET's console
  // logger (`fail: Microsoft.AspNetCore…[1]`, `crit:`, `dbug:`, `trce:`), rustc (`error[E0425]: …`,
  // `warning: unused variable`), Deno (`error: Uncaught Error: boom`).
  {
    name: 'lower-level-colon',
    first: LOWER,
    levelFrom: (p) => (hasColonAfterWord(p) ? LOWER_LEVEL(p) : undefined),
  },
  // consola's fancy badges (` ERROR  boom`, ` WARN  low disk`), Laravel's (`   ERROR  Command …`),
  // and consola's icons for debug and trace.
  {
    name: 'consola-badge',
    first: ' ',
    levelFrom: mapLevel(/^ {1,3}(ERROR|FATAL|FAIL|WARN) {2}\S/, { ERROR: 'ERROR', FATAL: 'ERROR', FAIL: 'ERROR', WARN: 'WARN' }),
  },
  { name: 'consola-debug', first: '⚙→', test: /^[⚙→] /, level: 'DEBUG' },
  // Node's console.trace(): a stack printed on purpose, not an error.
  { name: 'console-trace', first: 'T', test: /^Trace: /, level: 'DEBUG' },

  // logback's time-only pattern: `12:00:00.125 [main] ERROR com.example.App -- boom`.
  { name: 'logback-time', first: '0123456789', levelFrom: wordLevel(/^\d\d:\d\d:\d\d\.\d{3} \[[^\]]*\] +(ERROR|WARN|INFO|DEBUG|TRACE)\b/) },
  // Tomcat's OneLineFormatter `02-Dec-2026 12:00:00.456 SEVERE [main] …`; java.util.logging's second line `SEVERE: …`.
  {
    name: 'jul-level',
    first: '0123456789SWICF',
    // (The bare `CONFIG:` / `FINE:` forms are left alone: an app's own `CONFIG: loaded .env` is no debug line.)
    levelFrom: (p) => {
      const m = JUL_LEVEL.exec(p);
      return m === null ? undefined : JUL_LEVELS[m[1] ?? m[2]];
    },
  },
  // Spring Boot's failure analysis banner.
  { name: 'spring-failed-to-start', first: 'A', test: /^APPLICATION FAILED TO START$/, level: 'ERROR' },

  // Rust's env_logger: `[2026-12-02T12:00:00Z ERROR my_app] boom`.
  { name: 'env-logger', first: '[', levelFrom: wordLevel(/^\[\S+ +(ERROR|WARN|INFO|DEBUG|TRACE) +[^\]]*\] /) },
  // Celery: `[2026-12-02 12:00:00,000: ERROR/MainProcess] …`.
  { name: 'celery', first: '[', levelFrom: wordLevel(/^\[[^\]]*: (CRITICAL|ERROR|WARNING|INFO|DEBUG)\/[\w-]+\] /) },
  // Monolog (Laravel, Symfony): `[2026-12-02 12:00:00] local.ERROR: boom`.
  { name: 'monolog', first: '[', levelFrom: wordLevel(/^\[[^\]]*\] [\w-]+\.(EMERGENCY|ALERT|CRITICAL|ERROR|WARNING|NOTICE|INFO|DEBUG): /) },
  // Nest: `[Nest] 12345  - 12/02/2026, 12:00:03 PM   ERROR [ExceptionsHandler] boom`.
  {
    name: 'nest',
    first: '[',
    levelFrom: mapLevel(/^\[Nest\] \d+ +- .*? +(LOG|ERROR|WARN|DEBUG|VERBOSE|FATAL) \[/, {
      LOG: 'INFO',
      ERROR: 'ERROR',
      FATAL: 'ERROR',
      WARN: 'WARN',
      DEBUG: 'DEBUG',
      VERBOSE: 'DEBUG',
    }),
  },
  // Phoenix's request log: `[info] Sent 500 in 12ms`: the status decides.
  { name: 'phoenix-sent', first: '[0123456789', levelFrom: statusFrom(/^(?:\d\d:\d\d:\d\d\.\d{3} )?\[info\] Sent ([1-5])\d\d in /) },
  // Lower-case bracketed levels: Elixir's Logger and Phoenix (`[error] …`, `12:00:00.123 [info] GET /`),
  // consola's basic reporter (`[warn] …`), Apache 2.2 (`[Wed Dec 02 12:00:00 2026] [error] [client …]`).
  {
    name: 'lower-bracketed-level',
    first: '[0123456789',
    levelFrom: wordLevel(
      /^(?:\d\d:\d\d:\d\d\.\d{3} |\[[^\]]*\] )?\[(emergency|emerg|alert|critical|crit|error|warning|warn|notice|info|debug)\] /,
    ),
  },

  // PHP: `PHP Fatal error:  Uncaught Exception: boom`, `PHP Warning:  …`, `Fatal error: …` on stdout,
  // also behind php -S's `[Wed Dec  2 12:00:00 2026] `; React's dev `Warning: …`.
  {
    name: 'php-error',
    first: '[PFW',
    levelFrom: mapLevel(/^(?:\[[^\]]*\] )?(?:PHP )?(Fatal error|Parse error|Warning|Deprecated|Notice):  ?\S/, {
      'Fatal error': 'ERROR',
      'Parse error': 'ERROR',
      Warning: 'WARN',
      Deprecated: 'WARN',
      Notice: 'WARN',
    }),
  },
  // php -S: `[Wed Dec  2 12:00:00 2026] 127.0.0.1:54322 [404]: GET /x - No such file or directory`.
  {
    name: 'php-server-status',
    first: '[',
    levelFrom: statusFrom(/^\[[^\]]*\] \S+:\d+ \[([1-5])\d\d\]: /),
  },
  // Sidekiq 7: `2026-12-02T12:00:00.456Z pid=12345 tid=2xyz class=HardJob jid=… WARN: …`.
  { name: 'sidekiq', first: '0123456789', levelFrom: wordLevel(/^\S+ pid=\d+ tid=\S+ (?:\S+=\S+ )*(FATAL|ERROR|WARN|INFO|DEBUG): /) },
  // Access lines whose request has no `HTTP/`: php-fpm's `172.18.0.3 -  02/Dec/2026:12:00:08 +0000
  // "GET /index.php" 500`, Apache's `::1 - - [02/Dec/2026:12:00:00 +0000] "-" 408 -`.
  {
    name: 'clf-status',
    first: '0123456789:',
    levelFrom: statusFrom(/^\S+ \S+ +(?:\S+ )?\[?\d\d\/[A-Z][a-z]{2}\/\d{4}:[^"]*"[^"]*" ([1-5])\d\d\b/),
  },
  // Formats known by how a line ends, in one row (every line reaches it): Ruby's uncaught exception
  // `/app/app.rb:3:in '/': divided by 0 (ZeroDivisionError)`; MSBuild's `Program.cs(9,13): error
  // CS0103: … [/app/app.csproj]`; a runner's `… exited with code 1`.
  { name: 'by-line-end', levelFrom: byLineEnd },

  // Compilers: `./main.go:10:2: undefined: foo`; MSBuild `Program.cs(9,13): error CS0103: …`,
  // `Build FAILED.`; Next.js `Type error: …`.
  { name: 'go-build', first: './', test: /^\.{0,2}\/?[\w./-]+\.go:\d+:\d+: /, level: 'ERROR' },
  { name: 'build-failed-word', first: 'BT', test: /^(?:Build FAILED\.|Type error: )/, level: 'ERROR' },
  // ESLint's stylish formatter: `  1:10  error  'x' is not defined  no-undef`, `✖ 2 problems (1 error, 1 warning)`.
  { name: 'eslint-message', first: ' ', levelFrom: mapLevel(/^ +\d+:\d+ +(error|warning) {2}/, { error: 'ERROR', warning: 'WARN' }) },
  {
    name: 'eslint-summary',
    first: '✖',
    levelFrom: (p) => {
      const m = /^✖ \d+ problems? \((\d+) errors?, (\d+) warnings?\)/.exec(p);
      return m === null ? undefined : Number(m[1]) > 0 ? 'ERROR' : Number(m[2]) > 0 ? 'WARN' : 'INFO';
    },
  },
  // Jest and Vitest: ` FAIL  src/a.test.ts`, `Tests:       1 failed, 2 passed`, ` Test Files  1 failed | 2 passed (3)`.
  // Vitest's ` ❯ src/a.test.ts (2 tests | 1 failed) 6ms` and `   × adds 1 + 2`; Jest's failure
  // heading `  ● sum › adds 1 + 2` (not `  ● Console`, which heads console.log output).
  {
    name: 'test-failed',
    first: ' FT⎯',
    test: /^(?: ?FAIL {1,2}\S| *(?:Tests:|Test Suites:|Test Files|Tests) +[1-9]\d* failed\b|⎯+ Failed Tests? \d+ ⎯| ❯ \S+ \(\d+ tests? \| [1-9]\d* failed\)| +× \S| {2}● (?:.+ › |Test suite failed to run$))/,
    level: 'ERROR',
  },

  // pytest (`=== FAILURES ===`, `FAILED test_api.py::test_x - …`, `ERROR at setup of …`), node --test
  // (`not ok 2 - totals`, `✖ totals (2.3ms)`, `ℹ fail 3`), cargo test (`test x ... FAILED`, `failures:`,
  // `---- x stdout ----`, `test result: FAILED.`).
  { name: 'tests-failed', first: '=_FE n✖ℹ#tf-', test: TESTS_FAILED, level: 'ERROR' },
  { name: 'pytest-warnings', first: '=', test: /^=+ warnings summary =+$/, level: 'WARN' },
  // pytest's heading of one failure (`_____ test_total_wrong _____`), and Turbopack's location line
  // that heads an error (`./app/page.js:1:1`).
  { name: 'pytest-failure', first: '_', test: /^_{3,} .+ _{3,}$/, level: 'ERROR' },
  { name: 'location-only', first: '.', test: LOCATION_LINE, level: 'ERROR' },
  { name: 'pytest-summary', first: '=' + DIGITS, levelFrom: pytestSummary },

  // Process runners saying that a process failed: pnpm (`[ELIFECYCLE] Command failed with exit code
  // 1.`, a package's `Failed`), turbo's summary (`Failed:    api#dev`), nx and lerna (` NX   Running
  // target dev for 2 projects failed`), yarn (`Process exited (exit code 1), completed in 1s`, `The
  // command failed in workspace api@workspace:packages/api with exit code 1`; yarn 1's `error Command
  // failed with exit code 1.`), node --watch (`Failed running './bin/www'`).
  { name: 'runner-failed', first: '[FPTe ', test: RUNNER_FAILED, level: 'ERROR' },

  // Ruby: Puma's `Puma caught this error: undefined method 'x' for nil (NoMethodError)`; Jekyll's
  // `  Liquid Exception: Liquid syntax error (line 3): …` and `jekyll 4.3.4 | Error:  …`.
  {
    name: 'ruby-server-error',
    first: 'P Lj',
    test: /^(?:Puma caught this error: | *Liquid Exception: |jekyll \d\S* \| Error: )/,
    level: 'ERROR',
  },

  // PostgreSQL: `2026-12-02 12:00:00.123 UTC [27] ERROR:  relation "x" does not exist`.
  {
    name: 'postgres',
    first: '0123456789',
    levelFrom: mapLevel(new RegExp(String.raw`^${DATE_TIME} \[\d+\] (PANIC|FATAL|ERROR|WARNING|LOG|NOTICE|INFO|DEBUG)\d?:  `), {
      PANIC: 'ERROR',
      FATAL: 'ERROR',
      ERROR: 'ERROR',
      WARNING: 'WARN',
      LOG: 'INFO',
      NOTICE: 'INFO',
      INFO: 'INFO',
      DEBUG: 'DEBUG',
    }),
  },
  // MySQL 8: `2026-12-02T12:00:00.123456Z 0 [ERROR] [MY-010119] [Server] Aborting`.
  {
    name: 'mysql',
    first: '0123456789',
    levelFrom: mapLevel(new RegExp(String.raw`^${DATE_TIME} \d+ \[(ERROR|Warning|Note|System)\]`), {
      ERROR: 'ERROR',
      Warning: 'WARN',
      Note: 'INFO',
      System: 'INFO',
    }),
  },
  // Redis: `1:M 02 Dec 2026 12:00:00.000 # WARNING …` (`#` warning, `*` notice, `-` verbose, `.` debug).
  {
    name: 'redis',
    first: '0123456789',
    levelFrom: mapLevel(/^\d+:[MSCX] \d\d [A-Z][a-z]{2} \d{4} [\d:.]+ ([#*.-]) /, { '#': 'WARN', '*': 'INFO', '-': 'DEBUG', '.': 'DEBUG' }),
  },
  // Android's logcat (adb, Android Studio, Flutter, React Native): its level is one letter.
  { name: 'logcat', first: DIGITS + 'VDIWEFA[', levelFrom: logcatLevel },
  // IBM Blue Gene/L's RAS log, as the Loghub corpus has it: `- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11
  // 2005-06-03-15.42.50.363779 R02-M1-N0-C:J12-U11 RAS KERNEL FATAL …`.
  {
    name: 'bgl-ras',
    first: '-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    levelFrom: mapLevel(
      /^\S+ \d+ \d{4}\.\d\d\.\d\d \S+ \d{4}(?:-\d\d){3}(?:\.\d\d){2}\.\d+ \S+ [A-Z]+ [A-Z]+ (FATAL|FAILURE|SEVERE|ERROR|WARNING|INFO) /,
      {
        FATAL: 'ERROR',
        FAILURE: 'ERROR',
        SEVERE: 'ERROR',
        ERROR: 'ERROR',
        WARNING: 'WARN',
        INFO: 'INFO',
      },
    ),
  },
  // MongoDB's JSON log: `{"t":{"$date":…},"s":"E",…}`.
  {
    name: 'mongodb',
    first: '{',
    levelFrom: mapLevel(/^\{"t":\{"\$date":"[^"]*"\},"s":"([FEWID])/, { F: 'ERROR', E: 'ERROR', W: 'WARN', I: 'INFO', D: 'DEBUG' }),
  },

  // Prisma's log lines: `prisma:error Error in PostgreSQL connection`, `prisma:warn …`.
  {
    name: 'prisma-log',
    first: 'p',
    levelFrom: mapLevel(/^prisma:(error|warn|info|query) /, { error: 'ERROR', warn: 'WARN', info: 'INFO', query: 'DEBUG' }),
  },
  // structlog's console renderer: `2026-12-02 15:18:35 [error    ] failed to charge card`.
  {
    name: 'structlog-console',
    first: DIGITS,
    levelFrom: wordLevel(STRUCTLOG),
  },
  // Last: a logging format of its own whose level word stands in the line's header, after what
  // only a header holds (times, dates, `[…]`, a pid, a dotted logger name, a padded column):
  // `app.api - WARNING - retrying`, `15:18:27.677 ERROR app.api - …`, `2026-12-02 15:18:28,022
  // app.api      ERROR    failed`, `12/02/2026 03:18:28 PM DEBUG …`, rich's `           WARNING  …`,
  // `%(levelname).5s`'s `WARNI [app] …`. Not `Running in DEBUG mode`: a plain word is no header.
  { name: 'header-level', levelFrom: headerLevel },
];

// logcat's formats: threadtime, its default (`03-17 16:13:38.811  1702  2395 D WindowManager: …`; `-v
// year` and `-v uid` add a year and a uid), time (`03-17 16:13:38.811 W/Tag( 1702): …`), brief and
// Flutter's (`I/flutter ( 1234): …`), tag (`E/Tag: …`) and long (`[ 03-17 16:13:38.811  1702: 2395 E/Tag ]`).
/** logcat's time: `03-17 16:13:38.811` (`-v year`: with its year; `-v zone`: with an offset). */
export const LOGCAT_TIME = String.raw`(?:\d{4}-)?\d\d-\d\d \d\d:\d\d:\d\d\.\d{3,6}(?: [+-]\d{4})?`;
const LOGCAT = new RegExp(
  String.raw`^(?:${LOGCAT_TIME} +(?:(?:\S+ +)?\d+ +\d+ ([VDIWEFA]) |([VDIWEFA])/)|([VDIWEFA])/[^\s(:]+(?: *\( *\d+\))?: |\[ ${LOGCAT_TIME} +\d+: *\d+ ([VDIWEFA])/)`,
);
const LOGCAT_LEVELS: Record<string, LogLevel> = { V: 'DEBUG', D: 'DEBUG', I: 'INFO', W: 'WARN', E: 'ERROR', F: 'ERROR', A: 'ERROR' };
function logcatLevel(p: string): LogLevel | undefined {
  const m = LOGCAT.exec(p);
  return m === null ? undefined : LOGCAT_LEVELS[m[1] ?? m[2] ?? m[3] ?? m[4]];
}

// The words LEVEL_WORDS knows, and .NET's four-letter `fail`, `dbug`, `trce`.
const LOWER_LEVEL = mapLevel(
  /^(error|fail|crit|critical|fatal|warn|warning|info|notice|http|debug|dbug|verbose|silly|trace|trce)(?:\[E\d+\])?: /,
  { ...(LEVEL_WORDS as Record<string, LogLevel>), fail: 'ERROR', dbug: 'DEBUG', trce: 'DEBUG' },
);
/** A colon (or rustc's `[`) right after a 4–8 letter word: the cheap test before LOWER_LEVEL's regex. */
function hasColonAfterWord(p: string): boolean {
  for (let i = 4; i <= 8; i++) {
    const c = p.charCodeAt(i);
    if (c === 58 /* : */ || c === 91 /* [ */) return true;
    if (c < 97 || c > 122) return false;
  }
  return false;
}
const JUL_LEVEL =
  /^(?:\d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d(?:\.\d+)? (SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST) \[|(SEVERE|WARNING): )/;
const JUL_LEVELS: Record<string, LogLevel> = {
  SEVERE: 'ERROR',
  WARNING: 'WARN',
  INFO: 'INFO',
  CONFIG: 'DEBUG',
  FINE: 'DEBUG',
  FINER: 'DEBUG',
  FINEST: 'DEBUG',
};
// A process that ended with a failure code, as its runner says it: Compose (`web-1 exited with code
// 1`), concurrently (`./api.sh exited with code 1`), foreman, Next.js (`Next.js build worker exited
// with code: 1 and signal: null`).
const EXITED_WITH_CODE = /\bexited with code:? [1-9]\d*(?: and signal: \w+)?$/;
const RUBY_UNCAUGHT = /^\S+\.rb:\d+:in .*\((?:[A-Z]\w*::)*[A-Z]\w*\)$/;
const MSBUILD = /\): (error|warning) (?:CS|MSB|NU)\d+: /;

function byLineEnd(p: string): LogLevel | undefined {
  const last = p.charCodeAt(p.length - 1);
  if (last === 41 /* ) */) return RUBY_UNCAUGHT.test(p) ? 'ERROR' : undefined;
  if (last === 93 /* ] */) {
    const m = MSBUILD.exec(p);
    return m === null ? undefined : m[1] === 'error' ? 'ERROR' : 'WARN';
  }
  return ((last >= 48 && last <= 57) || last === 108) /* l: `signal: null` */ && EXITED_WITH_CODE.test(p) ? 'ERROR' : undefined;
}
