import { LOG_LEVELS, type LogLine } from '../shared/protocol';
import { lineAt } from './chunkCodec';
import { heapList } from './heapList';

/**
 * A batch of lines in columns: numbers in typed arrays (transferred, not copied), timestamps joined
 * into one string and texts into a few. Posting this costs the main thread a fraction of what
 * cloning one object per line does (measured ~3x less), and that cost is what the host's event loop
 * pays per batch.
 */
export interface LineBatch {
  /** Run id of each segment, and how many lines it has, in order. */
  runIds: number[];
  counts: number[];
  seq: Float64Array;
  /** Level index in LOG_LEVELS, plus 4 for stderr. */
  meta: Uint8Array;
  /** entrySeq, 0 for none. */
  entry: Float64Array;
  /** SAME_TS: the previous line's timestamp again (a flood's lines share one per slice), not repeated in `ts`. */
  tsLengths: Uint32Array;
  textLengths: Uint32Array;
  ts: string;
  /** The texts joined, in pieces of whole lines (see TEXT_PIECE_CHARS). */
  texts: string[];
  /** How many lines each piece of `texts` holds. */
  pieceLines: number[];
}

/**
 * Characters past which the writer joins the texts so far into a piece. A string past ~128 KiB
 * goes to V8's large-object space, where making it costs ~40x as much a line (a 1000-line join of
 * two-byte text: ~820 against ~18 ns a line, measured), on the main thread and again in the
 * worker: 32 Ki units (plus a line) keep a piece below that even for two-byte text, and a batch
 * can then be larger than one piece.
 */
export const TEXT_PIECE_CHARS = 32 * 1024;

/** The lines of one run in an append batch, in seq order. */
export interface AppendSegment {
  runId: number;
  lines: LogLine[];
}

const STDERR = 4;
const SAME_TS = 0xffffffff;
const LEVEL_INDEX = new Map<string, number>(LOG_LEVELS.map((level, i) => [level, i]));
const INFO = LEVEL_INDEX.get('INFO')!;

/** Builds a LineBatch line by line; `finish` hands it over and starts a new one. */
export class LineBatchWriter {
  private runIds: number[] = [];
  private counts: number[] = [];
  private seq: Float64Array;
  private meta: Uint8Array;
  private entry: Float64Array;
  private tsLengths: Uint32Array;
  private textLengths: Uint32Array;
  // Emptied in place once joined (see heapList).
  private readonly ts = heapList<string>();
  private readonly text = heapList<string>();
  // Handed over with each batch, so new lists then.
  private pieces = heapList<string>();
  private pieceLines: number[] = [];
  private size = 0;
  private textChars = 0;
  /** Characters in `text`, not yet joined into a piece, and the index of its first line. */
  private pieceChars = 0;
  private pieceStart = 0;
  private lastTs: string | undefined;

  constructor(private readonly capacity: number) {
    this.seq = new Float64Array(capacity);
    this.meta = new Uint8Array(capacity);
    this.entry = new Float64Array(capacity);
    this.tsLengths = new Uint32Array(capacity);
    this.textLengths = new Uint32Array(capacity);
  }

  /** Lines added since the last `finish`. */
  get length(): number {
    return this.size;
  }

  /** Characters of text added since the last `finish`. */
  get chars(): number {
    return this.textChars;
  }

  /** Adds lines of a run (their fields are copied). A level outside LOG_LEVELS is stored as INFO. */
  add(runId: number, lines: readonly LogLine[]): void {
    this.addWithin(runId, lines, 0, Infinity, Infinity);
  }

