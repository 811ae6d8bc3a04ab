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
  /**
   * The seq of the first line of the entry this line continues (a traceback's frames point at its
   * `Traceback …` or logger head). Absent on a line that starts an entry, alone or as its head.
   * An entry's level is the most severe level among its lines.
   */
  entrySeq?: number;
}

export type PreviewState = 'starting' | 'ready' | 'restarting' | 'exited' | 'stopped' | 'failed';

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
  /**
   * For `ready`: the URL the app really serves on — the one it printed while starting (Vite's
   * `Local: http://localhost:5173/`), else the chosen port's address that answered.
   */
  appUrl?: string;
  /** For `restarting` (restart policy `on-failure`): which attempt comes next, and after how long. */
  attempt?: number;
  delayMs?: number;
}

/**
 * `event: partial` (sent without `id:`, so a reconnect resumes before it): the unfinished last line
 * of one stream, once it has had no newline for 200 ms (a prompt such as `Use another? (Y/n) `).
 * A newer partial of the same stream replaces it; the next `log` line of that stream is the same
 * line finished and supersedes it. Partials are never stored: the finished line is.
 */
export interface PartialLine {
  stream: StreamName;
  /** ISO-8601 time the host showed it. */
  ts: string;
  level: LogLevel;
  /** ANSI escapes kept, as in `LogLine.text`. */
  text: string;
  /** The seq the line will get when finished, if no other line comes first (a hint only). */
  seq: number;
}

/** `event: gap`: lines `from`..`to` (inclusive) are not available to this client. Never silent. */
export interface GapEvent {
  from: number;
  to: number;
  count: number;
}

/** `GET /api/runs/:id/errors` items: one per distinct error (fingerprint) of the run. */
export interface ErrorSummary {
  /** Exception type plus innermost user frame, numbers, addresses and ids normalised; stable across runs. */
  fingerprint: string;
  /** e.g. `ZeroDivisionError: division by zero`. */
  title: string;
  /** Occurrences (entries) in this run. */
  count: number;
  firstSeq: number;
  lastSeq: number;
  /** No earlier run of the same preview (same name) had this fingerprint. */
  new: boolean;
}

/** `GET /api/runs/:id/requests` items: one per access-log line. */
export interface RequestRecord {
  seq: number;
  ts: string;
  method: string;
  path: string;
  status: number;
  /** When the access-log format carries it. */
  durationMs?: number;
}

/** `GET /api/previews` items. */
export interface PreviewInfo {
  id: string;
  name: string;
  command: string[];
  /** The command as the user wrote it (a setting's command line) or as detection chose it. */
  displayCommand: string;
  cwd: string;
  pid: number | null;
  /** The port the host chose for the app (what `{port}` and `PORT` were set to). */
  port: number;
  /** The URL the app really serves on, once known (see `StatusEvent.appUrl`); null before. */
  appUrl: string | null;
  state: PreviewState;
  exitCode: number | null;
  signal: string | null;
  reason: string | null;
  startedAt: string;
  /** Highest seq read so far (0 before the first line). */
  lastSeq: number;
  /** The history run this preview writes (`/api/runs/:id`); absent without history or until the store answered. */
  runId?: number;
}

/** `GET /api/previews/:id/logs` page. */
export interface LogPage {
  lines: LogLine[];
  /** Oldest seq still in the ring (lines before it are only in history, if any). */
  oldestSeq: number;
  lastSeq: number;
  /** Present when lines between `after` and the first returned line are missing. */
  gap?: GapEvent;
  /** The streams' unfinished lines, when they have been shown (see `PartialLine`). */
  partials?: PartialLine[];
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
/**
 * `more`: the response ends here because it carried its `?max=` bytes; reconnect at once with
 * `after` = the last seq received (data `{ "after": N }`, the same seq).
 */
export const SSE_EVENTS = { log: 'log', status: 'status', gap: 'gap', partial: 'partial', more: 'more' } as const;

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

export function isLogLine(value: unknown): value is LogLine {
  const v = value as LogLine;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.seq === 'number' &&
    typeof v.text === 'string' &&
    isLogLevel(v.level) &&
    (v.stream === 'stdout' || v.stream === 'stderr')
  );
}

export function isStatusEvent(value: unknown): value is StatusEvent {
  const v = value as StatusEvent;
  return typeof v === 'object' && v !== null && typeof v.state === 'string';
}

export function isGapEvent(value: unknown): value is GapEvent {
  const v = value as GapEvent;
  return typeof v === 'object' && v !== null && typeof v.from === 'number' && typeof v.to === 'number' && typeof v.count === 'number';
}

export function isPartialLine(value: unknown): value is PartialLine {
  const v = value as PartialLine;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.text === 'string' &&
    typeof v.seq === 'number' &&
    isLogLevel(v.level) &&
    (v.stream === 'stdout' || v.stream === 'stderr')
  );
}

/** The port an app URL names, the scheme's default when it names none; undefined for a bad URL. */
export function portOfUrl(url: string): number | undefined {
  try {
    const u = new URL(url);
    return Number(u.port) || (u.protocol === 'https:' ? 443 : 80);
  } catch {
    return undefined;
  }
}
