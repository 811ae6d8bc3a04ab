/**
 * Stack-frame lines of Python, Node, Java (and JVM languages), Go and Rust traces: where the frame
 * points and whether it is the user's code or a library's / the runtime's. Browser-safe and pure:
 * the host fingerprints errors by the innermost user frame, the panel dims library frames.
 * Every function takes ANSI-free text (`stripAnsi` first).
 */

export type FrameLanguage = 'python' | 'node' | 'java' | 'go' | 'rust';

export interface StackFrame {
  language: FrameLanguage;
  /** As printed (`/app/main.py`, `node:internal/…`, `Ctrl.java`); absent on a Go or Rust function line. */
  file?: string;
  line?: number;
  column?: number;
  /** `handler`, `com.example.Ctrl.hello`, `main.handler`, `myapp::main`, when the line names it. */
  function?: string;
  /** Code of a library, a framework or the runtime (site-packages, node_modules, java.*, GOROOT, rustc's std). */
  library: boolean;
}

// Python: `  File "/app/main.py", line 12, in handler` (also inside an exception group's `  | ` margin).
const PYTHON = /^[ |]*File "([^"]+)", line (\d+)(?:, in (.+))?$/;
// Node / V8: `    at fn (/app/x.js:5:11)`, `    at /app/x.js:5:11`, `    at new Promise (<anonymous>)`,
// `    at async Promise.all (index 0)`, `    at Module._compile (node:internal/modules/cjs/loader:1256:14)`;
// consola's (Nuxt) ` ⁃ at fn (server/api/x.ts:2:8)`.
const NODE_WITH_NAME = /^\s+(?:⁃ )?at (?:async )?(.+?) \((?:(.+):(\d+):(\d+)|(<anonymous>|native|index \d+|unknown location))\)$/;
const NODE_BARE = /^\s+(?:⁃ )?at (?:async )?((?:[a-z][\w+.-]*:\/\/\/?|node:|\/|[A-Za-z]:\\|\.{0,2}\/).+?):(\d+)(?::(\d+))?$/;
// Java: `\tat com.example.Ctrl.hello(Ctrl.java:15)`, `\tat java.base/java.lang.Thread.run(Thread.java:833)`,
// `\tat app//com.x.Y.z(Y.kt:3) ~[classes/:na]` (logback's packaging suffix), `(Native Method)`.
const JAVA = /^\s+at ([\w$./<>-]+)\(([^():]*?)(?::(\d+))?\)(?: ~?\[[^\]]*\])?$/;
// Go: the frame's file line `\t/app/main.go:12 +0x1d`, after its function line `main.handler(…)`.
const GO_FILE = /^\t(\S+\.(?:go|s)):(\d+)(?: \+0x[0-9a-f]+)?$/;
// Rust (RUST_BACKTRACE=1 / full): `   2: myapp::handler`, `  12:     0x55d4c8b8d1e3 - std::rt::lang_start`,
// and the location below it `             at ./src/main.rs:4:5`.
const RUST_FUNCTION = /^ *\d+: +(?:0x[0-9a-f]+ - )?(\S.*)$/;
const RUST_AT = /^ +at (.+?\.rs):(\d+)(?::(\d+))?$/;
// Rust's panic line: `thread 'main' panicked at src/main.rs:4:5:` (1.73+; 1.88+ adds the thread id,
// `thread 'main' (27543) panicked at …`), or `thread 'main' panicked at 'msg', src/main.rs:4:5` before.
const RUST_PANIC = /^thread '[^']*'(?: \(\d+\))? panicked at (?:'.*', )?(\S+\.rs):(\d+):(\d+):?$/;

/** The frame a line of a stack trace describes, or undefined when the line isn't one. */
export function parseStackFrame(plain: string): StackFrame | undefined {
  const first = plain.charCodeAt(0);
  if (first === 32 /* space */ || first === 9 /* tab */ || first === 124 /* | */) {
    return parseIndentedFrame(plain);
  }
  const m = RUST_PANIC.exec(plain);
  if (m !== null) return { language: 'rust', file: m[1], line: Number(m[2]), column: Number(m[3]), library: isLibraryFile('rust', m[1]) };
  const fn = goFunction(plain);
  return fn === undefined ? undefined : { language: 'go', function: fn, library: isGoLibraryFunction(fn) };
}