  /**
   * Adds lines of a run from `from` on until the batch holds `maxLines` lines or `maxChars` of text
   * (at least one line); returns the index of the first line not added.
   */
  addWithin(runId: number, lines: readonly LogLine[], from: number, maxLines: number, maxChars: number): number {
    const n = lines.length;
    if (from >= n) return from;
    this.reserve(this.size + Math.min(n - from, Math.max(1, maxLines - this.size)));
    let i = this.size;
    let at = from;
    let lastTs = this.lastTs;
    let textChars = this.textChars;
    do {
      const line = lines[at++];
      this.seq[i] = line.seq;
      this.meta[i] = metaOf(line);
      this.entry[i] = line.entrySeq ?? 0;
      if (line.ts === lastTs) this.tsLengths[i] = SAME_TS;
      else {
        lastTs = line.ts;
        this.tsLengths[i] = lastTs.length;
        this.ts.push(lastTs);
      }
      const chars = line.text.length;
      this.textLengths[i] = chars;
      textChars += chars;
      this.text.push(line.text);
      i++;
      this.pieceChars += chars;
      if (this.pieceChars >= TEXT_PIECE_CHARS) this.closePiece(i);
    } while (at < n && i < maxLines && textChars < maxChars);
    const added = at - from;
    const last = this.runIds.length - 1;
    if (last >= 0 && this.runIds[last] === runId) this.counts[last] += added;
    else {
      this.runIds.push(runId);
      this.counts.push(added);
    }
    this.size = i;
    this.textChars = textChars;
    this.lastTs = lastTs;
    return at;
  }

  /** The batch so far, with the buffers to transfer; the writer starts empty again. */
  finish(): { batch: LineBatch; transfer: ArrayBuffer[] } {
    const n = this.size;
    if (n > this.pieceStart || this.pieces.length === 0) this.closePiece(n);
    const batch: LineBatch = {
      runIds: this.runIds,
      counts: this.counts,
      seq: this.seq.slice(0, n),
      meta: this.meta.slice(0, n),
      entry: this.entry.slice(0, n),
      tsLengths: this.tsLengths.slice(0, n),
      textLengths: this.textLengths.slice(0, n),
      ts: this.ts.join(''),
      texts: this.pieces,
      pieceLines: this.pieceLines,
    };
    this.runIds = [];
    this.counts = [];
    this.ts.length = 0;
    this.pieces = heapList<string>();
    this.pieceLines = [];
    this.pieceStart = 0;
    this.size = 0;
    this.textChars = 0;
    this.lastTs = undefined;
    const transfer = [batch.seq, batch.meta, batch.entry, batch.tsLengths, batch.textLengths].map((a) => a.buffer as ArrayBuffer);
    return { batch, transfer };
  }

  // Lines [pieceStart, end) become one piece of text.
  private closePiece(end: number): void {
    this.pieces.push(this.text.join(''));
    this.pieceLines.push(end - this.pieceStart);
    this.pieceStart = end;
    this.pieceChars = 0;
    this.text.length = 0;
  }

  private reserve(needed: number): void {
    if (needed <= this.seq.length) return;
    const capacity = Math.max(needed, this.seq.length * 2, this.capacity);
    this.seq = grow(this.seq, new Float64Array(capacity));
    this.meta = grow(this.meta, new Uint8Array(capacity));
    this.entry = grow(this.entry, new Float64Array(capacity));
    this.tsLengths = grow(this.tsLengths, new Uint32Array(capacity));
    this.textLengths = grow(this.textLengths, new Uint32Array(capacity));
  }
}

function grow<T extends Float64Array | Uint8Array | Uint32Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}

function metaOf(line: LogLine): number {
  return levelIndex(line.level) | (line.stream === 'stderr' ? STDERR : 0);
}

// LOG_LEVELS index by the level's first letter: cheaper per line than a Map lookup.
function levelIndex(level: string): number {
  const index = LEVEL_BY_FIRST[level.charCodeAt(0)];
  return index !== undefined && LOG_LEVELS[index] === level ? index : INFO;
}
const LEVEL_BY_FIRST: (number | undefined)[] = [];
LOG_LEVELS.forEach((level, i) => (LEVEL_BY_FIRST[level.charCodeAt(0)] = i));

/** The size a batch counts for in the store's backlog: its strings' lengths. */
export function lineBatchChars(batch: LineBatch): number {
  let chars = batch.ts.length;
  for (const piece of batch.texts) chars += piece.length;
  return chars;
}

