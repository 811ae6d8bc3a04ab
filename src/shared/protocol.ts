/**
 * The one typed protocol every side imports: the host's SSE stream and JSON API, the CLI's
 * `--json` banner, and (later) the webview's messages. Browser-safe: no Node or vscode imports.
 */

export const LOG_LEVELS = ['ERROR', 'WARN', 'INFO', 'DEBUG'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type StreamName = 'stdout' | 'stderr';

/** One line of a preview's output, as sent in `event: log` (`id:` is `seq`). */
export interface LogLine {
  /** 1-based, no holes within a run. */
  seq: number;
  /** ISO-8601 time the host read the line. */
  ts: string;
  level: LogLevel;
  stream: StreamName;
  /** Newline removed, ANSI escapes kept. */
  text: string;
}

export type PreviewState = 'starting' | 'ready' | 'exited' | 'stopped' | 'failed';

/** `event: status`: every state move of a preview. */
export interface StatusEvent {
  state: PreviewState;
  /** For `exited`: the child's exit code, or null when a signal ended it. */
  exitCode?: number | null;
  signal?: string | null;
  /** For `failed`: what went wrong, in words a user can act on. */
  reason?: string;
  /** ISO-8601. */
  ts: string;
}

/** `event: gap`: lines `from`..`to` (inclusive) are not available to this client. Never silent. */
export interface GapEvent {
  from: number;
  to: number;
  count: number;
}

/** `GET /api/previews` items. */
export interface PreviewInfo {
  id: string;
  name: string;
  command: string[];
  cwd: string;
  pid: number | null;
  /** The app's port (what `{port}` and `PORT` were set to). */
  port: number;
  state: PreviewState;
  exitCode: number | null;
  signal: string | null;
  reason: string | null;
  startedAt: string;
  /** Highest seq read so far (0 before the first line). */
  lastSeq: number;
}

/** `GET /api/previews/:id/logs` page. */
export interface LogPage {
  lines: LogLine[];
  /** Oldest seq still in the ring (lines before it are only in history, if any). */
  oldestSeq: number;
  lastSeq: number;
  /** Present when lines between `after` and the first returned line are missing. */
  gap?: GapEvent;
}

/** The first stdout line of `preview-host run --json`. */
export interface CliBanner {
  /** Full SSE stream URL of this preview, token included: usable as is. */
  url: string;
  token: string;
  previewId: string;
  /** The app's port. */
  port: number;
  /** e.g. http://127.0.0.1:PORT/api */
  apiBase: string;
  /** The terminal page for browsers (token included). */
  pageUrl: string;
  pid: number | null;
}

/** Every SSE event name the stream uses. */
export const SSE_EVENTS = { log: 'log', status: 'status', gap: 'gap' } as const;

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

export function isLogLine(value: unknown): value is LogLine {
  const v = value as LogLine;
  return (
    typeof v === 'object' && v !== null && typeof v.seq === 'number' && typeof v.text === 'string' &&
    isLogLevel(v.level) && (v.stream === 'stdout' || v.stream === 'stderr')
  );
}

export function isStatusEvent(value: unknown): value is StatusEvent {
  const v = value as StatusEvent;
  return typeof v === 'object' && v !== null && typeof v.state === 'string';
}

export function isGapEvent(value: unknown): value is GapEvent {
  const v = value as GapEvent;
  return typeof v === 'object' && v !== null && typeof v.from === 'number' && typeof v.to === 'number' &&
    typeof v.count === 'number';
}
