import { LOG_LEVELS, type LogLevel, type LogLine } from '../shared/protocol';

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
  private ts: string[] = [];
  private text: string[] = [];
  private size = 0;
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
    this.ts = [];
    this.text = [];
    this.size = 0;
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

/** The lines of a LineBatch, one segment per run, as the writer was given them. */
export function readLineBatch(batch: LineBatch): AppendSegment[] {
  const segments: AppendSegment[] = [];
  let i = 0;
  let tsAt = 0;
  let textAt = 0;
  let ts = '';
  batch.runIds.forEach((runId, s) => {
    const lines: LogLine[] = new Array(batch.counts[s]);
    for (let k = 0; k < lines.length; k++, i++) {
      const meta = batch.meta[i];
      if (batch.tsLengths[i] !== SAME_TS) ts = batch.ts.slice(tsAt, (tsAt += batch.tsLengths[i]));
      const text = batch.text.slice(textAt, (textAt += batch.textLengths[i]));
      const line: LogLine = {
        seq: batch.seq[i],
        ts,
        level: LOG_LEVELS[meta & 3] as LogLevel,
        stream: meta & STDERR ? 'stderr' : 'stdout',
        text,
      };
      if (batch.entry[i] > 0) line.entrySeq = batch.entry[i];
      lines[k] = line;
    }
    segments.push({ runId, lines });
  });
  return segments;
}
