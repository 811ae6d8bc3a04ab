import type { Database, SqlValue } from 'sql.js';
import {
  DEFAULT_PAGE,
  type ExportFilter,
  MAX_PAGE,
  type LineQuery,
  type RunEnd,
  type RunErrorRecord,
  type RunStart,
  type RunSummary,
} from '../shared/historyApi';
import { isLogLevel, type LogLevel, type LogLine } from '../shared/protocol';
import { type DecodedChunk, decodedFromColumns, levelBit, lineAt, viewOfDecoded } from './chunkCodec';
import { ALL_LEVELS, ChunkReader, type LineFilter } from './chunkReader';
import { ChunkWriter, type SealedChunk } from './chunkWriter';
import { type BatchView, viewOfLines } from './lineBatch';
import { Statements } from './statements';

const RUN_COLUMNS = `id, preview_name, command, cwd, port, started_at, ended_at, exit_code, signal, abnormal,
  line_count`;
const LINES_OF_RUN = 'SELECT COALESCE(SUM(line_count), 0) FROM chunks WHERE run_id = ?1';

/**
 * The SQL of runs, their lines (in chunks: chunkWriter.ts, chunkReader.ts) and their errors, with
 * prepared statements reused across batches. Transactions are the caller's; so is `sealAll` before
 * the database is exported.
 */
export class RunTables {
  private readonly sql: Statements;
  private readonly writer: ChunkWriter;
  private readonly reader: ChunkReader;

  /** `sealed`: gets each chunk written as a row, as it is written (see ChunkWriter). */
  constructor(
    private readonly db: Database,
    sealed?: SealedChunk[],
  ) {
    this.sql = new Statements(db);
    this.writer = new ChunkWriter(this.sql, sealed);
    this.reader = new ChunkReader(this.sql, this.writer);
  }

  /** Transactions of the caller's (see Statements.begin). */
  begin(): void {
    this.sql.begin();
  }

  commit(): void {
    this.sql.commit();
  }

  rollback(): void {
    this.sql.rollback();
  }

  /** Inserts a running run and returns its id. */
  insertRun(run: RunStart): number {
    this.sql.run(`INSERT INTO runs (preview_name, command, cwd, port, started_at) VALUES (?, ?, ?, ?, ?)`, [
      run.previewName,
      JSON.stringify(run.command),
      run.cwd,
      run.port,
      run.startedAt,
    ]);
    return Number(this.db.exec('SELECT last_insert_rowid()')[0].values[0][0]);
  }

  /** Inserts a run under a known id (replaying the journal); nothing if that id exists. */
  insertRunWithId(run: RunStart & { id: number }): void {
    this.sql.run(`INSERT OR IGNORE INTO runs (id, preview_name, command, cwd, port, started_at) VALUES (?, ?, ?, ?, ?, ?)`, [
      run.id,
      run.previewName,
      JSON.stringify(run.command),
      run.cwd,
      run.port,
      run.startedAt,
    ]);
  }

  /** Adds lines above the run's last stored seq (others are already stored); returns how many were new. */
  insertLines(runId: number, lines: readonly LogLine[]): number {
    return this.insertView(runId, viewOfLines(runId, lines), 0, lines.length);
  }

  /** Lines [from, to) of `view`, all of run `runId`: see ChunkWriter.append (returns how many were new). */
  insertView(runId: number, view: BatchView, from: number, to: number): number {
    return this.writer.append(runId, view, from, to);
  }

  /** The highest stored seq of each run appended to (or reopened) through these tables. */
  storedSeqs(): Map<number, number> {
    return this.writer.storedSeqs();
  }

  /** Each run's lines not yet in a row that lie above `after`'s seq for that run, as views. */
  openTails(after: ReadonlyMap<number, number>): { runId: number; view: BatchView; from: number }[] {
    const tails: { runId: number; view: BatchView; from: number }[] = [];
    for (const runId of this.writer.openRuns()) {
      const chunk = decodedFromColumns(this.writer.openColumns(runId)!);
      const above = after.get(runId) ?? 0;
      let from = 0;
      while (from < chunk.count && chunk.seq[from] <= above) from++;
      if (from < chunk.count) tails.push({ runId, view: viewOfDecoded(runId, chunk), from });
    }
    return tails;
  }

  /** Writes every open chunk as a row: the database then holds every line. */
  sealAll(): void {
    this.writer.sealAll();
  }

  /** After a rolled-back transaction: what the writer holds in memory may not match the rows any more. */
  forgetOpenChunks(runIds: Iterable<number>): void {
    for (const runId of runIds) this.writer.forget(runId);
  }

