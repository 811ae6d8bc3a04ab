import { LOG_LEVELS, type LogLine } from '../shared/protocol';
import { lineAt } from './chunkCodec';
import { heapList } from './heapList';

/**
 * A batch of lines in columns: numbers in typed arrays (transferred, not copied) and all strings
 * joined into two. Posting this costs the main thread a fraction of what cloning one object per
 * line does (measured ~3x less), and that cost is what the host's event loop pays per batch.
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
  text: string;
}

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
  // Emptied in place by `finish`, which joins their strings (see heapList).
  private readonly ts = heapList<string>();
  private readonly text = heapList<string>();
  private size = 0;
  private textChars = 0;
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
    if (lines.length === 0) return;
    this.reserve(this.size + lines.length);
    const last = this.runIds.length - 1;
    if (last >= 0 && this.runIds[last] === runId) this.counts[last] += lines.length;
    else {
      this.runIds.push(runId);
      this.counts.push(lines.length);
    }
    let i = this.size;
    let lastTs = this.lastTs;
    for (const line of lines) {
      this.seq[i] = line.seq;
      this.meta[i] = levelIndex(line.level) | (line.stream === 'stderr' ? STDERR : 0);
      this.entry[i] = line.entrySeq ?? 0;
      if (line.ts === lastTs) this.tsLengths[i] = SAME_TS;
      else {
        lastTs = line.ts;
        this.tsLengths[i] = lastTs.length;
        this.ts.push(lastTs);
      }
      this.textLengths[i] = line.text.length;
      this.textChars += line.text.length;
      this.text.push(line.text);
      i++;
    }
    this.size = i;
    this.lastTs = lastTs;
  }

  /** The batch so far, with the buffers to transfer; the writer starts empty again. */
  finish(): { batch: LineBatch; transfer: ArrayBuffer[] } {
    const n = this.size;
    const batch: LineBatch = {
      runIds: this.runIds,
      counts: this.counts,
      seq: this.seq.slice(0, n),
      meta: this.meta.slice(0, n),
      entry: this.entry.slice(0, n),
      tsLengths: this.tsLengths.slice(0, n),
      textLengths: this.textLengths.slice(0, n),
      ts: this.ts.join(''),
      text: this.text.join(''),
    };
    this.runIds = [];
    this.counts = [];
    this.ts.length = 0;
    this.text.length = 0;
    this.size = 0;
    this.textChars = 0;
    this.lastTs = undefined;
    const transfer = [batch.seq, batch.meta, batch.entry, batch.tsLengths, batch.textLengths].map((a) => a.buffer as ArrayBuffer);
    return { batch, transfer };
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

// LOG_LEVELS index by the level's first letter: cheaper per line than a Map lookup.
function levelIndex(level: string): number {
  const index = LEVEL_BY_FIRST[level.charCodeAt(0)];
  return index !== undefined && LOG_LEVELS[index] === level ? index : INFO;
}
const LEVEL_BY_FIRST: (number | undefined)[] = [];
LOG_LEVELS.forEach((level, i) => (LEVEL_BY_FIRST[level.charCodeAt(0)] = i));

/** The size a batch counts for in the store's backlog: its strings' lengths. */
export function lineBatchChars(batch: LineBatch): number {
  return batch.ts.length + batch.text.length;
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

/** Resolves a LineBatch's timestamps and text offsets (one pass, no strings copied). */
export function viewLineBatch(batch: LineBatch): BatchView {
  const n = batch.seq.length;
  const ts = new Array<string>(n);
  const textAt = new Uint32Array(n + 1);
  let tsAt = 0;
  let last = '';
  for (let i = 0; i < n; i++) {
    if (batch.tsLengths[i] !== SAME_TS) last = batch.ts.slice(tsAt, (tsAt += batch.tsLengths[i]));
    ts[i] = last;
    textAt[i + 1] = textAt[i] + batch.textLengths[i];
  }
  const bounds = [0];
  for (const count of batch.counts) bounds.push(bounds[bounds.length - 1] + count);
  return { runIds: batch.runIds, bounds, seq: batch.seq, meta: batch.meta, entry: batch.entry, ts, textAt, texts: batch.text };
}

/** The lines of one run as a BatchView (replaying a journal, merging another file, tests). */
export function viewOfLines(runId: number, lines: readonly LogLine[]): BatchView {
  const writer = new LineBatchWriter(Math.max(1, lines.length));
  writer.add(runId, lines);
  const view = viewLineBatch(writer.finish().batch);
  return lines.length > 0 ? view : { ...view, runIds: [runId], bounds: [0, 0] };
}

/** The lines of a LineBatch, one segment per run, as the writer was given them. */
export function readLineBatch(batch: LineBatch): AppendSegment[] {
  const view = viewLineBatch(batch);
  return view.runIds.map((runId, k) => {
    const lines: LogLine[] = [];
    for (let i = view.bounds[k]; i < view.bounds[k + 1]; i++) lines.push(lineAt(view, i));
    return { runId, lines };
  });
}
