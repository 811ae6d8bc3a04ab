/**
 * An error entry's identity across runs (issue 11): its fingerprint — the exception type plus the
 * innermost frame of the user's own code, with numbers, addresses, ids and temporary folders
 * normalised — and a title such as `ZeroDivisionError: division by zero`.
 */
import { createHash } from 'node:crypto';
import { innermostUserFrame } from '../shared/stackFrames';
import { parseStructuredLine } from '../shared/structuredLine';
import { VITE_PREFIX } from './levelRules';
import { LOGCAT_HEADER, PYTHON_CHAIN, TRACEBACK } from './entryShapes';

export interface ErrorIdentity {
  fingerprint: string;
  title: string;
}

const MAX_TITLE = 300;
// `ValueError: x`, `json.decoder.JSONDecodeError: x`, `KeyboardInterrupt`, `  | ExceptionGroup: eg (…)`.
const PYTHON_EXCEPTION = /^(?:[ |]*)([A-Za-z_][\w.]*)(?::\s?(.*))?$/;
// Node: `TypeError: x`, `Error [ERR_X]: x`, `Uncaught Error: x`, `(node:1) UnhandledPromiseRejectionWarning: Error: x`.
// Node 15+ on a rejection that isn't an Error: `[UnhandledPromiseRejection: … with the reason "boom".] {`.
// Next.js prints `⨯ Error: x`, consola (Nuxt) `ℹ Error: x`, Angular's SSR `ERROR ReferenceError: x`.
const NODE_EXCEPTION =
  /(?:^\[?|^ ?[⨯ℹ] |^ERROR |: |Uncaught )([A-Z][\w$]*(?:Error|Exception|Rejection)|Error)(?: \[[\w-]+\])?(?::\s(.*)|$)/;
const REJECTION_REASON = /The promise rejected with the reason "(.*)"\.\]?(?: \{)?$/;
// JVM: `Exception in thread "main" java.lang.IllegalStateException: x`, `java.lang.ArithmeticException: / by zero`.
const JAVA_EXCEPTION = /^(?:Exception in thread "[^"]*" )?((?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable))(?::\s(.*))?$/;
// Go: `panic: x`, `fatal error: x`, net/http's `… http: panic serving 127.0.0.1:5: x`.
const GO_PANIC = /^(?:panic: |fatal error: |.*?http: panic serving \S+: )(.*?)(?: \[recovered\])?$/;
const RUST_PANIC = /^thread '[^']*'(?: \(\d+\))? panicked at (?:'(.*)', \S+|\S+:)$/;
// A single error line's prefix to leave out of its title: whatever comes before its level word
// (time, pid, logger) within the line's first 60 characters, the level word, and a logger name.
// pino-pretty's pid after the level (`ERROR (6069): …`), Flask's `ERROR in app: …`.
const LINE_PREFIX =
  /^.{0,60}?\b(?:CRITICAL|FATAL|ERROR|ERRO|WARNING|WARN)\b\]?(?::[\w.]+:|[:\s|\]-]+)\s*(?:\(\d+(?: on [^)]*)?\):\s*|in [\w.]+: )?/;
// Lower-case level prefixes: npm's `npm error …`, winston's `error: …`, .NET's `fail: …`.
const LOWER_PREFIX = /^(?:npm (?:ERR!|error) +|(?:error|fail|crit|fatal):\s+)/;
const LEADING_TIME = /^\d{4}-\d\d-\d\d[T ][\d:.,]+(?:Z|[+-]\d\d:?\d\d)?\s+/;
// Vite's diagnostics under a generic message.
const VITE_DIAGNOSTIC = /^(?:\[[A-Z][A-Z_]*\] .+|\S+:\d+:\d+: ERROR: .+)$/;
const LOCATION_HEAD = /^ ?(?:⨯ )?(\.{1,2}\/\S+?):\d+:\d+$/;
const VITE_WRAPPER = /^(?:Internal server error|Pre-transform error|Error when evaluating SSR module \S+?): (?=\S)/;
const PHP_PREFIX = /^(?:\[[^\]]*\] )?PHP (?:Fatal error|Parse error|Warning|Deprecated|Notice): +/;
// Django's documented "verbose" format goes on with `{module} {process:d} {thread:d}`: ids, not what went wrong.
const MODULE_PROCESS_THREAD = /^([\w.]+) \d+ \d+ (?=\S)/;
const RAILS_COLON = /^((?:[A-Z]\w*::)*[A-Z]\w* \(.*\)):$/;
const OXC_LOCATION = /^\s*╭─\[ (\S+) \]$/;