  /** Records how a run ended (its open chunk sealed, line_count recounted); false if there is no such run. */
  endRun(runId: number, end: RunEnd): boolean {
    this.writer.seal(runId);
    this.sql.run(
      `UPDATE runs SET ended_at = ?2, exit_code = ?3, signal = ?4, abnormal = ?5, line_count = (${LINES_OF_RUN}) WHERE id = ?1`,
      [runId, end.endedAt, end.exitCode, end.signal, end.abnormal ? 1 : 0],
    );
    return this.db.getRowsModified() > 0;
  }

  /**
   * Ends every run left without an end (its host died): abnormal, ended at its last line's time (or
   * its start). Returns how many.
   */
  endAbandonedRuns(): number {
    this.writer.sealAll();
    this.db.run(`UPDATE runs SET abnormal = 1,
      ended_at = COALESCE((SELECT last_ts FROM chunks WHERE run_id = runs.id ORDER BY first_seq DESC LIMIT 1), started_at),
      line_count = (SELECT COALESCE(SUM(line_count), 0) FROM chunks WHERE run_id = runs.id)
      WHERE ended_at IS NULL`);
    return this.db.getRowsModified();
  }

  /** A page of a run's lines in seq order; see LineQuery. Throws RangeError for a malformed query. */
  readLines(runId: number, query: LineQuery): LogLine[] {
    const { filter, limit, newest } = normalizeQuery(query);
    return this.reader.read(runId, filter, limit, newest);
  }

  /** Calls `fn` with every line of a run in seq order, without one big array. */
  forEachLine(runId: number, fn: (line: LogLine) => void): void {
    this.reader.forEach(runId, exportFilter(undefined), (chunk, i) => fn(lineAt(chunk, i)));
  }

  /** Calls `fn` with each line `filter` selects, as its chunk and index there (see ChunkReader.forEach). */
  forEachSelected(runId: number, filter: ExportFilter | undefined, fn: (chunk: DecodedChunk, i: number) => void): void {
    this.reader.forEach(runId, exportFilter(filter), fn);
  }

  /** All runs, newest first. */
  listRuns(): RunSummary[] {
    const runs: RunSummary[] = [];
    this.sql.each(
      `SELECT ${RUN_COLUMNS} FROM runs ORDER BY started_at DESC, id DESC`,
      [],
      (row) => void runs.push(this.withOpenLines(toRun(row))),
    );
    return runs;
  }

