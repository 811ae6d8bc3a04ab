import type { LogLine } from '../shared/protocol';
import { type DecodedChunk, decodeChunk, decodedFromColumns, inflateChunk, levelsOf, lineAt } from './chunkCodec';
import type { ChunkWriter } from './chunkWriter';
import type { Statements } from './statements';

/** Which lines of a run a read selects. */
export interface LineFilter {
  /** seq > after */
  after: number;
  /** seq < before (Infinity: no bound) */
  before: number;
  /** Level set as chunk bits (see levelBit); ALL_LEVELS for no filter. */
  levels: number;
  /** Plain substring, ASCII case ignored (as SQL LIKE did). */
  q: string | undefined;
}

export const ALL_LEVELS = 0b1111;

const FORWARD = `SELECT first_seq, last_seq, payload FROM chunks
  WHERE run_id = ? AND last_seq > ? AND first_seq < ? AND (levels & ?) != 0 ORDER BY last_seq`;
const BACKWARD = `SELECT first_seq, last_seq, payload FROM chunks
  WHERE run_id = ? AND first_seq < ? AND last_seq > ? AND (levels & ?) != 0 ORDER BY first_seq DESC`;

/**
 * Reads lines out of a run's chunks: the rows (skipped by their level set, and by a search that
 * cannot match their text, before any line is built) and then the open chunk still in memory.
 */
export class ChunkReader {
  constructor(
    private readonly sql: Statements,
    private readonly writer: ChunkWriter,
  ) {}

  /** Up to `limit` lines in seq order: the first ones of the filter, or with `newest` the last ones. */
  read(runId: number, filter: LineFilter, limit: number, newest = false): LogLine[] {
    const lines: LogLine[] = [];
    this.scan(runId, filter, newest, (chunk, i) => lines.push(lineAt(chunk, i)) < limit);
    return newest ? lines.reverse() : lines;
  }

  /**
   * Calls `fn` with every selected line in seq order, as a chunk and the line's index in it: an
   * export formats straight from the columns, without a LogLine per line.
   */
  forEach(runId: number, filter: LineFilter, fn: (chunk: DecodedChunk, i: number) => void): void {
    this.scan(runId, filter, false, (chunk, i) => {
      fn(chunk, i);
      return true;
    });
  }

  // Visits matching lines (newest first when `backward`) until `visit` returns false.
  private scan(runId: number, filter: LineFilter, backward: boolean, visit: (chunk: DecodedChunk, i: number) => boolean): void {
    const matcher = filter.q ? new TextMatcher(filter.q) : undefined;
    const before = Number.isFinite(filter.before) ? filter.before : Number.MAX_SAFE_INTEGER;
    let going = true;
    const visitChunk = (chunk: DecodedChunk): boolean => {
      const n = chunk.count;
      for (let k = 0; k < n && going; k++) {
        const i = backward ? n - 1 - k : k;
        const seq = chunk.seq[i];
        if (seq <= filter.after || seq >= before) continue;
        if (!(filter.levels & (1 << (chunk.meta[i] & 3)))) continue;
        if (matcher && !matcher.line(chunk.texts.slice(chunk.textAt[i], chunk.textAt[i + 1]))) continue;
        going = visit(chunk, i);
      }
      return going;
    };
    const open = this.writer.openColumns(runId);
    const openChunk = (): boolean => {
      if (!open || !(levelsOf(open) & filter.levels)) return true;
      if (open.seq[open.count - 1] <= filter.after || open.seq[0] >= before) return true;
      return visitChunk(decodedFromColumns(open));
    };
    if (backward && !openChunk()) return;
    this.sql.each(
      backward ? BACKWARD : FORWARD,
      backward ? [runId, before, filter.after, filter.levels] : [runId, filter.after, before, filter.levels],
      (row) => {
        const payload = row[2] as Uint8Array;
        if (!matcher) return visitChunk(decodeChunk(payload));
        const inflated = inflateChunk(payload);
        return matcher.chunk(inflated.raw, inflated.textStart) ? visitChunk(decodeChunk(inflated)) : true;
      },
    );
    if (!backward && going) openChunk();
  }
}

/** `q` as SQL LIKE '%q%' matched it: a plain substring, ASCII letters in either case. */
class TextMatcher {
  private readonly lower: string;
  private readonly bytes: Buffer;
  private readonly foldsCase: boolean;

  constructor(q: string) {
    this.lower = asciiLower(q);
    this.bytes = Buffer.from(this.lower);
    this.foldsCase = /[a-z]/.test(this.lower);
  }

  /** False when no text of the chunk (UTF-8 in `raw` from `start`) can match: most of a search's chunks. */
  chunk(raw: Buffer, start: number): boolean {
    if (!this.foldsCase) return raw.indexOf(this.bytes, start) >= 0;
    const text = Buffer.from(raw.subarray(start));
    for (let i = 0; i < text.length; i++) {
      const b = text[i];
      if (b >= 65 && b <= 90) text[i] = b | 32;
    }
    return text.indexOf(this.bytes) >= 0;
  }

  line(text: string): boolean {
    return asciiLower(text).includes(this.lower);
  }
}

function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
}