/**
 * A LineBatch with each line's timestamp and text bounds resolved, read in place: the store appends
 * lines from it column by column, with no object per line.
 */
export interface BatchView {
  /** Lines [from, to) of segment k belong to runIds[k]. */
  runIds: readonly number[];
  bounds: readonly number[];
  seq: Float64Array;
  /** Level index in LOG_LEVELS (0–3), plus 4 for stderr. */
  meta: Uint8Array;
  entry: Float64Array;
  /** Each line's timestamp (lines of one slice share one string). */
  ts: string[];
  /** Line i's text is texts.slice(textAt[i], textAt[i + 1]). */
  textAt: Uint32Array;
  texts: string;
}

/**
 * Resolves a LineBatch's timestamps and text offsets (no strings copied): one view per piece of its
 * text, holding that piece's lines and the segments (or the parts of them) they belong to.
 */
export function viewsOfLineBatch(batch: LineBatch): BatchView[] {
  const n = batch.seq.length;
  const ts = new Array<string>(n);
  let tsAt = 0;
  let last = '';
  for (let i = 0; i < n; i++) {
    if (batch.tsLengths[i] !== SAME_TS) last = batch.ts.slice(tsAt, (tsAt += batch.tsLengths[i]));
    ts[i] = last;
  }
  // Segment k holds lines [segmentAt[k], segmentAt[k + 1]).
  const segmentAt = [0];
  for (const count of batch.counts) segmentAt.push(segmentAt[segmentAt.length - 1] + count);
  const views: BatchView[] = [];
  let from = 0;
  let k = 0;
  batch.texts.forEach((texts, piece) => {
    const to = from + batch.pieceLines[piece];
    const textAt = new Uint32Array(to - from + 1);
    for (let i = from; i < to; i++) textAt[i - from + 1] = textAt[i - from] + batch.textLengths[i];
    while (k < batch.counts.length && segmentAt[k + 1] <= from) k++;
    const runIds: number[] = [];
    const bounds = [0];
    for (let j = k; j < batch.counts.length && segmentAt[j] < to; j++) {
      runIds.push(batch.runIds[j]);
      bounds.push(Math.min(segmentAt[j + 1], to) - from);
    }
    const whole = from === 0 && to === n;
    views.push({
      runIds,
      bounds,
      seq: whole ? batch.seq : batch.seq.subarray(from, to),
      meta: whole ? batch.meta : batch.meta.subarray(from, to),
      entry: whole ? batch.entry : batch.entry.subarray(from, to),
      ts: whole ? ts : ts.slice(from, to),
      textAt,
      texts,
    });
    from = to;
  });
  return views;
}

/** The lines of one run as a BatchView (replaying a journal, merging another file, tests). */
export function viewOfLines(runId: number, lines: readonly LogLine[]): BatchView {
  const n = lines.length;
  const seq = new Float64Array(n);
  const meta = new Uint8Array(n);
  const entry = new Float64Array(n);
  const ts = new Array<string>(n);
  const textAt = new Uint32Array(n + 1);
  lines.forEach((line, i) => {
    seq[i] = line.seq;
    meta[i] = metaOf(line);
    entry[i] = line.entrySeq ?? 0;
    ts[i] = line.ts;
    textAt[i + 1] = textAt[i] + line.text.length;
  });
  const texts = lines.map((line) => line.text).join('');
  return { runIds: [runId], bounds: [0, n], seq, meta, entry, ts, textAt, texts };
}

/** The lines of a LineBatch, one segment per run, as the writer was given them. */
export function readLineBatch(batch: LineBatch): AppendSegment[] {
  const segments: AppendSegment[] = [];
  for (const view of viewsOfLineBatch(batch)) {
    view.runIds.forEach((runId, k) => {
      // Consecutive segments are of different runs: the same run again is one cut by a piece's end.
      let segment = segments[segments.length - 1];
      if (k > 0 || segment?.runId !== runId) segments.push((segment = { runId, lines: [] }));
      for (let i = view.bounds[k]; i < view.bounds[k + 1]; i++) segment.lines.push(lineAt(view, i));
    });
  }
  return segments;
}