/**
 * The function a Go frame's function line names: `main.handler(…)`, `net/http.(*conn).serve(0xc0…, {…})`,
 * `panic({0x6d0e40, 0x8f5a40})`, `created by net/http.(*Server).Serve in goroutine 1`. The call's `(`
 * is the first one not right after a `.` (a method's receiver), and no space comes before it.
 */
function goFunction(plain: string): string | undefined {
  if (plain.startsWith('created by ')) {
    const end = plain.indexOf(' in goroutine ');
    return plain.slice(0, end === -1 ? undefined : end);
  }
  if (!plain.endsWith(')')) return undefined;
  let paren = plain.indexOf('(');
  while (paren > 0 && plain.charCodeAt(paren - 1) === 46 /* . */) paren = plain.indexOf('(', paren + 1);
  if (paren <= 0) return undefined;
  const name = plain.slice(0, paren);
  return GO_FUNCTION_NAME.test(name) ? name : undefined;
}
const GO_FUNCTION_NAME = /^(?:[\w.~-]+\/)*[\w.~-]*\.(?:\(\*?[\w.[\], ]+\)\.)?[\w.[\]{}]+$|^panic$/;

function parseIndentedFrame(plain: string): StackFrame | undefined {
  let m: RegExpExecArray | null;
  if (plain.includes('File "')) {
    m = PYTHON.exec(plain);
    if (m !== null) {
      return { language: 'python', file: m[1], line: Number(m[2]), function: m[3], library: isLibraryFile('python', m[1]) };
    }
  }
  if (plain.charCodeAt(0) === 9) {
    m = GO_FILE.exec(plain);
    if (m !== null) return { language: 'go', file: m[1], line: Number(m[2]), library: isLibraryFile('go', m[1]) };
  }
  const trimmed = plain.trimStart();
  if (trimmed.startsWith('at ') || trimmed.startsWith('⁃ at ')) {
    m = RUST_AT.exec(plain);
    if (m !== null) {
      return {
        language: 'rust',
        file: m[1],
        line: Number(m[2]),
        column: m[3] === undefined ? undefined : Number(m[3]),
        library: isLibraryFile('rust', m[1]),
      };
    }
    m = JAVA.exec(plain);
    if (m !== null) {
      const fn = m[1];
      return {
        language: 'java',
        file: m[2],
        line: m[3] === undefined ? undefined : Number(m[3]),
        function: fn,
        library: isJavaLibrary(fn),
      };
    }
    m = NODE_WITH_NAME.exec(plain);
    if (m !== null) {
      const file = m[2] ?? m[5];
      return {
        language: 'node',
        file,
        line: m[3] === undefined ? undefined : Number(m[3]),
        column: m[4] === undefined ? undefined : Number(m[4]),
        function: m[1],
        library: isLibraryFile('node', file),
      };
    }
    m = NODE_BARE.exec(plain);
    if (m !== null) {
      return {
        language: 'node',
        file: m[1],
        line: Number(m[2]),
        column: m[3] === undefined ? undefined : Number(m[3]),
        library: isLibraryFile('node', m[1]),
      };
    }
    return undefined;
  }
  m = RUST_FUNCTION.exec(plain);
  if (m !== null) return { language: 'rust', function: m[1], library: isRustLibraryFunction(m[1]) };
  return undefined;
}

// Path parts that mark installed packages, a runtime's standard library, or generated code.
const LIBRARY_PATHS: Record<FrameLanguage, RegExp> = {
  python: /[\\/](?:site-packages|dist-packages)[\\/]|[\\/]lib[\\/]python\d+(?:\.\d+)?[\\/]|[\\/]Lib[\\/]|^<frozen |^<(?:string|stdin)>$/,
  node: /[\\/]node_modules[\\/]|^node:|^internal[\\/]|^<anonymous>$|^native$|^index \d+$|^webpack[\\/]bootstrap|\[native code\]/,
  java: /^$/,
  go: /[\\/]go[\\/]src[\\/]|[\\/]go-[\d.]+[\\/]src[\\/]|[\\/]pkg[\\/]mod[\\/]|[\\/]vendor[\\/]|^(?:runtime|_cgo_|<autogenerated>)/,
  rust: /^\/rustc[\\/]|[\\/]\.cargo[\\/](?:registry|git)[\\/]|[\\/]rustlib[\\/]|^library[\\/](?:std|core|alloc)[\\/]/,
};

