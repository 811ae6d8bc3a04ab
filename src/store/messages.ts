/**
 * The typed protocol between the main-thread proxy (historyStore.ts) and the store worker
 * (worker.ts). Calls get exactly one reply, in the order they were posted; appends get none.
 */
import type { LogLine } from '../shared/protocol';
import type { ExportFilter, ExportFormat, LineQuery, RunEnd, RunErrorRecord, RunStart, RunSummary } from '../shared/historyApi';
import type { LineBatch } from './lineBatch';

/**
 * The run id of the lines `warmUpAppend` sends: they go through the main thread's batching and the
 * post like any, and the worker drops them. SQLite gives runs ids from 1.
 */
export const WARM_UP_RUN_ID = 0;

/** Which runs the store keeps; the running runs are never deleted. */
export interface RetentionPolicy {
  maxRunsPerPreview: number;
  /** Cap on the database file size (bytes). */
  maxBytes: number;
  /**
   * Newest lines of a kept run (running, or its preview's latest) that the size cap never trims;
   * default 50 000, what the host's ring holds.
   */
  minLinesPerRun: number;
}

/** What the worker needs to open the database. */
export interface WorkerOpenOptions {
  dir: string;
  fileName: string;
  retention: RetentionPolicy;
  persistIntervalMs: number;
  /** Where sql-wasm.wasm may be, best first; the worker takes the first that exists. */
  wasmCandidates: string[];
  /** Also warm the JavaScript of the append path after opening (see warmUpBatchPath). */
  warmUpBatches?: boolean;
}

/** Which file the store ended up writing, and whether it writes at all. */
export interface StoreTarget {
  /** The database file in use (absolute); for a read-only store, the file it read, if any. */
  file: string;
  /** True when nothing is written to disk (history lives in memory for this session only). */
  readonly: boolean;
}

// Defined beside the batch that carries it (lineBatch.ts imports nothing from here: no cycle).
export type { AppendSegment } from './lineBatch';

/** Each call the worker answers: its arguments and the value of its reply. */
export interface StoreCalls {
  open: { args: WorkerOpenOptions; result: StoreTarget };
  beginRun: { args: RunStart; result: number };
  endRun: { args: { runId: number; end: RunEnd }; result: void };
  readLines: { args: { runId: number; query: LineQuery }; result: LogLine[] };
  listRuns: { args: null; result: RunSummary[] };
  exportRun: { args: { runId: number; format: ExportFormat; filter?: ExportFilter }; result: string };
  putRunErrors: { args: { runId: number; errors: readonly RunErrorRecord[] }; result: void };
  readRunErrors: { args: { runId: number }; result: RunErrorRecord[] };
  seenFingerprints: { args: { previewName: string; beforeRunId: number }; result: string[] };
  flush: { args: null; result: void };
  close: { args: null; result: void };
}

export type CallKind = keyof StoreCalls;

/** A call posted to the worker. */
export type CallMessage = {
  [K in CallKind]: { type: 'call'; id: number; kind: K; args: StoreCalls[K]['args'] };
}[CallKind];

/** One batch of lines; fire-and-forget, so the hot path never waits for the worker. */
export interface AppendMessage {
  type: 'append';
  batch: LineBatch;
}

export type WorkerRequest = CallMessage | AppendMessage;

/** What the worker posts back: replies to calls, notices for the user, and target changes. */
export type WorkerEvent =
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'notice'; message: string }
  /** An append message was handled (stored or not); `chars` as counted by `lineBatchChars`. */
  | { type: 'appended'; chars: number }
  /** The database file was written: its size, and how long export + atomic write took. */
  | { type: 'persisted'; bytes: number; ms: number }
  | { type: 'target'; target: StoreTarget };
