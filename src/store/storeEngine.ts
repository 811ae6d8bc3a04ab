import type { Database, SqlJsStatic } from 'sql.js';
import { type Clock, systemClock } from '../common/clock';
import type { ExportFilter, ExportFormat, LineQuery, RunEnd, RunErrorRecord, RunStart, RunSummary } from '../shared/historyApi';
import type { LogLine } from '../shared/protocol';
import { removeStaleTempFiles, writeFileAtomic } from './atomicWrite';
import { type Claim, claimFallback, claimFile } from './claimFile';
import { checkRunStart, sizeOnDisk } from './engineChecks';
import { exportLines } from './exportFormat';
import { createDatabase, type LoadedDatabase, loadDatabase, removeBackups } from './loadDatabase';
import { loadSqlJs } from './loadSqlJs';
import { type LineBatch, LineBatchWriter, viewsOfLineBatch } from './lineBatch';
import { isRunErrors, JournalWriter, journalIdOf, journalPathOf, renewJournalId } from './journal';
import type { HeldLock } from './lockFile';
import { mergeOrphans } from './mergeOrphans';
import type { SealedChunk } from './chunkWriter';
import { heapList } from './heapList';
import { type AppendSegment, type StoreTarget, WARM_UP_RUN_ID, type WorkerOpenOptions } from './messages';
import { applyRetention, exportSize } from './retention';
import { RunTables } from './runTables';
import { warmUpAppendPath, warmUpBatchPath } from './warmUp';

/** A journal smaller than this never triggers a whole write (small databases are cheap to write anyway). */
const MIN_JOURNAL_BYTES = 4 * 1024 * 1024;

/** What opening the file left to do: persist if changed, then clean up. */
interface Opened {
  changed: boolean;
  afterPersist(): void;
}

/**
 * The database side of the store; lives in the worker thread (worker.ts), so every SQLite call and
 * every write of the database file happens off the host's main thread. Methods are synchronous
 * except `open`; the worker calls them one message at a time.
 */
export class StoreEngine {
  private sql!: SqlJsStatic;
  private db!: Database;
  private tables!: RunTables;
  private options!: WorkerOpenOptions;
  private target: StoreTarget = { file: '', readonly: true };
  private lock: HeldLock | undefined;
  private readonly running = new Set<number>();
  private dirty = false;
  /** Set by changes the journal does not record (retention, merges, repairs at open). */
  private wholeWriteNeeded = false;
  private journal: JournalWriter | undefined;
  /** Chunks written as rows since the journal last heard of them (journaled after their commit). */
  private readonly sealed = heapList<SealedChunk>();
  /** Per run, the highest seq the journal (or the file) already holds. */
  private journaledSeq = new Map<number, number>();
  private lastWholeBytes = 0;
  private persistTimer: unknown;
  private readonly noticed = new Set<string>();
  private closed = false;

  constructor(
    private readonly notify: (message: string) => void,
    private readonly onTarget: (target: StoreTarget) => void = () => {},
    private readonly onPersisted: (bytes: number, ms: number) => void = () => {},
    /** Drives the persist timer; tests pass a fake one. Its unref'd timers are fine: the worker's port keeps the thread alive. */
    private readonly clock: Clock = systemClock,
  ) {}

  /** Claims a file (lock or fallback), loads or quarantines it, ends abandoned runs, applies retention. */
  async open(options: WorkerOpenOptions): Promise<StoreTarget> {
    try {
      return await this.openUnsafe(options);
    } catch (error) {
      this.lock?.release();
      this.lock = undefined;
      throw error;
    }
  }

  private async openUnsafe(options: WorkerOpenOptions): Promise<StoreTarget> {
    this.options = options;
    this.sql = await loadSqlJs(options.wasmCandidates);
    const claim = claimFile(options.dir, options.fileName);
    if (claim.notice) this.notify(claim.notice);
    const opened = (claim.kind === 'owned' && this.openOwned(claim)) || this.openForReading(claim.file);
    this.target = { file: claim.file, readonly: !this.lock };
    let changed = opened.changed || journalIdOf(this.db) === undefined;
    if (this.tables.endAbandonedRuns() > 0) changed = true;
    if (applyRetention(this.db, this.tables, options.retention, this.running) > 0) changed = true;
    if (!this.target.readonly) {
      this.journal = new JournalWriter(journalPathOf(claim.file), journalIdOf(this.db) ?? '');
      this.lastWholeBytes = sizeOnDisk(claim.file);
    }
    if (changed) {
      this.dirty = true;
      this.wholeWriteNeeded = true;
      if (this.tryPersist()) opened.afterPersist();
    }
    return this.target;
  }