/** The identity of an error entry from its ANSI-free lines (head first). */
export function identifyError(all: readonly string[]): ErrorIdentity {
  // Blank lines an entry ends with (taken in after a logger line) don't change what it is.
  let end = all.length;
  while (end > 1 && all[end - 1].trim() === '') end--;
  const lines = withoutLogcatHeader(end === all.length ? all : all.slice(0, end));
  const exception = findException(lines);
  const frame = innermostUserFrame(exception.frames);
  const diagnostic = frame === undefined ? compilerDiagnostic(lines) : undefined;
  if (diagnostic !== undefined) {
    const title = `${diagnostic.message} (${diagnostic.location})`.slice(0, MAX_TITLE);
    return { fingerprint: hash(['', normalizeText(diagnostic.message), diagnostic.file].join('\n')), title };
  }
  let title = exception.title.trim().slice(0, MAX_TITLE) || (lines.find((l) => l.trim() !== '') ?? '').trim().slice(0, MAX_TITLE);
  // Turbopack's `⨯ ./app/page.tsx:4:19` over a compile error: the same message in two files is two errors.
  const location = frame === undefined ? LOCATION_HEAD.exec(lines[0] ?? '') : null;
  if (location !== null) title = `${title} (${location[1]})`;
  const key =
    frame === undefined
      ? [
          exception.type ?? '',
          normalizeText(exception.type === undefined ? title : exception.message),
          ...(location === null ? [] : [location[1]]),
        ]
      : [
          exception.type ?? normalizeText(exception.message),
          normalizePath(frame.frame.file ?? ''),
          normalizeFunction(frame.frame.function),
          // Code at a module's top level or in an arrow function has no name: two errors there differ by what they say.
          ...(isAnonymous(frame.frame.function) && exception.type !== undefined ? [normalizeText(exception.message)] : []),
        ];
  return { fingerprint: hash(key.join('\n')), title };
}

/**
 * A bundler's or compiler's diagnostic: its message and where (the same message in two files is two
 * errors). esbuild's (Angular): `✘ [ERROR] TS2322: … [plugin angular-compiler]` over `    src/app/a.ts:12:2:`;
 * webpack's: `ERROR in ./src/a.js 2:0` over its message, ts-loader's `[tsl] ERROR in /app/src/a.ts(2,14)`
 * over `      TS2322: …`.
 */
function compilerDiagnostic(lines: readonly string[]): { message: string; location: string; file: string } | undefined {
  const head = lines[0] ?? '';
  const esbuild = ESBUILD_DIAGNOSTIC.exec(head);
  if (esbuild !== null) {
    const at = lines
      .slice(1, 5)
      .map((l) => ESBUILD_LOCATION.exec(l))
      .find((m) => m !== null);
    return at ? { message: esbuild[1], location: `${at[1]}:${at[2]}:${at[3]}`, file: at[1] } : undefined;
  }
  if (!WEBPACK_IN.test(head)) return undefined;
  const tsl = lines.findIndex((l) => l.startsWith('[tsl] '));
  const from = tsl === -1 ? 0 : tsl;
  const location = WEBPACK_IN.exec(lines[from])?.[1];
  const message = lines
    .slice(from + 1)
    .find((l) => l.trim() !== '' && !WEBPACK_MODULE_LOCATION.test(l))
    ?.trim();
  if (location === undefined || message === undefined) return undefined;
  return { message, location, file: location.replace(/(?:\(\d+,\d+\)| \d+:\d+(?:-\d+)?)$/, '') };
}
const ESBUILD_DIAGNOSTIC = /^[✘X▲] \[(?:ERROR|WARNING)\] (.+)$/;
const ESBUILD_LOCATION = /^\s+(\S+?):(\d+):(\d+):$/;
const WEBPACK_IN = /^(?:\[tsl\] )?(?:ERROR|WARNING) in (\S.*)$/;
// webpack's line under `ERROR in /app/src/a.ts`: `./src/a.ts 2:13-16`.
const WEBPACK_MODULE_LOCATION = /^\.{0,2}\/\S+ \d+:\d+(?:-\d+)?$/;

