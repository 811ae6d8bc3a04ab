/**
 * The shapes of lines the entry grouper (entries.ts) reads: what heads an entry of each kind and
 * what continues one. Patterns only; the state machine that uses them is in entries.ts.
 */
export const TRACEBACK = 'Traceback (most recent call last):';
export const EXCEPTION_GROUP = /^\s*\+ Exception Group Traceback \(most recent call last\):/;
export const PYTHON_CHAIN = /^(?:During handling of the above exception|The above exception was the direct cause)/;
// Loguru's frames: `> File "…"` marks the failing frame; `│`/`└` lines show variables.
export const LOGURU_FRAME = /^(?:> File "|[│└])/;
// Python's multiprocessing prints `Process SpawnProcess-1:` before a child's traceback.
export const PROCESS_HEAD = /^Process [\w-]+:$/;
// A Node or Java frame (`    at fn (…)`, `\tat com.x.Y.z(Y.java:3)`) and the lines that go with them.
// (consola, as Nuxt prints it: ` ⁃ at fn (file)`.)
export const STACK_FRAME = /^\s+(?:⁃ )?at \S/;
export const STACK_MORE = /^\s*(?:\.\.\. \d+ |Caused by: |Suppressed: |\[cause\]: )/;
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
export const VITE_MORE = /^(?:\[[A-Z][A-Z_]*\] |[\u2500-\u257f]|\s*\d+ [│|]|\S+:\d+:\d+: (?:ERROR|WARNING): )/;
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
export const PHP_STACK = /^(?:Stack trace:$|#\d+ |\s+thrown in )/;
export const RUBY_FROM = /^\s+from \S+:\d+:in /;
// Rails' backtrace under `RuntimeError (boom):`: `app/controllers/pages_controller.rb:7:in 'boom'`.
export const RUBY_FRAME = /^\S+\.rb:\d+:in /;
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
export const LOGCAT_HEADER =
  /^(?:(?:\d{4}-)?\d\d-\d\d \d\d:\d\d:\d\d\.\d{3,6}(?: [+-]\d{4})? +(?:(?:\S+ +)?\d+ +\d+ [VDIWEFA] [^:]*|[VDIWEFA]\/[^(:]*\( *\d+\))|[VDIWEFA]\/[^(:]*\( *\d+\)): /;
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