  // Loads (or quarantines) the file we hold the lock of; undefined, lock released, if it can't be read.
  private openOwned(claim: Claim & { kind: 'owned' }): Opened | undefined {
    this.lock = claim.lock;
    removeStaleTempFiles(claim.file);
    let loaded: LoadedDatabase;
    try {
      loaded = loadDatabase(this.sql, claim.file, true, true);
    } catch (error) {
      // Not a bad database but a file we can't read or move (EACCES, EISDIR): leave it be.
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      this.notify(`History file ${claim.file} cannot be used (${code}); history is kept in memory only for this session.`);
      this.lock.release();
      this.lock = undefined;
      return undefined;
    }
    if (loaded.journalError) {
      this.notify(
        `The journal of history file ${claim.file} could not be applied (${loaded.journalError}); ` +
          'the lines stored since it was last written whole are missing.',
      );
    }
    if (loaded.quarantined) {
      this.notify(
        `History file ${claim.file} could not be opened (${loaded.quarantined.reason}); it was ` +
          `moved to ${loaded.quarantined.movedTo} and a new history was started.`,
      );
    }
    this.useDatabase(loaded.db);
    // Backups of an older schema go once the converted database is on disk (at once if it already was).
    const backups = loaded.backups;
    const removeOldBackups = (): void => removeBackups(claim.file);
    if (!backups) removeOldBackups();
    if (claim.notice) return { changed: loaded.changed, afterPersist: removeOldBackups };
    // Only the main file's owner gathers other windows' leftover fallback files; they are deleted
    // only once their runs are safely in the main file.
    const orphans = mergeOrphans(this.sql, this.db, this.tables, this.options.dir, this.options.fileName);
    orphans.notices.forEach((notice) => this.notify(notice));
    return {
      changed: loaded.changed || orphans.runs > 0,
      afterPersist: () => {
        orphans.removeFiles();
        removeOldBackups();
      },
    };
  }

  // Shows what is on disk if it can be read; never moves a file we don't own.
  private openForReading(file: string): Opened {
    let db: Database;
    try {
      db = loadDatabase(this.sql, file, false).db;
    } catch {
      db = createDatabase(this.sql, true);
    }
    this.useDatabase(db);
    return { changed: false, afterPersist: () => {} };
  }

  /** Compiles the append path before lines come (see warmUp.ts); the store works without it. */
  warmUp(): void {
    try {
      warmUpAppendPath(this.sql);
    } catch {
      // Only speed is at stake: the first lines then compile it.
    }
  }

  /** Runs the append path's JavaScript hot before lines come (see warmUpBatchPath); speed only, like warmUp. */
  warmUpBatches(): void {
    try {
      warmUpBatchPath(this.sql);
    } catch {
      // The first lines then compile it.
    }
  }

  /** Starts a run; its lines may be appended until `endRun`. */
  beginRun(run: RunStart): number {
    checkRunStart(run);
    const id = this.tables.insertRun(run);
    this.running.add(id);
    this.journal?.begin({ ...run, id });
    this.markDirty();
    return id;
  }

  /** Stores lines given per run (tests, fixtures); see `appendBatch`. */
  append(segments: readonly AppendSegment[]): void {
    const writer = new LineBatchWriter(Math.max(1, ...segments.map((segment) => segment.lines.length)));
    for (const segment of segments) writer.add(segment.runId, segment.lines);
    this.appendBatch(writer.finish().batch);
  }

