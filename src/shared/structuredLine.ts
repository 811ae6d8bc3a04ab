/**
 * Structured log lines: one JSON object per line (pino, bunyan, winston, structlog, Go slog, zap,
 * ECS) or logfmt (logrus, slog's TextHandler, go-kit). Browser-safe and pure: the host takes a
 * line's level from its structured field, the panel shows level, time and message first and the
 * other fields as chips. Every function takes ANSI-free text.
 */
import type { LogLevel } from './protocol';

export interface StructuredLine {
  format: 'json' | 'logfmt';
  level?: LogLevel;
  /** The level as the line wrote it (`30`, `warn`, `ERROR+2`). */
  levelText?: string;
  /** As written, except a number (epoch ms or s), which becomes ISO-8601. */
  time?: string;
  message?: string;
  /** The other fields in line order; values that aren't strings as JSON (`3`, `true`, `{"a":1}`). */
  fields: [string, string][];
}

/** Level names as loggers spell them, lower-cased: `WARNING`, `warn`, `crit`, `silly`, `fatal`. */
export const LEVEL_WORDS: Record<string, LogLevel | undefined> = {
  panic: 'ERROR',
  dpanic: 'ERROR',
  fatal: 'ERROR',
  severe: 'ERROR',
  critical: 'ERROR',
  crit: 'ERROR',
  emerg: 'ERROR',
  emergency: 'ERROR',
  alert: 'ERROR',
  error: 'ERROR',
  err: 'ERROR',
  exception: 'ERROR',
  warning: 'WARN',
  warn: 'WARN',
  notice: 'INFO',
  info: 'INFO',
  informational: 'INFO',
  http: 'INFO',
  verbose: 'DEBUG',
  debug: 'DEBUG',
  silly: 'DEBUG',
  trace: 'DEBUG',
};

/** pino/bunyan numbers: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
export function numericLevel(n: number): LogLevel {
  return n >= 50 ? 'ERROR' : n >= 40 ? 'WARN' : n >= 30 ? 'INFO' : 'DEBUG';
}

/** A level as written, number or word (slog's `ERROR+2`, `WARN-4` count as their word); undefined if unknown. */
export function levelOfValue(value: unknown): LogLevel | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? numericLevel(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = LEVEL_VALUE.exec(value);
  if (m === null) return undefined;
  return m[1] !== undefined ? numericLevel(Number(m[1])) : LEVEL_WORDS[m[2].toLowerCase()];
}
const LEVEL_VALUE = /^\s*(?:(\d+)|([A-Za-z]+)(?:[+-]\d+)?)\s*$/;

const LEVEL_KEYS = ['level', 'severity', 'lvl', 'levelname', 'loglevel', 'log.level', '@level'];
const TIME_KEYS = ['time', 'timestamp', 'ts', '@timestamp', 't', 'asctime', 'datetime'];
const MESSAGE_KEYS = ['msg', 'message', 'event', '@message', '@m'];

/**
 * The line as a structured record, or undefined when it is neither a JSON object nor logfmt with a
 * level, message or time key (so `{"a":1}` and `port=3000 host=x` stay plain text).
 */
export function parseStructuredLine(plain: string): StructuredLine | undefined {
  const text = plain.trim();
  if (text.charCodeAt(0) === 123 /* { */) return text.endsWith('}') ? parseJson(text) : undefined;
  return LOGFMT_START.test(text) ? parseLogfmt(text) : undefined;
}

function parseJson(text: string): StructuredLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return fromEntries('json', Object.entries(value as Record<string, unknown>));
}

function fromEntries(format: StructuredLine['format'], entries: [string, unknown][]): StructuredLine | undefined {
  const out: StructuredLine = { format, fields: [] };
  let known = false;
  for (const [key, value] of entries) {
    const lower = key.toLowerCase();
    if (out.levelText === undefined && LEVEL_KEYS.includes(lower) && (typeof value === 'string' || typeof value === 'number')) {
      out.levelText = String(value);
      out.level = levelOfValue(value);
      known = true;
    } else if (out.time === undefined && TIME_KEYS.includes(lower) && (typeof value === 'string' || typeof value === 'number')) {
      out.time = typeof value === 'number' ? epochToIso(value) : value;
      known = true;
    } else if (out.message === undefined && MESSAGE_KEYS.includes(lower) && typeof value === 'string') {
      out.message = value;
      known = true;
    } else {
      out.fields.push([key, typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))]);
    }
  }
  return known ? out : undefined;
}

/** pino's epoch milliseconds, zap's epoch seconds (with a fraction); kept as written when out of range. */
function epochToIso(n: number): string {
  const ms = n > 1e11 ? n : n * 1000;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(n) : date.toISOString();
}

// logfmt: `key=value` pairs, a value bare or double-quoted with backslash escapes; a line must
// start with one to be tried.
const LOGFMT_START = /^[\w.@/-]+=/;
const LOGFMT_PAIR = /\s*([\w.@/-]+)=("(?:[^"\\]|\\.)*"|[^\s"]*)(?=\s|$)/y;

function parseLogfmt(text: string): StructuredLine | undefined {
  const entries: [string, unknown][] = [];
  LOGFMT_PAIR.lastIndex = 0;
  while (LOGFMT_PAIR.lastIndex < text.length) {
    const m = LOGFMT_PAIR.exec(text);
    if (m === null || m[0].length === 0) return undefined;
    const raw = m[2] ?? 'true';
    entries.push([m[1], raw.startsWith('"') ? unquote(raw) : raw]);
  }
  if (entries.length < 2) return undefined;
  return fromEntries('logfmt', entries);
}

function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1).replace(/\\(.)/g, '$1');
  }
}

/**
 * A structured line's level without parsing all of it (the host's hot path): the first
 * `"level":`/`"severity":` of a JSON line, `level=` of a logfmt line. Undefined for other lines,
 * and for structured lines whose level is missing or unknown.
 */
export function structuredLevel(plain: string): LogLevel | undefined {
  const first = plain.charCodeAt(0);
  if (first === 123 /* { */) return jsonLevelField(plain);
  if (first === 32 || first === 9 || !plain.includes('=')) return undefined;
  if (!LOGFMT_START.test(plain)) return undefined;
  const m = LOGFMT_LEVEL.exec(plain);
  return m === null ? undefined : levelOfValue(m[1]);
}
const LOGFMT_LEVEL = /(?:^|\s)(?:level|lvl|severity)="?([A-Za-z]+(?:[+-]\d+)?|\d+)(?=[\s"]|$)/;

function jsonLevelField(plain: string): LogLevel | undefined {
  for (const key of JSON_LEVEL_KEYS) {
    const at = plain.indexOf(key);
    if (at === -1) continue;
    const m = JSON_LEVEL_VALUE.exec(plain.slice(at + key.length, at + key.length + 40));
    if (m !== null) return levelOfValue(m[1] !== undefined ? Number(m[1]) : m[2]);
  }
  return undefined;
}
const JSON_LEVEL_KEYS = ['"level"', '"severity"', '"levelname"', '"lvl"'];
const JSON_LEVEL_VALUE = /^\s*:\s*(?:(\d+)|"([A-Za-z]+(?:[+-]\d+)?)")/;
