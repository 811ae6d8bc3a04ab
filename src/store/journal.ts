import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database } from 'sql.js';
import type { RunEnd, RunErrorRecord, RunStart } from '../shared/historyApi';
import type { LogLine } from '../shared/protocol';
import { fsyncDirectory } from './atomicWrite';
import { decodeChunk, viewOfDecoded } from './chunkCodec';
import { type BatchRecord, batchRecord, viewOfBatchRecord } from './journalBatch';
import type { BatchView } from './lineBatch';
import { RunTables } from './runTables';

/**
 * The journal: what changed since the database file was last written whole, one JSON record per
 * line, appended and fsynced about once a second. Writing the whole database every second would
 * cost its full size each time (50 MB at the default cap, for a server printing one line a second);
 * the journal costs what was logged. The database is written whole again once the journal has
 * grown as large as it, and on close.
 *
 * Its first line names the database state it follows (`journal_id` in the database's meta table,
 * renewed at each whole write): a journal left behind by a crash between the two writes belongs to
 * the older state, is ignored, and is replaced.
 */
export function journalPathOf(file: string): string {
  return `${file}.journal`;
}

type LineTuple = [seq: number, ts: string, level: string, stream: string, text: string, entrySeq?: number];
type JournalRecord =
  | { begin: RunStart & { id: number } }
  | { batch: BatchRecord }
  /** A chunk as it was written as a row: [runId, its payload in base64]. */
  | { chunk: [runId: number, payload: string] }
  /** Lines as the journal wrote them before batch records: still replayed. */
  | { lines: [runId: number, lines: LineTuple[]] }
  | { end: [runId: number, end: RunEnd] }
  | { errors: [runId: number, errors: RunErrorRecord[]] };

/** Characters of records written with one call (below V8's large-object size for one-byte text). */
const WRITE_PIECE_CHARS = 64 * 1024;

/** Appends records to `<file>.journal`; created on the first write after each whole write. */
export class JournalWriter {
  private pending: string[] = [];
  private pendingChars = 0;
  private fileBytes = 0;
  private fd: number | undefined;

  constructor(
    private readonly file: string,
    private id: string,
  ) {}

  /** Bytes on disk plus characters waiting to be written. */
  get size(): number {
    return this.fileBytes + this.pendingChars;
  }

  begin(run: RunStart & { id: number }): void {
    this.add({ begin: run });
  }

  /**
   * A chunk the database got as a row: its payload, already compressed, is most of the record.
   * Written as JSON.stringify would write it, without a second copy of the payload's text
   * (base64 has nothing to escape).
   */
  chunk(runId: number, payload: Uint8Array): void {
    const base64 = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('base64');
    this.push(`{"chunk":[${runId},"${base64}"]}\n`);
  }

  /** Lines [from, to) of `view`, all of run `runId`. */
  lines(runId: number, view: BatchView, from: number, to: number): void {
    if (to > from) this.add({ batch: batchRecord(runId, view, from, to) });
  }

  errors(runId: number, errors: readonly RunErrorRecord[]): void {
    this.add({ errors: [runId, [...errors]] });
  }

  end(runId: number, end: RunEnd): void {
    this.add({ end: [runId, end] });
  }

  /** Appends what is pending and fsyncs it. Throws on I/O errors (pending records are kept for a retry). */
  write(): void {
    if (this.pending.length === 0) return;
    if (this.fd === undefined) {
      this.fd = fs.openSync(this.file, 'w');
      fsyncDirectory(path.dirname(this.file));
      this.fileBytes = 0;
      const header = `${JSON.stringify({ journal: this.id })}\n`;
      this.pending.unshift(header);
      this.pendingChars += header.length;
    }
    // In pieces of about WRITE_PIECE_CHARS: one string of a whole flood's records would be a large
    // object, and so would its bytes, both on pages never touched before (page faults cost).
    let from = 0;
    try {
      while (from < this.pending.length) {
        let to = from;
        let chars = 0;
        do chars += this.pending[to++].length;
        while (to < this.pending.length && chars + this.pending[to].length <= WRITE_PIECE_CHARS);
        const data = Buffer.from(to === from + 1 ? this.pending[from] : this.pending.slice(from, to).join(''));
        // At fileBytes, not at the file's end: a write that failed part way (a full disk) left part
        // of a record there, which a replay would stop at, losing every record after it.
        let written = 0;
        while (written < data.length) {
          written += fs.writeSync(this.fd, data, written, data.length - written, this.fileBytes + written);
        }
        this.fileBytes += data.length;
        this.pendingChars -= chars;
        from = to;
      }
    } finally {
      // What reached the file whole is not written again on a retry.
      this.pending = this.pending.slice(from);
    }
    fs.fsyncSync(this.fd);
  }

  /**
   * After a whole write of the database (which holds everything journaled so far, under journal
   * id `id`): drops the journal and what is pending. Removing the file may fail harmlessly: a
   * journal with an older id is never replayed.
   */
  restart(id: string): void {
    this.close();
    this.id = id;
    this.pending = [];
    this.pendingChars = 0;
    this.fileBytes = 0;
    try {
      fs.rmSync(this.file, { force: true });
    } catch {
      // Left behind, it is never replayed (its id is older) and the next write truncates it.
    }
  }

  /** Closes the file (pending records are not written). */
  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private add(record: JournalRecord): void {
    this.push(`${JSON.stringify(record)}\n`);
  }

