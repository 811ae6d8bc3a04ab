import type { LogLine, LogLevel } from '../shared/protocol';

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

export interface RunSummary extends RunStart {
  id: number;
  endedAt: string | null;
  exitCode: number | null;
  signal: string | null;
  abnormal: boolean;
  lineCount: number;
}

export interface LineQuery {
  /** Lines with seq > after. */
  after?: number;
  limit?: number;
  levels?: LogLevel[];
  /** Plain substring search on the text. */
  q?: string;
}

/**
 * The seam between the host and the sql.js store (src/store/). The host runs without one.
 * `append` is fire-and-forget on the hot path: the store batches and persists off the main thread.
 */
export interface RunHistory {
  beginRun(run: RunStart): Promise<number>;
  append(runId: number, lines: readonly LogLine[]): void;
  endRun(runId: number, end: RunEnd): Promise<void>;
  /** Lines of a run in seq order, including ones appended but not yet persisted. */
  readLines(runId: number, query: LineQuery): Promise<LogLine[]>;
  listRuns(): Promise<RunSummary[]>;
  /** Writes everything appended so far to disk. */
  flush(): Promise<void>;
  dispose(): Promise<void>;
}