// Windows Python keeps its standard library in `<install>\Lib\` (python.org, Store, conda) and runs
// console scripts from `Scripts\uvicorn.exe\__main__.py`.
const WINDOWS_PYTHON_LIBRARY =
  /[\\/](?:python\d*|PythonSoftwareFoundation\.Python\.[^\\/]+|(?:ana|mini)conda\d?(?:[\\/]envs[\\/][^\\/]+)?)[\\/]lib[\\/]|[\\/]Scripts[\\/][^\\/]+\.exe[\\/]/i;

/** Whether a frame's file belongs to a library or the runtime rather than the user's project. */
export function isLibraryFile(language: FrameLanguage, file: string): boolean {
  return LIBRARY_PATHS[language].test(file) || (language === 'python' && WINDOWS_PYTHON_LIBRARY.test(file));
}

// JVM classes of the platform and of common frameworks: their frames are never the user's.
const JAVA_LIBRARY =
  /^(?:[\w.-]+\/)*(?:java|javax|jakarta|jdk|sun|com\.sun|kotlin|kotlinx|scala|groovy|org\.codehaus\.groovy|org\.springframework|org\.apache|org\.eclipse|org\.hibernate|org\.junit|io\.netty|io\.undertow|io\.micronaut|io\.quarkus|io\.vertx|reactor|com\.fasterxml|ch\.qos|com\.google|okhttp3|org\.slf4j)\./;

function isJavaLibrary(fn: string): boolean {
  // `java.base/java.lang.Thread.run`: a JDK module; `app//com.x.Y.z`: the application class loader.
  return JAVA_LIBRARY.test(fn) || /^(?:java|jdk)\.[\w.]+\//.test(fn);
}

// Go's standard library: import paths whose first element has no dot (and isn't `main`).
const GO_STD =
  /^(?:runtime|internal|net|sync|reflect|testing|os|io|bufio|fmt|encoding|crypto|context|database|syscall|time|strings|bytes|errors|log|math|sort|strconv|text|html|mime|path|regexp|unicode|compress|container|hash|image|archive|debug|embed|expvar|flag|go|plugin|slices|maps|iter|cmp|unique|weak|structs)[./]/;

function isGoLibraryFunction(fn: string): boolean {
  return GO_STD.test(fn) || fn.startsWith('created by ');
}

// Rust's std/core/alloc, the panic machinery, and the usual runtime crates.
const RUST_LIBRARY =
  /^(?:<?(?:std|core|alloc|tokio|hyper|axum|actix_\w+|tower|futures\w*|async_std)::|(?:__rustc::)?rust_begin_unwind|__rust|__libc|_start$|main$|__scrt|start_thread|clone3?$|backtrace::)/;

function isRustLibraryFunction(fn: string): boolean {
  return RUST_LIBRARY.test(fn);
}

/** A frame of a trace with the index of the line that names its file. */
export interface FrameAt {
  index: number;
  frame: StackFrame;
}

/**
 * The innermost frame of the user's own code among a trace's lines (ANSI-free): Python lists
 * frames outermost first (the last user frame is the innermost), Node, Java, Go and Rust innermost
 * first. A Go or Rust frame's function, printed on its own line, is merged into its file's frame.
 * Undefined when no frame names a file of the user's.
 */
export function innermostUserFrame(lines: readonly string[]): FrameAt | undefined {
  let found: FrameAt | undefined;
  let fn: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const frame = parseStackFrame(lines[i]);
    if (frame === undefined) {
      fn = undefined;
      continue;
    }
    if (frame.file === undefined) {
      fn = frame.function;
      continue;
    }
    const merged = frame.function === undefined && fn !== undefined ? { ...frame, function: fn } : frame;
    fn = undefined;
    if (merged.library || (merged.language === 'rust' && lines[i].startsWith('thread '))) continue;
    if (merged.language !== 'python') return { index: i, frame: merged };
    found = { index: i, frame: merged };
  }
  return found ?? rustPanicFrame(lines);
}

/** A Rust panic without a backtrace names its location on the panic line itself. */
function rustPanicFrame(lines: readonly string[]): FrameAt | undefined {
  for (let i = 0; i < lines.length; i++) {
    const frame = lines[i].startsWith('thread ') ? parseStackFrame(lines[i]) : undefined;
    if (frame !== undefined && !frame.library) return { index: i, frame };
  }
  return undefined;
}