  private push(line: string): void {
    this.pending.push(line);
    this.pendingChars += line.length;
  }
}

/** The database's current journal id (undefined for a database never written with one). */
export function journalIdOf(db: Database): string | undefined {
  const value = db.exec(`SELECT value FROM meta WHERE key = 'journal_id'`)[0]?.values[0]?.[0];
  return typeof value === 'string' ? value : undefined;
}

/** Gives the database a new journal id (before a whole write) and returns it. */
export function renewJournalId(db: Database): string {
  const id = randomUUID();
  db.run(`INSERT OR REPLACE INTO meta (key, value) VALUES ('journal_id', ?)`, [id]);
  return id;
}

/**
 * Applies `<file>.journal` to the database loaded from `file`, if it follows that database's
 * state. Stops at the first line that is not a whole record (a write cut short by a crash).
 * Returns how many records were applied. Every record is idempotent, so applying one twice is safe.
 */
export function replayJournal(db: Database, file: string): number {
  let text: string;
  try {
    text = fs.readFileSync(journalPathOf(file), 'utf8');
  } catch {
    return 0; // none (or unreadable: the database alone is still whole)
  }
  const lines = text.split('\n');
  const header = parseRecord(lines[0]) as { journal?: unknown } | undefined;
  const id = journalIdOf(db);
  if (!header || id === undefined || header.journal !== id) return 0;
  let applied = 0;
  const tables = new RunTables(db);
  db.exec('BEGIN');
  try {
    for (let i = 1; i < lines.length; i++) {
      const record = parseRecord(lines[i]) as JournalRecord | undefined;
      if (!record || !applyRecord(tables, record)) break;
      applied++;
    }
    tables.sealAll();
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  } finally {
    tables.dispose();
  }
  return applied;
}

// Checks each record's shape before touching the database: a damaged journal must never hurt it.
function applyRecord(tables: RunTables, record: JournalRecord): boolean {
  if ('begin' in record) {
    const run = record.begin;
    if (!Number.isSafeInteger(run?.id) || typeof run.previewName !== 'string' || !Array.isArray(run.command)) return false;
    tables.insertRunWithId(run);
  } else if ('chunk' in record) {
    const lines = viewOfChunkRecord(record.chunk);
    if (!lines) return false;
    tables.insertView(lines.runId, lines.view, 0, lines.view.seq.length);
  } else if ('batch' in record) {
    const lines = viewOfBatchRecord(record.batch);
    if (!lines) return false;
    tables.insertView(lines.runId, lines.view, 0, lines.view.seq.length);
  } else if ('lines' in record) {
    const [runId, tuples] = Array.isArray(record.lines) ? record.lines : [];
    if (!Number.isSafeInteger(runId) || !Array.isArray(tuples) || !tuples.every(isLineTuple)) return false;
    tables.insertLines(runId!, tuples.map(fromTuple));
  } else if ('errors' in record) {
    const [runId, errors] = Array.isArray(record.errors) ? record.errors : [];
    if (!Number.isSafeInteger(runId) || !isRunErrors(errors)) return false;
    tables.putRunErrors(runId!, errors);
  } else if ('end' in record) {
    const [runId, end] = Array.isArray(record.end) ? record.end : [];
    if (!Number.isSafeInteger(runId) || typeof end?.endedAt !== 'string') return false;
    tables.endRun(runId!, { endedAt: end.endedAt, exitCode: end.exitCode ?? null, signal: end.signal ?? null, abnormal: end.abnormal });
  } else {
    return false;
  }
  return true;
}

// A chunk record's lines; undefined when its payload does not decode (a damaged journal).
function viewOfChunkRecord(value: unknown): { runId: number; view: BatchView } | undefined {
  const [runId, payload] = Array.isArray(value) ? value : [];
  if (!Number.isSafeInteger(runId) || typeof payload !== 'string') return undefined;
  try {
    return { runId, view: viewOfDecoded(runId, decodeChunk(Buffer.from(payload, 'base64'))) };
  } catch {
    return undefined;
  }
}

function fromTuple([seq, ts, level, stream, text, entrySeq]: LineTuple): LogLine {
  const line = { seq, ts, level, stream, text } as LogLine;
  if (entrySeq !== undefined) line.entrySeq = entrySeq;
  return line;
}

function isLineTuple(value: unknown): value is LineTuple {
  return (
    Array.isArray(value) &&
    (value.length === 5 || (value.length === 6 && Number.isSafeInteger(value[5]))) &&
    Number.isSafeInteger(value[0]) &&
    typeof value[1] === 'string' &&
    typeof value[2] === 'string' &&
    typeof value[3] === 'string' &&
    typeof value[4] === 'string'
  );
}

function parseRecord(line: string | undefined): unknown {
  if (!line) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** True for a list of RunErrorRecords (also guards putRunErrors' input). */
export function isRunErrors(value: unknown): value is RunErrorRecord[] {
  return (
    Array.isArray(value) &&
    value.every(
      (e: Partial<RunErrorRecord> | null) =>
        typeof e?.fingerprint === 'string' &&
        typeof e.title === 'string' &&
        Number.isSafeInteger(e.count) &&
        Number.isSafeInteger(e.firstSeq) &&
        Number.isSafeInteger(e.lastSeq),
    )
  );
}