  /** One run, or undefined. */
  getRun(runId: number): RunSummary | undefined {
    const row = this.sql.first(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`, [runId]);
    return row && this.withOpenLines(toRun(row));
  }

  // line_count counts the lines in rows; a running run also has those of its open chunk.
  private withOpenLines(run: RunSummary): RunSummary {
    const open = this.writer.openColumns(run.id)?.count ?? 0;
    return open > 0 ? { ...run, lineCount: run.lineCount + open } : run;
  }

  /** Lines stored per run (open chunks sealed first). */
  lineCounts(): Map<number, number> {
    this.writer.sealAll();
    const counts = new Map<number, number>();
    this.sql.each(
      'SELECT run_id, SUM(line_count) FROM chunks GROUP BY run_id',
      [],
      (row) => void counts.set(row[0] as number, row[1] as number),
    );
    return counts;
  }

  /**
   * Deletes a run's oldest whole chunks until at least `wanted` lines went, never more than `most`
   * (retention's size cap; a client asking for them gets one exact gap). Returns how many lines went.
   */
  deleteOldestLines(runId: number, wanted: number, most: number): number {
    this.writer.seal(runId);
    let deleted = 0;
    let upTo: number | undefined;
    this.sql.each('SELECT first_seq, line_count FROM chunks WHERE run_id = ? ORDER BY first_seq', [runId], (row) => {
      const count = row[1] as number;
      if (deleted >= wanted || deleted + count > most) return false;
      deleted += count;
      upTo = row[0] as number;
      return true;
    });
    if (upTo === undefined) return 0;
    this.sql.run('DELETE FROM chunks WHERE run_id = ? AND first_seq <= ?', [runId, upTo]);
    this.sql.run(`UPDATE runs SET line_count = (${LINES_OF_RUN}) WHERE id = ?1`, [runId]);
    return deleted;
  }

  /** Deletes a run, its lines and its errors. */
  deleteRun(runId: number): void {
    this.writer.forget(runId);
    this.sql.run('DELETE FROM chunks WHERE run_id = ?', [runId]);
    this.sql.run('DELETE FROM run_errors WHERE run_id = ?', [runId]);
    this.sql.run('DELETE FROM runs WHERE id = ?', [runId]);
  }

  /** Replaces the errors recorded for a run. */
  putRunErrors(runId: number, errors: readonly RunErrorRecord[]): void {
    this.sql.run('DELETE FROM run_errors WHERE run_id = ?', [runId]);
    errors.forEach((e, ord) =>
      this.sql.run('INSERT INTO run_errors (run_id, ord, fingerprint, title, count, first_seq, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        runId,
        ord,
        e.fingerprint,
        e.title,
        e.count,
        e.firstSeq,
        e.lastSeq,
      ]),
    );
  }

  /** The errors recorded for a run, in the order they were given. */
  readRunErrors(runId: number): RunErrorRecord[] {
    const errors: RunErrorRecord[] = [];
    this.sql.each('SELECT fingerprint, title, count, first_seq, last_seq FROM run_errors WHERE run_id = ? ORDER BY ord', [runId], (row) => {
      errors.push({
        fingerprint: row[0] as string,
        title: row[1] as string,
        count: row[2] as number,
        firstSeq: row[3] as number,
        lastSeq: row[4] as number,
      });
    });
    return errors;
  }

  /** Distinct fingerprints of the errors of `previewName`'s runs older than `beforeRunId`. */
  seenFingerprints(previewName: string, beforeRunId: number): string[] {
    const seen: string[] = [];
    this.sql.each(
      `SELECT DISTINCT e.fingerprint FROM run_errors e JOIN runs r ON r.id = e.run_id
       WHERE r.preview_name = ? AND r.id < ? ORDER BY e.fingerprint`,
      [previewName, beforeRunId],
      (row) => void seen.push(row[0] as string),
    );
    return seen;
  }

  /** Frees the prepared statements; safe to call twice. Open chunks are not written: `sealAll` first. */
  dispose(): void {
    this.sql.dispose();
  }
}

function normalizeQuery(query: LineQuery): { filter: LineFilter; limit: number; newest: boolean } {
  const after = query.after ?? 0;
  if (!Number.isSafeInteger(after) || after < 0) {
    throw new RangeError(`readLines: 'after' must be an integer >= 0, got ${String(after)}`);
  }
  const before = query.before;
  if (before !== undefined && (!Number.isSafeInteger(before) || before < 1)) {
    throw new RangeError(`readLines: 'before' must be an integer >= 1, got ${String(before)}`);
  }
  const limit = query.limit ?? DEFAULT_PAGE;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`readLines: 'limit' must be an integer >= 1, got ${String(limit)}`);
  }
  return {
    filter: { after, before: before ?? Infinity, levels: levelMask('readLines', query.levels), q: textQuery('readLines', query.q) },
    limit: Math.min(limit, MAX_PAGE),
    newest: before !== undefined,
  };
}

/** An ExportFilter as a LineFilter (from/to inclusive); throws RangeError for a malformed one. */
function exportFilter(filter: ExportFilter | undefined): LineFilter {
  const bound = (name: 'from' | 'to'): number | undefined => {
    const value = filter?.[name];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new RangeError(`exportRun: '${name}' must be an integer >= 0, got ${String(value)}`);
    }
    return value;
  };
  const from = bound('from');
  const to = bound('to');
  if (from !== undefined && to !== undefined && from > to) throw new RangeError(`exportRun: 'from' (${from}) is after 'to' (${to})`);
  return {
    after: from === undefined ? 0 : from - 1,
    before: to === undefined ? Infinity : to + 1,
    levels: levelMask('exportRun', filter?.levels),
    q: textQuery('exportRun', filter?.q),
  };
}

// An empty list means "no level filter", as an empty `level=` in a URL does.
function levelMask(caller: string, levels: readonly LogLevel[] | undefined): number {
  if (levels !== undefined && !Array.isArray(levels)) throw new RangeError(`${caller}: 'levels' must be an array of levels`);
  const bad = levels?.find((level) => !isLogLevel(level));
  if (bad !== undefined) throw new RangeError(`${caller}: unknown level ${JSON.stringify(bad)}`);
  if (!levels?.length) return ALL_LEVELS;
  return levels.reduce((mask, level) => mask | levelBit(level), 0);
}

function textQuery(caller: string, q: unknown): string | undefined {
  if (q !== undefined && typeof q !== 'string') throw new RangeError(`${caller}: 'q' must be a string, got ${typeof q}`);
  return q || undefined;
}

function toRun(row: SqlValue[]): RunSummary {
  return {
    id: row[0] as number,
    previewName: row[1] as string,
    command: parseCommand(row[2]),
    cwd: row[3] as string,
    port: row[4] as number,
    startedAt: row[5] as string,
    endedAt: row[6] as string | null,
    exitCode: row[7] as number | null,
    signal: row[8] as string | null,
    abnormal: row[9] === 1,
    lineCount: row[10] as number,
  };
}

function parseCommand(value: SqlValue): string[] {
  try {
    const parsed: unknown = JSON.parse(String(value));
    return Array.isArray(parsed) ? parsed.map(String) : [String(value)];
  } catch {
    return [String(value)];
  }
}