  /** Stores a batch in one transaction. Lines of a run that isn't running are dropped (said once). */
  appendBatch(batch: LineBatch): void {
    if (this.closed || batch.seq.length === 0) return;
    const views = viewsOfLineBatch(batch);
    let stored = 0;
    const sealedBefore = this.sealed.length;
    this.tables.begin();
    try {
      for (const view of views) {
        view.runIds.forEach((runId, k) => {
          if (runId === WARM_UP_RUN_ID) return; // the host's warm-up: batched and posted, never stored
          if (!this.running.has(runId)) {
            this.noticeOnce(`not-running:${runId}`, `History dropped lines of run ${runId}: no such run is running in this store.`);
            return;
          }
          stored += this.tables.insertView(runId, view, view.bounds[k], view.bounds[k + 1]);
        });
      }
      this.tables.commit();
    } catch (error) {
      this.tables.rollback();
      this.sealed.length = sealedBefore; // this transaction's chunks were rolled back with the rest
      this.tables.forgetOpenChunks(batch.runIds);
      this.noticeOnce(`append:${(error as Error).message}`, `History could not store a batch of lines: ${(error as Error).message}`);
      return;
    }
    // As committed: full chunks go to the journal as they are (compressed); the lines still in open
    // chunks are journaled on the journal's next write.
    this.journalSealed();
    if (stored > 0) this.markDirty();
  }

  /**
   * Records the end of a run, then applies retention (which may delete older runs). Ending a run
   * that already ended does nothing: the first end wins.
   */
  endRun(runId: number, end: RunEnd): void {
    if (!this.running.delete(runId)) {
      if (this.tables.getRun(runId)) return;
      throw new Error(`endRun: no run with id ${runId}`);
    }
    this.tables.endRun(runId, end);
    this.journalSealed(); // its last chunk, before its end
    this.journal?.end(runId, end);
    if (applyRetention(this.db, this.tables, this.options.retention, this.running) > 0) this.wholeWriteNeeded = true;
    this.markDirty();
  }

  /** See RunHistory.readLines; an unknown run has no lines. */
  readLines(runId: number, query: LineQuery): LogLine[] {
    return this.tables.readLines(runId, query);
  }

  /** All runs, newest first. */
  listRuns(): RunSummary[] {
    return this.tables.listRuns();
  }

  /** The run (or the lines `filter` selects) in `format`; throws for an unknown run or a bad filter. */
  exportRun(runId: number, format: ExportFormat, filter?: ExportFilter): string {
    return exportLines(this.tables, runId, format, filter);
  }

  /** Replaces the errors recorded for a run (journaled like its lines). */
  putRunErrors(runId: number, errors: readonly RunErrorRecord[]): void {
    if (!this.tables.getRun(runId)) throw new Error(`putRunErrors: no run with id ${runId}`);
    if (!isRunErrors(errors))
      throw new TypeError('putRunErrors: errors must be a list of { fingerprint, title, count, firstSeq, lastSeq }');
    this.tables.putRunErrors(runId, errors);
    this.journal?.errors(runId, errors);
    this.markDirty();
  }

  readRunErrors(runId: number): RunErrorRecord[] {
    return this.tables.readRunErrors(runId);
  }

  seenFingerprints(previewName: string, beforeRunId: number): string[] {
    return this.tables.seenFingerprints(previewName, beforeRunId);
  }

  /** Writes the whole database to disk now if anything changed; throws if the write fails. */
  flush(): void {
    this.writeWhole();
  }

