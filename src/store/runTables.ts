import type { Database, SqlValue, Statement } from 'sql.js';
import { DEFAULT_PAGE, MAX_PAGE, type LineQuery, type RunEnd, type RunStart, type RunSummary } from '../shared/historyApi';
import { isLogLevel, type LogLevel, type LogLine } from '../shared/protocol';

const RUN_COLUMNS = `id, preview_name, command, cwd, port, started_at, ended_at, exit_code, signal, abnormal,
  line_count`;

const ROWS_PER_INSERT = 64;

function insertLinesSql(rows: number): string {
  const row = '(?, ?, ?, ?, ?, ?)';
  return `INSERT OR IGNORE INTO lines (run_id, seq, ts, level, stream, text) VALUES ${Array(rows).fill(row).join(', ')}`;
}

/** The SQL of runs and lines, with prepared statements reused across batches. Transactions are the caller's. */
export class RunTables {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  /** Inserts a running run and returns its id. */
  insertRun(run: RunStart): number {
    this.statement(`INSERT INTO runs (preview_name, command, cwd, port, started_at) VALUES (?, ?, ?, ?, ?)`).run([
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
    this.statement(`INSERT OR IGNORE INTO runs (id, preview_name, command, cwd, port, started_at) VALUES (?, ?, ?, ?, ?, ?)`).run([
      run.id,
      run.previewName,
      JSON.stringify(run.command),
      run.cwd,
      run.port,
      run.startedAt,
    ]);
  }

  /** Inserts lines (a seq already stored is ignored) and bumps the run's line_count; returns how many were new. */
  insertLines(runId: number, lines: readonly LogLine[]): number {
    // Rows go in groups: each statement call crosses into WASM and back, and a flood's inserts are
    // most of the store worker's CPU.
    let inserted = 0;
    let at = 0;
    for (const rows of [ROWS_PER_INSERT, 1]) {
      const insert = this.statement(insertLinesSql(rows));
      for (; at + rows <= lines.length; at += rows) {
        const values: SqlValue[] = new Array(rows * 6);
        for (let r = 0, v = 0; r < rows; r++) {
          const line = lines[at + r];
          values[v++] = runId;
          values[v++] = line.seq;
          values[v++] = line.ts;
          values[v++] = line.level;
          values[v++] = line.stream;
          values[v++] = line.text;
        }
        insert.run(values);
        inserted += this.db.getRowsModified();
      }
    }
    if (inserted > 0) {
      this.statement('UPDATE runs SET line_count = line_count + ? WHERE id = ?').run([inserted, runId]);
    }
    return inserted;
  }

  /** Records how a run ended (line_count recounted from the lines table); false if there is no such run. */
  endRun(runId: number, end: RunEnd): boolean {
    this.statement(
      `UPDATE runs SET ended_at = ?2, exit_code = ?3, signal = ?4, abnormal = ?5,
      line_count = (SELECT count(*) FROM lines WHERE run_id = ?1) WHERE id = ?1`,
    ).run([runId, end.endedAt, end.exitCode, end.signal, end.abnormal ? 1 : 0]);
    return this.db.getRowsModified() > 0;
  }

  /**
   * Ends every run left without an end (its host died): abnormal, ended at its last line's time (or
   * its start). Returns how many.
   */
  endAbandonedRuns(): number {
    this.db.run(`UPDATE runs SET abnormal = 1,
      ended_at = COALESCE((SELECT ts FROM lines WHERE run_id = runs.id ORDER BY seq DESC LIMIT 1), started_at),
      line_count = (SELECT count(*) FROM lines WHERE run_id = runs.id)
      WHERE ended_at IS NULL`);
    return this.db.getRowsModified();
  }

  /** A page of a run's lines in seq order; see LineQuery. Throws RangeError for a malformed query. */
  readLines(runId: number, query: LineQuery): LogLine[] {
    const { after, limit, levels, q } = normalizeQuery(query);
    let sql = 'SELECT seq, ts, level, stream, text FROM lines WHERE run_id = ? AND seq > ?';
    const params: SqlValue[] = [runId, after];
    if (levels) {
      sql += ` AND level IN (${levels.map(() => '?').join(', ')})`;
      params.push(...levels);
    }
    if (q) {
      sql += ` AND text LIKE ? ESCAPE '\\'`;
      params.push(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    sql += ' ORDER BY seq LIMIT ?';
    params.push(limit);
    const lines: LogLine[] = [];
    this.eachRow(this.statement(sql), params, (row) => lines.push(toLine(row)));
    return lines;
  }

  /** Calls `fn` with every line of a run in seq order, without building one big array. */
  forEachLine(runId: number, fn: (line: LogLine) => void): void {
    const select = this.statement('SELECT seq, ts, level, stream, text FROM lines WHERE run_id = ? ORDER BY seq');
    this.eachRow(select, [runId], (row) => fn(toLine(row)));
  }

  /** All runs, newest first. */
  listRuns(): RunSummary[] {
    const runs: RunSummary[] = [];
    this.eachRow(this.statement(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY started_at DESC, id DESC`), [], (row) => runs.push(toRun(row)));
    return runs;
  }

  /** One run, or undefined. */
  getRun(runId: number): RunSummary | undefined {
    let run: RunSummary | undefined;
    this.eachRow(this.statement(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`), [runId], (row) => (run = toRun(row)));
    return run;
  }

  /** Lines stored per run. */
  lineCounts(): Map<number, number> {
    const counts = new Map<number, number>();
    this.eachRow(this.statement('SELECT run_id, count(*) FROM lines GROUP BY run_id'), [], (row) =>
      counts.set(row[0] as number, row[1] as number),
    );
    return counts;
  }

  /** Deletes a run's `count` oldest lines (retention's size cap) and recounts its line_count. */
  deleteOldestLines(runId: number, count: number): void {
    this.statement(
      `DELETE FROM lines WHERE run_id = ?1 AND seq <= (
      SELECT seq FROM lines WHERE run_id = ?1 ORDER BY seq LIMIT 1 OFFSET ?2)`,
    ).run([runId, count - 1]);
    this.statement('UPDATE runs SET line_count = (SELECT count(*) FROM lines WHERE run_id = ?1) WHERE id = ?1').run([runId]);
  }

  /** Deletes a run and its lines. */
  deleteRun(runId: number): void {
    this.statement('DELETE FROM lines WHERE run_id = ?').run([runId]);
    this.statement('DELETE FROM runs WHERE id = ?').run([runId]);
  }

  /** Frees the prepared statements; safe to call twice. */
  dispose(): void {
    for (const statement of this.statements.values()) statement.free();
    this.statements.clear();
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private eachRow(statement: Statement, params: SqlValue[], fn: (row: SqlValue[]) => void): void {
    try {
      statement.bind(params);
      while (statement.step()) fn(statement.get());
    } finally {
      statement.reset();
    }
  }
}

interface NormalQuery {
  after: number;
  limit: number;
  levels: LogLevel[] | undefined;
  q: string | undefined;
}

function normalizeQuery(query: LineQuery): NormalQuery {
  const after = query.after ?? 0;
  if (!Number.isSafeInteger(after) || after < 0) {
    throw new RangeError(`readLines: 'after' must be an integer >= 0, got ${String(after)}`);
  }
  const limit = query.limit ?? DEFAULT_PAGE;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`readLines: 'limit' must be an integer >= 1, got ${String(limit)}`);
  }
  const bad = query.levels?.find((level) => !isLogLevel(level));
  if (bad !== undefined) throw new RangeError(`readLines: unknown level ${JSON.stringify(bad)}`);
  if (query.q !== undefined && typeof query.q !== 'string') {
    throw new RangeError(`readLines: 'q' must be a string, got ${typeof query.q}`);
  }
  return {
    after,
    limit: Math.min(limit, MAX_PAGE),
    // An empty list means "no level filter", as an empty `level=` in a URL does.
    levels: query.levels?.length ? [...new Set(query.levels)] : undefined,
    q: query.q || undefined,
  };
}

function toLine(row: SqlValue[]): LogLine {
  return {
    seq: row[0] as number,
    ts: row[1] as string,
    level: row[2] as LogLine['level'],
    stream: row[3] as LogLine['stream'],
    text: row[4] as string,
  };
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
