import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  ExportFilter,
  ExportFormat,
  HistoryStats,
  LineQuery,
  RunEnd,
  RunErrorRecord,
  RunHistory,
  RunStart,
  RunSummary,
} from '../shared/historyApi';
import type { LogLine } from '../shared/protocol';
import { type CallKind, type RetentionPolicy, type StoreCalls, type StoreTarget, WARM_UP_RUN_ID, type WorkerOpenOptions } from './messages';
import { lineBatchChars } from './lineBatch';
import { PendingBatch } from './pendingBatch';
import { DEFAULT_RETENTION } from './retention';
import { WorkerClient } from './workerClient';

/** Options of `openHistoryStore`. */
export interface HistoryStoreOptions {
  /** Storage directory (created if missing). */
  dir: string;
  /** Database file name in `dir`; default `history.sqlite`. */
  fileName?: string;
  /** Default: 20 runs per preview, 50 MiB, runs trimmed to no fewer than their newest 50 000 lines. */
  retention?: Partial<RetentionPolicy>;
  /** How often the database is written while lines flow; default 1000 ms. */
  persistIntervalMs?: number;
  /** The bundled worker; default `storeWorker.js` beside this bundle (dist/). */
  workerPath?: string;
  /** sql-wasm.wasm; default beside the worker, else the one in node_modules/sql.js. */
  wasmPath?: string;
  /** Lines pending on the main thread that trigger a batch at once; default 4000. */
  batchLines?: number;
  /** Longest a line waits on the main thread before its batch is posted; default 50 ms. */
  batchDelayMs?: number;
  /**
   * Characters of line text and timestamps sent to the worker and not yet stored past which
   * `append` returns false; default 8 Mi (about a second of a flood). Bounds the memory a flood
   * can queue and the lines a crash can lose.
   */
  maxBacklogChars?: number;
  /** Messages for the user (quarantined file, file in use by another window, save failures). */
  onNotice?: (message: string) => void;
  /**
   * Have the worker run its append path's JavaScript over made-up lines once it is open, so the
   * first burst of lines meets optimized code (warmUpBatchPath). For a store kept open for long
   * (the CLI, the extension): closing then waits until ~300 ms have passed since.
   */
  warmUp?: boolean;
}

/** The sql.js history: a RunHistory whose database lives in a worker thread. */
export interface HistoryStore extends RunHistory {
  /** The database file in use (it can change if another host takes over the lock). */
  readonly file: string;
  /** True when nothing is written to disk: history is kept in memory for this session only. */
  readonly readonly: boolean;
  warmUpAppend(lines: readonly LogLine[]): void;
  stats(): HistoryStats;
}

const DEFAULT_FILE = 'history.sqlite';
const DEFAULT_PERSIST_MS = 1000;
const DEFAULT_BATCH_LINES = 4000;
const DEFAULT_BATCH_DELAY_MS = 50;
const DEFAULT_MAX_BACKLOG_CHARS = 8 * 1024 * 1024;
/**
 * The worker's young generation, at most (V8's default grows it to 48 MiB). What the worker
 * allocates is short-lived (a batch's strings, a chunk's buffers), so a small one is reused while
 * still in memory, where a large one takes fresh pages as it grows: in a 200 000-line flood, ~900
 * page faults in the worker against ~2 400 (each ~11 µs on the project's VM).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * Starts the store worker and opens the history in `options.dir`. Unusable files are quarantined
 * and a file in use by another host leads to a fallback file, both reported via `onNotice`;
 * rejects only when the worker or sql.js itself can't start (the host then runs without history).
 */
export async function openHistoryStore(options: HistoryStoreOptions): Promise<HistoryStore> {
  const open = resolveOptions(options);
  const workerPath = path.resolve(options.workerPath ?? path.join(__dirname, 'storeWorker.js'));
  if (!fs.existsSync(workerPath)) {
    throw new Error(`history store worker not found at ${workerPath}: build it (npm run build) or pass workerPath`);
  }
  open.wasmCandidates = wasmCandidates(workerPath, options.wasmPath);
  const store = new WorkerHistoryStore(
    new Worker(workerPath, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } }),
    workerPath,
    options,
  );
  try {
    await store.open(open);
  } catch (error) {
    await store.dispose().catch(() => {});
    throw error;
  }
  return store;
}

class WorkerHistoryStore implements HistoryStore {
  private readonly client: WorkerClient;
  private readonly batch: PendingBatch;
  private target: StoreTarget = { file: '', readonly: true };
  private disposing: Promise<void> | undefined;
  private failed = false;
  private readonly notify: (message: string) => void;
  private readonly maxBacklogChars: number;
  private backlogChars = 0; // posted to the worker, not yet handled there
  private drainWaiters: (() => void)[] = [];
  private persists = 0;
  private lastPersist: HistoryStats['lastPersist'] = null;
  private slowestPersist: HistoryStats['slowestPersist'] = null;

  constructor(worker: Worker, workerPath: string, options: HistoryStoreOptions) {
    this.notify = options.onNotice ?? (() => {});
    this.maxBacklogChars = options.maxBacklogChars ?? DEFAULT_MAX_BACKLOG_CHARS;
    this.client = new WorkerClient(worker, workerPath, {
      onNotice: (message) => this.notify(message),
      onTarget: (target) => (this.target = target),
      onAppended: (chars) => {
        this.backlogChars -= chars;
        this.releaseIfDrained();
      },
      onPersisted: (bytes, ms) => {
        this.persists++;
        this.lastPersist = { bytes, ms };
        if (ms > (this.slowestPersist?.ms ?? -1)) this.slowestPersist = { bytes, ms };
      },
      onFailure: (error) => {
        this.failed = true;
        this.releaseIfDrained();
        this.notify(`History stopped saving lines: ${error.message}`);
      },
    });
    this.batch = new PendingBatch(
      (batch, transfer) => {
        if (this.client.post({ type: 'append', batch }, transfer)) this.backlogChars += lineBatchChars(batch);
      },
      options.batchLines ?? DEFAULT_BATCH_LINES,
      options.batchDelayMs ?? DEFAULT_BATCH_DELAY_MS,
    );
  }