  /** Persists, frees the database and releases the lock; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.persistTimer !== undefined) this.clock.clearTimeout(this.persistTimer);
    if (this.db === undefined) return; // never opened
    // A closed store leaves the file alone holding everything, not a file plus a journal.
    if ((this.journal?.size ?? 0) > 0) this.dirty = true;
    try {
      this.writeWholeElseJournal();
    } finally {
      this.journal?.close();
      this.tables.dispose();
      this.db.close();
      this.lock?.release();
    }
  }

  private useDatabase(db: Database): void {
    // The database is a file in sql.js's in-memory FS: a rollback journal there only costs copies,
    // and fsync there is a no-op. Durability comes from the atomic write of each export instead.
    // Ours is the file's only connection: holding its lock spares each transaction a re-read of
    // the header through sql.js's JS file layer (the worker's CPU a flood line: −5–10%).
    db.exec('PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -8192; PRAGMA locking_mode = EXCLUSIVE');
    this.db = db;
    this.tables = new RunTables(db, this.sealed);
  }

  // Save about once per interval while lines flow, and not at all while idle.
  private markDirty(): void {
    this.dirty = true;
    if (this.persistTimer || this.target.readonly || this.closed) return;
    this.persistTimer = this.clock.setTimeout(() => {
      this.persistTimer = undefined;
      this.tryPersist(() => this.save());
    }, this.options.persistIntervalMs);
  }

  // A failed write (disk full, permissions) is told once and retried on the timer; the data stays in memory.
  private tryPersist(write: () => void = () => this.writeWhole()): boolean {
    try {
      write();
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      this.noticeOnce(`persist:${code}`, `Could not save history to ${this.target.file} (${code}); will keep retrying.`);
      this.markDirty();
      return false;
    }
  }

  // The timer's write: the journal's new records, or the whole database once the journal has grown
  // as large as it (so disk writes stay within about twice what was logged).
  private save(): void {
    if (!this.dirty || this.target.readonly) return;
    const journal = this.journal;
    if (this.wholeWriteNeeded || !journal || journal.size >= Math.max(MIN_JOURNAL_BYTES, this.lastWholeBytes)) {
      this.writeWholeElseJournal();
      return;
    }
    if (this.lock && !this.lock.isStillOurs()) {
      this.writeWhole(); // moves to a fallback file first
      return;
    }
    this.writeJournal(journal);
    this.dirty = false;
  }

  private journalSealed(): void {
    for (const { runId, chunk } of this.sealed) {
      this.journal?.chunk(runId, chunk.payload);
      this.journaledSeq.set(runId, Math.max(this.journaledSeq.get(runId) ?? 0, chunk.lastSeq));
    }
    this.sealed.length = 0;
  }

  // The lines of open chunks the journal lacks go with this write: at most about a second of lines is
  // ever only in memory.
  private writeJournal(journal: JournalWriter): void {
    this.journalSealed();
    for (const { runId, view, from } of this.tables.openTails(this.journaledSeq)) {
      const to = view.seq.length;
      journal.lines(runId, view, from, to);
      this.journaledSeq.set(runId, view.seq[to - 1]);
    }
    journal.write();
  }

  // A whole write can fail where a small append still fits (a nearly full disk, a file in the way):
  // the lines then still reach the journal, and the whole write is retried on the next tick.
  private writeWholeElseJournal(): void {
    try {
      this.writeWhole();
    } catch (error) {
      try {
        if (this.journal && (this.lock?.isStillOurs() ?? false)) this.writeJournal(this.journal);
      } catch {
        // Both failed: the caller tells the user once; the lines stay in memory for the retry.
      }
      throw error;
    }
  }

  // Export, atomic write, then a new journal: the file now holds everything.
  private writeWhole(): void {
    if (!this.dirty || this.target.readonly) return;
    if (this.lock && !this.lock.isStillOurs()) this.moveToFallback();
    if (this.target.readonly) return;
    this.tables.sealAll(); // open chunks are written with it, and taken back by the next append
    // A long run grows the database between ends of runs: the cap holds at every whole write too.
    if (exportSize(this.db) > this.options.retention.maxBytes) {
      applyRetention(this.db, this.tables, this.options.retention, this.running);
    }
    const start = performance.now();
    const journalId = renewJournalId(this.db);
    const bytes = this.db.export();
    writeFileAtomic(this.target.file, bytes);
    this.journal ??= new JournalWriter(journalPathOf(this.target.file), journalId);
    this.journal.restart(journalId);
    this.sealed.length = 0; // in the file now, as is every line so far
    this.journaledSeq = this.tables.storedSeqs();
    this.dirty = false;
    this.wholeWriteNeeded = false;
    this.lastWholeBytes = bytes.byteLength;
    this.onPersisted(bytes.byteLength, performance.now() - start);
  }

  // Someone took our lock (a stale-lock race, a user deleting it): never write their file again.
  private moveToFallback(): void {
    const lost = this.target.file;
    this.lock = undefined;
    // The journal beside the lost file is the new owner's to apply; ours starts again with our new file.
    this.journal?.close();
    this.journal = undefined;
    this.wholeWriteNeeded = true;
    const claim = claimFallback(this.options.dir, this.options.fileName);
    if (claim.kind === 'owned') {
      this.lock = claim.lock;
      this.target = { file: claim.file, readonly: false };
      this.notify(`History lost the lock on ${lost} to another Preview Host; this window now keeps its history ` + `in ${claim.file}.`);
    } else {
      this.target = { file: lost, readonly: true };
      this.notify(`History lost the lock on ${lost} to another Preview Host. ${claim.notice}`);
    }
    this.onTarget(this.target);
  }

  private noticeOnce(key: string, message: string): void {
    if (this.noticed.has(key)) return;
    this.noticed.add(key);
    this.notify(message);
  }
}
