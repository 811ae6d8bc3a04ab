import type { LogLevel, LogLine, StreamName } from '../shared/protocol';
import { Emitter } from './disposable';

/** A line before the ring gives it a seq. */
export interface NewLine {
  ts: string;
  level: LogLevel;
  stream: StreamName;
  text: string;
}

export interface LogRingOptions {
  /** Most lines kept. */
  capacity?: number;
  /** Most bytes (UTF-16 length of the SSE frames, as a proxy) kept. */
  maxBytes?: number;
}

/** Serialised once per line so that N clients cost N writes, not N JSON.stringify calls. */
export function logFrame(line: LogLine): string {
  return `event: log\nid: ${line.seq}\ndata: ${JSON.stringify(line)}\n\n`;
}

/**
 * The bounded window of recent lines, in seq order. Seq starts at 1 and has no holes; the oldest
 * lines drop out when either bound is passed. Readers keep their own cursor (a seq).
 */
export class LogRing {
  readonly capacity: number;
  readonly maxBytes: number;
  // Only the SSE frames are kept: one string a line instead of an object, its text and a frame
  // makes long-lived garbage a third as large, and GC pauses during a flood shorter. Lines are
  // parsed back from frames on the rare paths that want objects (JSON pages).
  private readonly frames: (string | undefined)[];
  private head = 0; // index of the oldest entry
  private size = 0;
  private bytes = 0;
  private last = 0;
  private readonly appended = new Emitter<readonly LogLine[]>();
  /** Fires once per appended batch. */
  readonly onDidAppend = this.appended.event;

  constructor(options: LogRingOptions = {}) {
    this.capacity = positiveInt('capacity', options.capacity ?? 50_000);
    this.maxBytes = positiveInt('maxBytes', options.maxBytes ?? 64 * 1024 * 1024);
    this.frames = new Array(this.capacity);
  }

  /** Seq of the newest line (0 when none yet). */
  get lastSeq(): number {
    return this.last;
  }

  /** Seq of the oldest line still held (lastSeq + 1 when empty). */
  get oldestSeq(): number {
    return this.last - this.size + 1;
  }

  get length(): number {
    return this.size;
  }

  /** Gives the lines their seqs, stores them, and tells readers once. */
  append(batch: readonly NewLine[]): LogLine[] {
    const out: LogLine[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const b = batch[i];
      const line: LogLine = { seq: ++this.last, ts: b.ts, level: b.level, stream: b.stream, text: b.text };
      const frame = logFrame(line);
      if (this.size === this.capacity) this.dropOldest();
      const index = (this.head + this.size) % this.capacity;
      this.frames[index] = frame;
      this.size++;
      this.bytes += frame.length;
      while (this.bytes > this.maxBytes && this.size > 1) this.dropOldest();
      out[i] = line;
    }
    if (out.length > 0) this.appended.fire(out);
    return out;
  }

  /** The line with this seq, if still held. */
  line(seq: number): LogLine | undefined {
    const frame = this.frame(seq);
    return frame === undefined ? undefined : lineOfFrame(frame);
  }

  /** The SSE frame of this seq, if still held. */
  frame(seq: number): string | undefined {
    const i = this.indexOf(seq);
    return i === undefined ? undefined : this.frames[i];
  }

  /** Lines with seq > after that are still held, oldest first, at most `limit`. */
  slice(after: number, limit = Infinity): LogLine[] {
    const out: LogLine[] = [];
    for (let seq = Math.max(after + 1, this.oldestSeq); seq <= this.last && out.length < limit; seq++) {
      out.push(lineOfFrame(this.frames[this.indexOf(seq)!]!));
    }
    return out;
  }

  /** Forgets every line; seqs go on from where they were. */
  clear(): void {
    while (this.size > 0) this.dropOldest();
  }

  dispose(): void {
    this.appended.dispose();
  }

  private indexOf(seq: number): number | undefined {
    if (seq < this.oldestSeq || seq > this.last) return undefined;
    return (this.head + (seq - this.oldestSeq)) % this.capacity;
  }

  private dropOldest(): void {
    this.bytes -= this.frames[this.head]!.length;
    this.frames[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.size--;
  }
}

function lineOfFrame(frame: string): LogLine {
  return JSON.parse(frame.slice(frame.indexOf('\ndata: ') + 7, -2)) as LogLine;
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`invalid ${name}: ${JSON.stringify(value)} (expected a positive integer)`);
  }
  return value;
}
