import {
  ChunkColumns,
  columnsFromDecoded,
  decodeChunk,
  encodeChunk,
  type EncodedChunk,
  MAX_CHUNK_CHARS,
  MAX_CHUNK_LINES,
  META_BITS,
} from './chunkCodec';
import type { BatchView } from './lineBatch';
import type { Statements } from './statements';

/** A chunk the writer has written as a row. */
export interface SealedChunk {
  runId: number;
  chunk: EncodedChunk;
}

/**
 * Fills each run's newest chunk in memory (its "open" chunk) and writes it as a row once full.
 * A run's `line_count` counts the lines in its rows, kept as rows come and go: appending a batch
 * that fills no chunk writes nothing to the database (a batch of a flood is a few hundred lines).
 * An open chunk is never also a row: `seal` writes it (before a whole write of the database, at the
 * end of its run) and forgets it, and the next append to that run takes the row back if it has room.
 * Lines appended meanwhile are safe in the journal, which records them as they come.
 */
export class ChunkWriter {
  private readonly open = new Map<number, ChunkColumns>();
  /** The highest seq stored per run: a line at or below it is one already stored. */
  private readonly lastSeq = new Map<number, number>();

  /**
   * `sealed`: each chunk written as a row is pushed here (the store journals them, compressed as
   * they are). A list rather than a callback: a call to another closure than the warm-up's threw
   * the optimized `append` away at a flood's first chunk.
   */
  constructor(
    private readonly sql: Statements,
    private readonly sealed?: SealedChunk[],
  ) {}

  /**
   * Adds lines [from, to) of `view` (all of run `runId`) that are above the run's last stored seq,
   * in order (a line sent again is skipped); returns how many were added. Columns are copied from
   * the view as they are: no object per line.
   */
  append(runId: number, view: BatchView, from: number, to: number): number {
    if (from >= to) return 0;
    const columns = this.open.get(runId) ?? this.reopen(runId);
    let last = this.lastSeq.get(runId) ?? 0;
    let added = 0;
    const { seq, meta, entry, ts, textAt, texts } = view;
    let textFrom = -1; // where the texts of the lines added since the last addText start
    for (let i = from; i < to; i++) {
      if (!(seq[i] > last)) {
        // Stored before (a replay, a resend): the texts so far go in, this one does not.
        if (textFrom >= 0) columns.addText(texts.slice(textFrom, textAt[i]));
        textFrom = -1;
        continue;
      }
      last = seq[i];
      added++;
      if (textFrom < 0) textFrom = textAt[i];
      columns.setNumbers(last, meta[i] & META_BITS, ts[i], entry[i], textAt[i + 1] - textAt[i]);
      if (columns.full) {
        columns.addText(texts.slice(textFrom, textAt[i + 1]));
        textFrom = -1;
        this.insert(runId, columns);
        columns.clear();
      }
    }
    if (textFrom >= 0) columns.addText(texts.slice(textFrom, textAt[to]));
    this.lastSeq.set(runId, last);
    return added;
  }

  /** The run's lines not yet in a row (undefined when none). */
  openColumns(runId: number): ChunkColumns | undefined {
    const columns = this.open.get(runId);
    return columns && columns.count > 0 ? columns : undefined;
  }

  /** The highest stored seq of each run this writer has appended to or reopened. */
  storedSeqs(): Map<number, number> {
    return new Map(this.lastSeq);
  }

  /** Runs with lines in an open chunk. */
  openRuns(): number[] {
    return [...this.open.keys()].filter((runId) => this.open.get(runId)!.count > 0);
  }

  /** Writes the run's open chunk as a row and forgets it. */
  seal(runId: number): void {
    const columns = this.open.get(runId);
    if (!columns) return;
    this.open.delete(runId);
    if (columns.count > 0) this.insert(runId, columns);
  }

  /** Seals every open chunk: the database then holds every line (before export, retention, close). */
  sealAll(): void {
    for (const runId of [...this.open.keys()]) this.seal(runId);
  }

  /** Forgets a deleted run (its open chunk and last seq). */
  forget(runId: number): void {
    this.open.delete(runId);
    this.lastSeq.delete(runId);
  }

  // The run's newest row becomes its open chunk again when it has room; either way its last seq is known.
  private reopen(runId: number): ChunkColumns {
    const fresh = new ChunkColumns();
    this.open.set(runId, fresh);
    const row = this.sql.first('SELECT id, last_seq, line_count, payload FROM chunks WHERE run_id = ? ORDER BY first_seq DESC LIMIT 1', [
      runId,
    ]);
    if (!row) return fresh;
    const [id, lastSeq, count, payload] = row as [number, number, number, Uint8Array];
    this.lastSeq.set(runId, Math.max(this.lastSeq.get(runId) ?? 0, lastSeq));
    if (count >= MAX_CHUNK_LINES) return fresh;
    const decoded = decodeChunk(payload);
    if (decoded.textAt[decoded.count] >= MAX_CHUNK_CHARS) return fresh;
    this.sql.run('DELETE FROM chunks WHERE id = ?', [id]);
    this.sql.run('UPDATE runs SET line_count = line_count - ? WHERE id = ?', [count, runId]);
    const reopened = columnsFromDecoded(decoded);
    this.open.set(runId, reopened);
    return reopened;
  }

  private insert(runId: number, columns: ChunkColumns): void {
    const chunk = encodeChunk(columns);
    this.sql.run(
      `INSERT INTO chunks (run_id, first_seq, last_seq, first_ts, last_ts, line_count, levels, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [runId, chunk.firstSeq, chunk.lastSeq, chunk.firstTs, chunk.lastTs, chunk.count, chunk.levels, chunk.payload],
    );
    this.sql.run('UPDATE runs SET line_count = line_count + ? WHERE id = ?', [chunk.count, runId]);
    this.sealed?.push({ runId, chunk });
  }
}