  get file(): string {
    return this.target.file;
  }

  get readonly(): boolean {
    return this.target.readonly;
  }

  async open(options: WorkerOpenOptions): Promise<void> {
    this.target = await this.client.call('open', options);
  }

  beginRun(run: RunStart): Promise<number> {
    return this.call('beginRun', run);
  }

  append(runId: number, lines: readonly LogLine[]): boolean {
    if (this.disposing) return true;
    this.batch.add(runId, lines);
    return this.backlogChars < this.maxBacklogChars;
  }

  warmUpAppend(lines: readonly LogLine[]): void {
    if (!this.disposing) this.batch.add(WARM_UP_RUN_ID, lines);
  }

  whenDrained(): Promise<void> {
    if (this.drained()) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  endRun(runId: number, end: RunEnd): Promise<void> {
    return this.call('endRun', { runId, end });
  }

  readLines(runId: number, query: LineQuery): Promise<LogLine[]> {
    return this.call('readLines', { runId, query });
  }

  listRuns(): Promise<RunSummary[]> {
    return this.call('listRuns', null);
  }

  exportRun(runId: number, format: ExportFormat, filter?: ExportFilter): Promise<string> {
    return this.call('exportRun', { runId, format, filter });
  }

  putRunErrors(runId: number, errors: readonly RunErrorRecord[]): Promise<void> {
    return this.call('putRunErrors', { runId, errors });
  }

  readRunErrors(runId: number): Promise<RunErrorRecord[]> {
    return this.call('readRunErrors', { runId });
  }

  seenFingerprints(previewName: string, beforeRunId: number): Promise<string[]> {
    return this.call('seenFingerprints', { previewName, beforeRunId });
  }

  flush(): Promise<void> {
    return this.call('flush', null);
  }

  stats(): HistoryStats {
    const { backlogChars, persists, lastPersist, slowestPersist } = this;
    return { backlogChars, persists, lastPersist, slowestPersist };
  }

  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      this.batch.drain();
      this.batch.dispose();
      this.releaseIfDrained();
      try {
        await this.client.call('close', null);
      } catch (error) {
        this.notify(`History could not be saved on close: ${(error as Error).message}`);
      } finally {
        await this.client.terminate();
      }
    })();
    return this.disposing;
  }

  // A failed or closing store holds no one up: what it can't take is reported, not waited for.
  private drained(): boolean {
    return this.failed || this.disposing !== undefined || this.backlogChars <= this.maxBacklogChars / 2;
  }

  private releaseIfDrained(): void {
    if (this.drainWaiters.length === 0 || !this.drained()) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    waiters.forEach((resolve) => resolve());
  }

  // Pending lines go first, so the worker (which answers in order) sees them before this call.
  private call<K extends CallKind>(kind: K, args: StoreCalls[K]['args']): Promise<StoreCalls[K]['result']> {
    if (this.disposing) return Promise.reject(new Error(`history store is disposed (${kind} called)`));
    this.batch.drain();
    return this.client.call(kind, args);
  }
}

function resolveOptions(options: HistoryStoreOptions): WorkerOpenOptions {
  if (typeof options?.dir !== 'string' || options.dir === '') {
    throw new TypeError(`openHistoryStore: dir must be a non-empty path, got ${JSON.stringify(options?.dir)}`);
  }
  const fileName = options.fileName ?? DEFAULT_FILE;
  if (fileName === '' || fileName !== path.basename(fileName) || fileName.startsWith('.')) {
    throw new TypeError(`openHistoryStore: fileName must be a plain file name, got ${JSON.stringify(fileName)}`);
  }
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  checkPositiveInteger('retention.maxRunsPerPreview', retention.maxRunsPerPreview);
  checkPositiveInteger('retention.maxBytes', retention.maxBytes);
  checkPositiveInteger('retention.minLinesPerRun', retention.minLinesPerRun);
  const persistIntervalMs = options.persistIntervalMs ?? DEFAULT_PERSIST_MS;
  checkPositiveInteger('persistIntervalMs', persistIntervalMs);
  if (options.batchLines !== undefined) checkPositiveInteger('batchLines', options.batchLines);
  if (options.batchDelayMs !== undefined) checkPositiveInteger('batchDelayMs', options.batchDelayMs);
  if (options.maxBacklogChars !== undefined) checkPositiveInteger('maxBacklogChars', options.maxBacklogChars);
  return {
    dir: path.resolve(options.dir),
    fileName,
    retention,
    persistIntervalMs,
    wasmCandidates: [],
    warmUpBatches: options.warmUp === true,
  };
}

function checkPositiveInteger(name: string, value: unknown): void {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new RangeError(`openHistoryStore: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
}

// Bundle: dist/sql-wasm.wasm beside dist/storeWorker.js. Sources and tests: node_modules/sql.js.
function wasmCandidates(workerPath: string, explicit: string | undefined): string[] {
  const candidates = explicit ? [path.resolve(explicit)] : [];
  candidates.push(path.join(path.dirname(workerPath), 'sql-wasm.wasm'));
  try {
    candidates.push(require.resolve('sql.js/dist/sql-wasm.wasm'));
  } catch {
    // Not installed beside this bundle (a packaged extension ships only dist/).
  }
  return candidates;
}
