/**
 * An error entry's identity across runs (issue 11): its fingerprint — the exception type plus the
 * innermost frame of the user's own code, with numbers, addresses, ids and temporary folders
 * normalised — and a title such as `ZeroDivisionError: division by zero`.
 */
import { createHash } from 'node:crypto';
import { innermostUserFrame } from '../shared/stackFrames';

export interface ErrorIdentity {
  fingerprint: string;
  title: string;
}

const MAX_TITLE = 300;
const TRACEBACK = 'Traceback (most recent call last):';
const PYTHON_CHAIN = /^(?:During handling of the above exception|The above exception was the direct cause)/;
// `ValueError: x`, `json.decoder.JSONDecodeError: x`, `KeyboardInterrupt`, `  | ExceptionGroup: eg (…)`.
const PYTHON_EXCEPTION = /^(?:[ |]*)([A-Za-z_][\w.]*)(?::\s?(.*))?$/;
// Node: `TypeError: x`, `Error [ERR_X]: x`, `Uncaught Error: x`, `(node:1) UnhandledPromiseRejectionWarning: Error: x`.
const NODE_EXCEPTION = /(?:^|: |Uncaught )([A-Z][\w$]*(?:Error|Exception)|Error)(?: \[[\w-]+\])?(?::\s(.*)|$)/;
// JVM: `Exception in thread "main" java.lang.IllegalStateException: x`, `java.lang.ArithmeticException: / by zero`.
const JAVA_EXCEPTION = /^(?:Exception in thread "[^"]*" )?((?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable))(?::\s(.*))?$/;
// Go: `panic: x`, `fatal error: x`, net/http's `… http: panic serving 127.0.0.1:5: x`.
const GO_PANIC = /^(?:panic: |fatal error: |.*?http: panic serving \S+: )(.*?)(?: \[recovered\])?$/;
const RUST_PANIC = /^thread '[^']*'(?: \(\d+\))? panicked at (?:'(.*)', \S+|\S+:)$/;
// A single error line's prefix to leave out of its title: whatever comes before its level word
// (time, pid, logger) within the line's first 60 characters, the level word, and a logger name.
const LINE_PREFIX = /^.{0,60}?\b(?:CRITICAL|FATAL|ERROR|ERRO|WARNING|WARN)\b\]?(?::[\w.]+:|[:\s|\]-]+)\s*/;

/** The identity of an error entry from its ANSI-free lines (head first). */
export function identifyError(lines: readonly string[]): ErrorIdentity {
  const exception = findException(lines);
  const frame = innermostUserFrame(exception.frames);
  const title = exception.title.trim().slice(0, MAX_TITLE) || lines[0].trim().slice(0, MAX_TITLE);
  const key =
    frame === undefined
      ? [exception.type ?? '', normalizeText(exception.type === undefined ? title : exception.message)]
      : [
          exception.type ?? normalizeText(exception.message),
          normalizePath(frame.frame.file ?? ''),
          normalizeFunction(frame.frame.function),
        ];
  return { fingerprint: hash(key.join('\n')), title };
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
  if (lastTraceback !== -1 || /^\s*\+ Exception Group Traceback/.test(lines[0] ?? '')) {
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
      const at = line.indexOf(m[1]);
      return { type: m[1], message: m[2] ?? '', title: line.slice(at), frames: lines.slice(i) };
    }
  }
  const title = lines[0].replace(LINE_PREFIX, '');
  return { message: title, title, frames: lines };
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
