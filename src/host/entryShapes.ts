/**
 * The shapes of lines the entry grouper (entries.ts) reads: what heads an entry of each kind (and
 * the mode it starts, `headMode`) and what continues one. The state machine that uses them is in
 * entries.ts.
 */
import { LOCATION_LINE, NPM_ERROR, PYTHON_WARNING, VITE_BLOCK_ERROR, startsGoTrace } from './levelRules';
import { LOGCAT_TIME } from './levelRulesPlatforms';

export const TRACEBACK = 'Traceback (most recent call last):';
/** `  File "/app/main.py", line 3` with no `, in …`: where a SyntaxError is, its source and caret below. */
export const SYNTAX_ERROR_FILE = /^ {2}File "[^"]+", line \d+$/;
export const EXCEPTION_GROUP = /^\s*\+ Exception Group Traceback \(most recent call last\):/;
export const PYTHON_CHAIN = /^(?:During handling of the above exception|The above exception was the direct cause)/;
// Loguru's frames: `> File "…"` marks the failing frame; `│`/`└` lines show variables.
export const LOGURU_FRAME = /^(?:> File "|[│└])/;
// Python's multiprocessing prints `Process SpawnProcess-1:` before a child's traceback.
export const PROCESS_HEAD = /^Process [\w-]+:$/;
// A Node or Java frame (`    at fn (…)`, `\tat com.x.Y.z(Y.java:3)`) and the lines that go with them.
// (consola, as Nuxt prints it: ` ⁃ at fn (file)`.)
export const STACK_FRAME = /^\s+(?:⁃ )?at \S/;
// Astro's `    [...] See full stack trace in the browser, or rerun with --verbose.` under its frames.
export const STACK_MORE = /^\s*(?:\.\.\. \d+ |Caused by: |Suppressed: |\[cause\]: |\[\.\.\.\] )/;
// Node's MODULE_NOT_FOUND: `Require stack:`, then one `- /app/server.js` line per requiring file.
export const REQUIRE_STACK = 'Require stack:';
export const REQUIRE_STACK_FILE = /^- \S/;
// The source excerpt Next.js and Babel print under a stack: `> 3 |   throw new Error('boom')`, `    |   ^`.
export const CODE_FRAME = /^[> ] *\d+ \||^ +\| /;
export const NODE_VERSION = /^Node\.js v\d+\.\d+\.\d+$/;
// `node:fs:573`, `/app/index.js:3`, `file:///app/x.mjs:3`, `C:\app\x.js:3`: where an uncaught exception was thrown.
export const NODE_PREAMBLE = /^(?:node:[\w/.-]+|file:\/\/\S+|\/\S+\.[cm]?[jt]sx?|[A-Za-z]:\\\S+\.[cm]?[jt]sx?):\d+$/;
export const CARET = /^\s*\^+\s*$/;
// A JVM exception line announced by a logger line (Spring, logback): `java.lang.IllegalStateException: x`.
export const JAVA_EXCEPTION = /^(?:Exception in thread "[^"]*" )?(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable)(?::\s|$)/;
export const RUST_PANIC = /^thread '[^']*'(?: \(\d+\))? panicked at /;
export const HTML_START = /^\s*(?:<!doctype html|<html[\s>])/i;
// What follows Vite's head: a diagnostic code (`[PARSE_ERROR] …`), oxc's box drawing, a code frame,
// esbuild's `/app/src/a.ts:3:7: ERROR: …`.
// (Vue's compiler puts the file alone on a line, then a code frame whose numbers are padded: `2  |  …`.)
export const VITE_MORE = /^(?:\[[A-Z][A-Z_]*\] |[\u2500-\u257f]|\s*\d+ +[│|]|\S+:\d+:\d+: (?:ERROR|WARNING): |(?:\/|[A-Za-z]:\\)\S+$)/;
// React Router's `  ⚠️  Future Flag Warning: …` with its indented explanation and link.
export const EMOJI_WARNING = /^ +⚠\uFE0F +\S/;
// .NET's console logger: `fail: Microsoft.AspNetCore.Server.Kestrel[13]`, its message on the indented lines below.
export const DOTNET_HEAD = /^(?:trce|dbug|info|warn|fail|crit): .*\[\d+\]$/;
// pino-pretty: `[13:09:45.262] ERROR (15853): charge failed`, its fields indented below (`    err: {`).
export const PINO_PRETTY_HEAD = /^\[\d\d:\d\d:\d\d\.\d{3}\] [A-Z]+ \(\d+(?: on [^)]*)?\): /;
export const RUSTC_HEAD = /^(?:error|warning)(?:\[E\d+\])?: /;
export const RUSTC_LOCATION = /^\s*--> \S/;
export const RUSTC_MORE = /^\s*(?:--> |\d* *\||= (?:note|help): |\.\.\.$)/;
// A zap stack's function line (`main.handler`, `net/http.(*conn).serve`): one token, no spaces.
export const GO_FUNCTION = /^[a-zA-Z_][\w/-]*(?:\.[\w*()]+)+$/;
// PHP's `Stack trace:` / `#0 {main}` / `  thrown in /app/x.php on line 3`; Ruby's `\tfrom /app/x.rb:3:in 'y'`.
// (Astro indents its `  Stack trace:` under `[ERROR] boom`.)
export const STACK_TRACE_LINE = /^\s*Stack trace:$/;
// PHP 7+ chains with `Next RuntimeException: wrapper failed in /app/x.php:3`.
export const PHP_STACK = /^(?:\s*Stack trace:$|#\d+ |\s+thrown in |Next [\w\\]+: )/;
export const RUBY_FROM = /^\s+from \S+:\d+:in /;
// Rails' backtrace under `RuntimeError (boom):`: `app/controllers/pages_controller.rb:7:in 'boom'`.
// (A view's: `app/views/pages/show.html.erb:1`; Rails shows the view's lines above it, `    1: <h1>…`.)
export const RUBY_FRAME = /^\S+\.(?:rb:\d+:in |(?:erb|haml|slim|jbuilder|builder):\d+(?::in |$))/;
export const RAILS_EXCERPT = /^ {4}\d+: /;
// A Node exception line, to join it to a logger line that said its message (Nest: `ERROR [ExceptionsHandler] boom`, `Error: boom`).
export const NODE_EXCEPTION_MESSAGE = /^(?:[A-Z][\w$]*)?(?:Error|Exception)(?: \[[\w-]+\])?: (.+)$/;
// React's dev warning: `Warning: Each child …`, a blank line, the line with its link, then the component stack.
export const REACT_LINK = /https:\/\/react(?:js\.org|\.dev)\/link\//;
export const DENO_ERROR = /^error: (?:Uncaught |TS\d+ \[ERROR\]: )/;
// PostgreSQL's lines that go with the one before (same backend pid): `… [27] STATEMENT:  SELECT …`.
export const POSTGRES_MORE = /^\d{4}-\d\d-\d\d \S+(?: [A-Z]{2,5})? \[(\d+)\] (?:DETAIL|STATEMENT|HINT|CONTEXT|QUERY|LOCATION): {2}/;
export const POSTGRES_HEAD = /^\d{4}-\d\d-\d\d \S+(?: [A-Z]{2,5})? \[(\d+)\] [A-Z]+: {2}/;
// Lines between a logger's line and the traceback it announces: asyncio's `future: <Task finished …>`.
export const ANNOUNCE_BRIDGE = /^future: </;
// Django's system check report, printed as a SystemCheckError's message.
export const DJANGO_CHECKS =
  /^(?:ERRORS:$|WARNINGS:$|System check identified \d+ issues? \(\d+ silenced\)\.$|\S+: \(\w+\.[ECWID]\d{3}\) |\s+HINT: )/;
export const HTML_END = /<\/html>/i;
// webpack's diagnostics (`ERROR in ./src/index.js 3:0-12`, ts-loader's `[tsl] ERROR in /app/a.ts(3,7)`),
// each followed by its message lines and a blank line; a loader's message may show a code frame
// after a blank line of its own.
export const WEBPACK_HEAD = /^(?:\[tsl\] )?(?:ERROR|WARNING) in \S/;
export const ESBUILD_HEAD = /^[✘X▲] \[(?:ERROR|WARNING)\] /;
// Turbopack's error block, under its location line (LOCATION_LINE, maybe after `⨯ `); a docs link ends it.
export const LOCATION_MORE = /^(?:[A-Z]\w*)?Error: /;
export const BARE_URL = /^https?:\/\/\S+$/;
export const TAP_NOT_OK = /^ *not ok \d+ /;
export const PYTEST_SECTION = /^(?:=+ (?:FAILURES|ERRORS|warnings summary) =+|_{3,} .+ _{3,})$/;
export const PYTEST_HEADING = /^(?:=+ .+ =+|_{3,} .+ _{3,})$/;
// Elixir's Logger (`[error] GenServer MyApp.Worker terminating`) prints a message's further lines
// as they are: `** (RuntimeError) boom`, indented frames `(my_app 0.1.0) lib/x.ex:15: …`, and
// `Last message: …`, `State: …`, `Request: GET /boom` lines.
export const ELIXIR_HEAD = /^\[(?:emergency|alert|critical|error|warning|warn|notice|info|debug)\] /;
export const ELIXIR_MORE = /^(?:\*\* \(|[A-Z][a-z]+(?: [a-z]+)?: )/;
// Android's logcat prints each line of a multi-line message (a crash's stack) under the same header:
// time, pid, tid, level and tag (threadtime: `12-02 15:40:02.870  4410  4410 E AndroidRuntime: `), or
// time, level, tag and pid (time, brief: `E/AndroidRuntime( 4410): `, Flutter's `I/flutter ( 4410): `).
const LOGCAT_LETTERS = 'VDIWEFA';
export const LOGCAT_HEADER = new RegExp(
  String.raw`^(?:${LOGCAT_TIME} +(?:(?:\S+ +)?\d+ +\d+ [VDIWEFA] [^:]*|[VDIWEFA]\/[^(:]*\( *\d+\))|[VDIWEFA]\/[^(:]*\( *\d+\)): `,
);
// The status right after the request's protocol: quoted (Apache/nginx combined, Werkzeug, Django,
// uvicorn), unquoted (morgan's short), or after chi's `from <addr> -`. Unanchored but cheap: V8
// scans for the literal ` HTTP/` first.
export const ACCESS_STATUS = / HTTP\/\d(?:\.\d)?"?(?: from \S+ -)? ([1-5])\d\d\b/;

/** Lines of other threads a traceback may take in before its exception line (a threaded server's access lines). */
export const MAX_INTERJECTIONS = 5;

/**
 * Whether an unindented line amid a Python traceback's frames is another thread's (an access line,
 * a log line that starts with its time) rather than the exception line, which starts with its
 * class's name.
 */
export function interjects(plain: string): boolean {
  const first = plain.charCodeAt(0);
  return (first >= 48 && first <= 57) || first === 91 /* [ */ || ACCESS_STATUS.test(plain);
}
// esbuild's and oxc's `Error: Transform failed with 1 error:` as SvelteKit and Nitro print it: the
// diagnostics under it read as a Vite error's do.
export const TRANSFORM_FAILED = /(?:^|\s)(?:[A-Z]\w*)?Error: Transform failed with \d+ errors?:$/;
// consola's fancy reporter (Nuxt, Nitro): a badge (` ERROR  message`, ` WARN  message`), then the
// error's block: `ℹ Error: boom`, ` ⁃ at …` frames, a `❯ 2 ┃` code frame (indented), `[CAUSE]` and
// the error's dump; a warning's `├▶ fix: …` and `╰▶ see: …`. The next badge is the next message.
export const CONSOLA_HEAD = /^ (?:ERROR|FATAL|WARN) {2}\S/;
export const CONSOLA_BADGE = /^ [A-Z]+ {2}\S/;
export const CONSOLA_MORE = /^(?:ℹ (?:[A-Z][\w$]*)?(?:Error|Exception)\b|[├╰]▶ )/;
export const CONSOLA_CAUSE = '[CAUSE]';
// Turbopack's issue (Next.js 15+): `⨯ ./app/page.tsx:4:19` or `⚠ [next]/internal/font/google/x.module.css`,
// then the issue's title, its message, a code frame, `Import trace:` and its files; two blank lines end it.
export const TURBOPACK_ISSUE_HEAD = /^ ?[⚠⨯] (?:\.{1,2}\/|\[[\w-]+\]\/)\S+$/;
// Next.js's own next line: `✓ Compiled in 120ms`, `⨯ Error: boom`, `⚠ Fast Refresh …`, ` GET / 200 in 5ms`, `○ Compiling / ...`.
export const NEXT_SYMBOL_LINE = /^ ?(?:[✓⨯⚠○] | ?(?:GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS) \/)/;

export type Mode =
  /** A plain line; an ERROR/WARN one may announce a traceback, and stack frames may follow any. */
  | 'single'
  /** Python: `Traceback …` seen, frames until the exception line. */
  | 'python'
  /** Python: after the exception line, blanks and a chain message may follow. */
  | 'python-end'
  /** Python: after "During handling …" / "The above exception …", blanks until the next traceback. */
  | 'python-chain'
  /** Python 3.11 exception group: every line of it is indented. */
  | 'python-group'
  /** Python's `warnings` line (`/app/x.py:3: DeprecationWarning: …`); its source line follows, indented. */
  | 'python-warning'
  /** Node / Java frames (`    at …`), `Caused by:`, `... 3 more`. */
  | 'stack'
  /** Inside `{ … }` after a Node frame (an error's own properties), until the braces balance. */
  | 'props'
  /** Node's uncaught-exception preamble (`/app/x.js:3`, the source line, `^`), until the exception line. */
  | 'node-preamble'
  /** Go panic or goroutine dump. */
  | 'go'
  /** Rust: the panic line ended with `:`, its message is the next line. */
  | 'rust-message'
  /** Rust: the message's indented lines, `stack backtrace:`, frames, `note:` lines. */
  | 'rust'
  /** Pretty-printed JSON (or a Node inspect dump) until its brackets balance. */
  | 'json'
  /** An HTML page until `</html>`. */
  | 'html'
  /** Node's `Require stack:` list of files, then the frames. */
  | 'require-stack'
  /** `npm error` / `npm ERR!` lines: one failure, many lines. */
  | 'npm'
  /** Vite's logged error: the message's lines, its code frame, `  Plugin:`, `  File:`, the stack. */
  | 'vite'
  /** Indented lines under their head: .NET's message, pino-pretty's `    err: {` block. */
  | 'indented'
  /** rustc's ` --> src/main.rs:3:20`, `  |` gutter and `  = note:` lines. */
  | 'rustc'
  /** zap's development stack: a function line, its tab-indented file line, and so on. */
  | 'zap'
  /** Spring Boot's failure analysis (`APPLICATION FAILED TO START`, Description, Action). */
  | 'report'
  /** webpack's `ERROR in ./src/a.js` and the message under it, to the blank line (a code frame may follow one). */
  | 'webpack'
  /** esbuild's `✘ [ERROR] …` / `▲ [WARNING] …`: its blank and indented lines (location, code frame, notes). */
  | 'esbuild'
  /** Next.js (Turbopack): a `./app/page.js:1:1` head, the exception, its code frame, blank lines, the docs link. */
  | 'location'
  /** Turbopack's issue block under `⨯ ./app/page.tsx:4:19` or `⚠ [next]/…`, to its two blank lines (and a docs link after them). */
  | 'turbopack'
  /** TAP (`node --test` piped): `not ok 2 - name` and its YAML block, indented deeper than it. */
  | 'tap'
  /** pytest: a failure's section (`___ test_x ___`) or the warnings summary, to the next heading. */
  | 'pytest'
  /** Elixir's Logger: a message's further lines (a crash report's `** (RuntimeError) boom`, frames, `State: …`). */
  | 'elixir'
  /** Android's logcat: the lines of one message, under the same header as its first. */
  | 'logcat'
  /** consola's badge (` ERROR  …`) and the block under it (see CONSOLA_HEAD). */
  | 'consola'
  /** An entry nothing more can continue. */
  | 'closed';

/** The mode a line starting an entry puts the grouper in. */
export function headMode(plain: string): Mode {
  const first = plain.charCodeAt(0);
  if ((first === 84 /* T */ && plain.startsWith(TRACEBACK)) || (first === 32 && SYNTAX_ERROR_FILE.test(plain))) return 'python';
  if (EXCEPTION_GROUP.test(plain)) return 'python-group';
  if (plain.includes('Warning: ') && PYTHON_WARNING.test(plain)) return 'python-warning';
  if (startsGoTrace(plain)) return 'go';
  if (first === 116 /* t */ && RUST_PANIC.test(plain)) return plain.endsWith(':') ? 'rust-message' : 'rust';
  if (first === 32 && CONSOLA_HEAD.test(plain)) return 'consola';
  if (((first >= 48 && first <= 57) || LOGCAT_LETTERS.includes(plain.charAt(0))) && LOGCAT_HEADER.test(plain)) return 'logcat';
  if (NODE_PREAMBLE.test(plain)) return 'node-preamble';
  if (DOTNET_HEAD.test(plain) || PINO_PRETTY_HEAD.test(plain) || (first === 32 && EMOJI_WARNING.test(plain))) return 'indented';
  if (first === 91 /* [ */ && ELIXIR_HEAD.test(plain)) return 'elixir';
  if ((first === 69 /* E */ || first === 87 /* W */ || first === 91) && WEBPACK_HEAD.test(plain)) return 'webpack';
  if (plain.charCodeAt(plain.length - 1) === 58 /* : */ && TRANSFORM_FAILED.test(plain)) return 'vite'; // (Nitro's starts with `[nitro]`: before 'json')
  if (first === 123 /* { */ || first === 91 /* [ */) return 'json';
  if (HTML_START.test(plain)) return 'html';
  if (first === 110 /* n */ && NPM_ERROR.test(plain)) return 'npm';
  if (VITE_BLOCK_ERROR.test(plain)) return 'vite';
  if (RUSTC_HEAD.test(plain)) return 'rustc';
  if (ESBUILD_HEAD.test(plain)) return 'esbuild';
  if ((first === 110 /* n */ || first === 32) && TAP_NOT_OK.test(plain)) return 'tap';
  if ((first === 0x2a2f /* ⨯ */ || first === 0x26a0 /* ⚠ */ || first === 32) && TURBOPACK_ISSUE_HEAD.test(plain)) return 'turbopack';
  if (LOCATION_LINE.test(plain)) return 'location';
  if ((first === 95 /* _ */ || first === 61) /* = */ && PYTEST_SECTION.test(plain)) return 'pytest';
  return 'single';
}

/** Spaces and tabs before a line's text. */
export function indentOf(plain: string): number {
  return plain.length - plain.trimStart().length;
}

/**
 * Opening minus closing brackets (`{[` vs `}]`) outside double- and single-quoted strings: how
 * far a JSON or inspect dump's line moves its nesting.
 */
export function bracketDelta(text: string): number {
  let delta = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === 92 /* \ */) i++;
      else if (c === quote) quote = 0;
    } else if (c === 34 /* " */ || c === 39 /* ' */) quote = c;
    else if (c === 123 || c === 91) delta++;
    else if (c === 125 || c === 93) delta--;
  }
  return delta;
}