function isAnonymous(fn: string | undefined): boolean {
  return fn === undefined || fn === '<anonymous>' || fn === '<module>' || fn === 'anonymous';
}

/** A logcat message's lines without the header each repeats (its time and pid would make every crash new). */
function withoutLogcatHeader(lines: readonly string[]): readonly string[] {
  const header = LOGCAT_HEADER.exec(lines[0] ?? '')?.[0];
  if (header === undefined || !lines.every((line) => line.startsWith(header))) return lines;
  return lines.map((line) => line.slice(header.length));
}

interface FoundException {
  /** `ZeroDivisionError`, `java.lang.IllegalStateException`; undefined for a Go/Rust panic or a plain line. */
  type?: string;
  message: string;
  title: string;
  /** The lines to look for the user's frame in (a Python chain's last traceback). */
  frames: readonly string[];
}

function findException(lines: readonly string[]): FoundException {
  const lastTraceback = lines.lastIndexOf(TRACEBACK);
  if (lastTraceback !== -1 || lines.slice(0, 5).some((l) => /^\s*\+ Exception Group Traceback/.test(l))) {
    const from = Math.max(lastTraceback, 0);
    const tail = lines.slice(from);
    // The exception line: the last unindented, non-empty line after the frames (not a chain message).
    for (let i = tail.length - 1; i > 0; i--) {
      const line = tail[i];
      if (line === '' || /^\s/.test(line) || PYTHON_CHAIN.test(line)) continue;
      const m = PYTHON_EXCEPTION.exec(line);
      if (m !== null) return { type: m[1], message: m[2] ?? '', title: line, frames: tail };
    }
    const group = lines.find((l) => /^\s*\|\s*\w*(?:Exception)?Group: /.test(l));
    if (group !== undefined) {
      const m = PYTHON_EXCEPTION.exec(group.replace(/^[\s|]+/, ''));
      if (m !== null) return { type: m[1], message: m[2] ?? '', title: group.replace(/^[\s|]+/, ''), frames: lines };
    }
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m = GO_PANIC.exec(line);
    if (m !== null) return { message: m[1], title: `panic: ${m[1]}`, frames: lines.slice(i) };
    m = RUST_PANIC.exec(line);
    if (m !== null) {
      const message = m[1] ?? lines[i + 1] ?? '';
      return { message, title: `panic: ${message}`, frames: lines.slice(i) };
    }
    m = JAVA_EXCEPTION.exec(line);
    if (m !== null)
      return { type: m[1], message: m[2] ?? '', title: line.replace(/^Exception in thread "[^"]*" /, ''), frames: lines.slice(i) };
    m = NODE_EXCEPTION.exec(line);
    if (m !== null && (i > 0 || lines.length > 1 || /^(?:Uncaught )?[A-Z][\w$]*(?:Error|Exception)\b/.test(line))) {
      // `Error: Transform failed with 1 error:` says less than the diagnostic under it (as Vite's own head).
      const diagnostic = m[2]?.endsWith(':') ? diagnosticUnder(lines) : undefined;
      if (diagnostic !== undefined) return { message: diagnostic, title: diagnostic, frames: lines.slice(i) };
      const reason = m[1].endsWith('Rejection') ? REJECTION_REASON.exec(line) : null;
      if (reason !== null) return { type: m[1], message: reason[1], title: `${m[1]}: ${reason[1]}`, frames: lines.slice(i) };
      const at = line.indexOf(m[1]);
      return { type: m[1], message: m[2] ?? '', title: line.slice(at), frames: lines.slice(i) };
    }
  }
  const head = lines.find((l) => l.trim() !== '') ?? '';
  return singleLine(head.trim(), lines);
}

/** The title of an entry whose head says what went wrong: its message without the logger's prefix. */
function singleLine(head: string, lines: readonly string[]): FoundException {
  const structured = head.startsWith('{') || head.includes('msg=') ? structuredTitle(head) : undefined;
  if (structured !== undefined) return { ...structured, frames: lines };
  // `Internal server error: Transform failed with 1 error:` says less than the diagnostic under it.
  const diagnostic = head.endsWith(':') ? diagnosticUnder(lines) : undefined;
  if (diagnostic !== undefined) return { message: diagnostic, title: diagnostic, frames: lines };
  const vite = VITE_PREFIX.exec(head);
  if (vite !== null) {
    // Vite reports one problem for the browser's request and again for SSR: the same error, under two wrappers.
    const title = head.slice(vite[0].length).replace(VITE_WRAPPER, '');
    return { message: title, title, frames: lines };
  }
  // Django's documented "verbose" format puts the time after the level: `ERROR 2026-12-02 12:40:04,783 views …`.
  // PHP: `[Wed Dec  2 18:32:49 2026] PHP Fatal error:  Uncaught Exception: boom in /app/x.php:2`.
  // Rails: `RuntimeError (boom):`, without its colon.
  const title = head
    .replace(PHP_PREFIX, '')
    .replace(LOWER_PREFIX, '')
    .replace(LINE_PREFIX, '')
    .replace(LEADING_TIME, '')
    .replace(MODULE_PROCESS_THREAD, '$1 ')
    .replace(RAILS_COLON, '$1');
  return { message: title, title, frames: lines };
}

/** The first esbuild or oxc diagnostic in `lines`, with oxc's location (`╭─[ src/a.ts:5:11 ]`) after it. */
function diagnosticUnder(lines: readonly string[]): string | undefined {
  const at = lines.findIndex((l) => VITE_DIAGNOSTIC.test(l));
  if (at === -1) return undefined;
  const location = OXC_LOCATION.exec(lines[at + 1] ?? '');
  return location === null ? lines[at] : `${lines[at]} (${location[1]})`;
}

/** A JSON log line's message, with the error it carries (pino's and bunyan's `err`, winston's `error`). */
function structuredTitle(head: string): Omit<FoundException, 'frames'> | undefined {
  const line = parseStructuredLine(head);
  if (line?.message === undefined) return undefined;
  const err = line.fields.find(([key]) => key === 'err' || key === 'error')?.[1];
  let type: string | undefined;
  let errMessage: string | undefined;
  if (err !== undefined) {
    try {
      const value = JSON.parse(err) as { type?: unknown; name?: unknown; message?: unknown };
      type = typeof value.type === 'string' ? value.type : typeof value.name === 'string' ? value.name : undefined;
      errMessage = typeof value.message === 'string' ? value.message : undefined;
    } catch {
      errMessage = err; // a plain string: `"error":"connection refused"`
    }
  }
  // Fastify logs the error's own message as the line's: `Widget lookup failed — Error: Widget lookup failed` says it twice.
  if (errMessage !== undefined && errMessage === line.message)
    return { type, message: errMessage, title: type === undefined ? errMessage : `${type}: ${errMessage}` };
  const cause = errMessage === undefined ? '' : ` — ${type === undefined ? '' : `${type}: `}${errMessage}`;
  return { type, message: line.message, title: `${line.message}${cause}` };
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HEX = /\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi;
const ISO_TIME = /\d{4}-\d\d-\d\dT?[\d:.]*(?:Z|[+-]\d\d:?\d\d)?/g;
const NUMBER = /\d+(?:\.\d+)?/g;
// Temporary folders: /tmp/x, /var/folders/…/T/x (macOS), C:\Users\u\AppData\Local\Temp\x, pytest's.
const TEMP_DIR =
  /(?:\/tmp\/pytest-of-[^/]+\/pytest-\d+|(?:\/private)?\/var\/folders\/[^/]+\/[^/]+\/T|\/tmp|[A-Za-z]:[\\/]Users[\\/][^\\/]+[\\/]AppData[\\/]Local[\\/]Temp)[\\/][^\\/\s'"]+/gi;

/** Text with what changes from one occurrence to the next (ids, addresses, numbers, temp folders) replaced. */
export function normalizeText(text: string): string {
  return text
    .replace(TEMP_DIR, '<tmp>')
    .replace(UUID, '<uuid>')
    .replace(HEX, '<hex>')
    .replace(ISO_TIME, '<time>')
    .replace(NUMBER, '<n>')
    .trim();
}

/** A frame's file as the same file on every run: no temp folder, `/` separators, no `file://`. */
export function normalizePath(file: string): string {
  return file
    .replace(/^file:\/\//, '')
    .replace(TEMP_DIR, '<tmp>')
    .replaceAll('\\', '/');
}

/** Closures and lambdas renumber (`main.func1`, `lambda$main$0`), Rust adds a hash (`::h1a2b…`). */
function normalizeFunction(fn: string | undefined): string {
  return fn === undefined ? '' : fn.replace(/::h[0-9a-f]{16}$/, '').replace(/\d+/g, '<n>');
}

function hash(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}
