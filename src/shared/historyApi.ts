import type { LogLevel, LogLine } from './protocol';

// The run history's API shapes: what the host asks of the store (src/store implements
// `RunHistory`) and what the history routes serve. Here, not in src/host, so the store depends on
// the protocol and not on the host.

/** `readLines` page size when the query gives none (also `GET …/logs` without `limit`). */
export const DEFAULT_PAGE = 1000;
/** Largest page one read returns: the store caps larger limits, the routes reject them. */
export const MAX_PAGE = 10_000;

/** What the host tells the history store when a run starts. */
export interface RunStart {
  previewName: string;
  command: string[];
  cwd: string;
  port: number;
  /** ISO-8601 */
  startedAt: string;
}

/** How a run ended; `abnormal` marks a run whose host died without ending it. */
export interface RunEnd {
  endedAt: string;
  exitCode: number | null;
  signal: string | null;
  abnormal?: boolean;
}

/** A run as listed by the store: what started it, how it ended, how many lines it holds. */
export interface RunSummary extends RunStart {
  id: number;
  endedAt: string | null;
  exitCode: number | null;
  signal: string | null;
  abnormal: boolean;
  lineCount: number;
}

/** A page of a run's lines: seq after a cursor, optionally filtered by level and text. */
export interface LineQuery {
  /** Lines with seq > after. */
  after?: number;
  /** Page size: default DEFAULT_PAGE, values above MAX_PAGE are capped (page on with `after`). */
  limit?: number;
  levels?: LogLevel[];
  /** Plain substring search on the text. */
  q?: string;
  /**
   * Lines with seq < before, the newest `limit` of them (still returned in seq order): scrolling
   * back. Combines with `after` as a range.
   */
  before?: number;
}

/** What `exportRun` writes: the lines a LineQuery's filters select, within an inclusive seq range. */
export interface ExportFilter {
  levels?: LogLevel[];
  q?: string;
  /** First and last seq to export (inclusive); default: the whole run. */
  from?: number;
  to?: number;
}

/** One distinct error of a run, as the host stores it at the run's end (see ErrorSummary). */
export interface RunErrorRecord {
  fingerprint: string;
  title: string;
  count: number;
  firstSeq: number;
  lastSeq: number;
}

/** `text`: one `ts LEVEL text` line per log line, ANSI removed; `jsonl`: one LogLine JSON per line. */
export type ExportFormat = 'text' | 'jsonl';

/** What `GET /api/stats` shows of the store: its queue and its writes of the database file. */
export interface HistoryStats {
  /** Characters of lines queued for the store and not yet stored. */
  backlogChars: number;
  /** Writes of the whole database file so far (export, write, fsync, rename). */
  persists: number;
  lastPersist: { bytes: number; ms: number } | null;
  /** The longest of those writes, and the size it wrote. */
  slowestPersist: { bytes: number; ms: number } | null;
}

/**
 * The seam between the host and the sql.js store (src/store/), which implements it; the host runs
 * without one. `append` is fire-and-forget on the hot path: the store batches and persists off the
 * main thread.
 */
export interface RunHistory {
  beginRun(run: RunStart): Promise<number>;
  /**
   * Queues lines for storing. Returns false once the lines queued but not yet stored pass the
   * store's bound, as a stream's `write()` does: the caller should stop reading until `whenDrained`.
   */
  append(runId: number, lines: readonly LogLine[]): boolean;
  /**
   * Runs lines through `append`'s path on the caller's thread and drops them, stored nowhere: the
   * host's line warm-up (warmUpLinePath.ts) calls it so that path is compiled before a preview's
   * first burst of output.
   */
  warmUpAppend?(lines: readonly LogLine[]): void;
  /** Resolves when the queue is back under half its bound (at once if it is, or if the store failed). */
  whenDrained(): Promise<void>;
  endRun(runId: number, end: RunEnd): Promise<void>;
  /** Lines of a run in seq order, including ones appended but not yet persisted. */
  readLines(runId: number, query: LineQuery): Promise<LogLine[]>;
  listRuns(): Promise<RunSummary[]>;
  /** The run (or what `filter` selects of it) as one string, for `GET /api/runs/:id/export`. */
  exportRun(runId: number, format: ExportFormat, filter?: ExportFilter): Promise<string>;
  /** Replaces the distinct errors recorded for a run (the host writes them as they change and at its end). */
  putRunErrors?(runId: number, errors: readonly RunErrorRecord[]): Promise<void>;
  /** The errors recorded for a run; empty for an unknown run. */
  readRunErrors?(runId: number): Promise<RunErrorRecord[]>;
  /** Fingerprints recorded by runs of `previewName` older than `beforeRunId`. */
  seenFingerprints?(previewName: string, beforeRunId: number): Promise<string[]>;
  /** Writes everything appended so far to disk. */
  flush(): Promise<void>;
  stats?(): HistoryStats;
  dispose(): Promise<void>;
}
