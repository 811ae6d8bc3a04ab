import { LOG_LEVELS, type LogLevel, type LogLine, type StreamName } from '../shared/protocol';
import { Emitter } from '../common/disposable';

/** A line before the ring gives it a seq. */
export interface NewLine {
  ts: string;
  level: LogLevel;
  stream: StreamName;
  text: string;
  /** See `LogLine.entrySeq`: set on a line that continues an entry. */
  entrySeq?: number;
}

export interface LogRingOptions {
  /** Most lines kept. */
  capacity?: number;
  /** Most bytes of SSE frames kept. */
  maxBytes?: number;
}

// The JSON of each level and stream name, so a frame needs one JSON.stringify (the text) for the
// usual values; the hot path of a flood builds one frame per line.
const QUOTED = new Map<string, string>([...LOG_LEVELS, 'stdout', 'stderr'].map((v) => [v, JSON.stringify(v)]));
const quoted = (value: string): string => QUOTED.get(value) ?? JSON.stringify(value);

// The lines of a read share one timestamp: its JSON is made once.
let lastTs = '';
let lastTsJson = '""';

/**
 * A line's SSE frame: its data is exactly `JSON.stringify(line)`, built by hand at half the cost.
 * Serialised once per line so that N clients cost N writes, not N serialisations.
 */
export function logFrame(line: LogLine): string {
  if (line.ts !== lastTs) {
    lastTs = line.ts;
    lastTsJson = JSON.stringify(line.ts);
  }
  const entry = line.entrySeq === undefined ? '' : `,"entrySeq":${line.entrySeq}`;
  const data = `{"seq":${line.seq},"ts":${lastTsJson},"level":${quoted(line.level)},"stream":${quoted(line.stream)},"text":${JSON.stringify(line.text)}${entry}}`;
  return `event: log\nid: ${line.seq}\ndata: ${data}\n\n`;
}

/** Bytes of one piece of the ring's frame storage (a frame larger than this gets a piece of its own). */
export const RING_SEGMENT_BYTES = 1024 * 1024;

// logFrame's output written as bytes straight into the ring, piece by piece: building the frame as
// a string first cost ~850 bytes of garbage a line (a flood's largest allocation by far: the
// template's intermediate strings, the text's JSON copy, the batch's join).
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
const FRAME_ID = latin1('event: log\nid: ');
const FRAME_SEQ = latin1('\ndata: {"seq":');
const FRAME_TS = latin1(',"ts":');
/** `,"level":…,"stream":…,"text":` for each level (LOG_LEVELS order) and stream (stdout, stderr). */
const FRAME_LEVEL_STREAM = LOG_LEVELS.map((level) =>
  (['stdout', 'stderr'] as const).map((stream) => latin1(`,"level":${quoted(level)},"stream":${quoted(stream)},"text":`)),
);
const LEVEL_INDEX = new Map<string, number>(LOG_LEVELS.map((level, i) => [level, i]));
const FRAME_ENTRY = latin1(',"entrySeq":');
const FRAME_END = latin1('}\n\n');
/** Bytes of a frame besides its timestamp and text, at most (with room to spare for three long numbers). */
const FRAME_FIXED_BYTES = 192;
/** What JSON.stringify writes otherwise than as is: quote, backslash, control characters, surrogates (it escapes lone ones). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const QUOTE = 0x22;

/**
 * The bounded window of recent lines, in seq order. Seq starts at 1 and has no holes; the oldest
 * lines drop out when either bound is passed. Readers keep their own cursor (a seq).
 *
 * The lines are kept as their SSE frames' UTF-8 bytes off the JS heap: a flood then leaves no
 * long-lived objects behind, so garbage collection stays short, and a client's run of frames is
 * one contiguous copy. The bytes go in 1 MiB segments of one Buffer the size of the byte bound,
 * taken in order as the held frames need them and reused, oldest first, once every frame in one
 * has dropped out: a ring holding 10 MB writes about 11 MB of its 32 MB Buffer, and memory is only
 * taken by pages written (a page's first write is a page fault: on the project's VM, 115 ms for
 * 32 MiB, about a sixth of a 200 000-line flood's main thread). A frame larger than a segment
 * gets a Buffer of its own.
 */
export class LogRing {
  readonly capacity: number;
  readonly maxBytes: number;
  private readonly segmentBytes: number;
  /** Segments holding frames (or being written), oldest first; the last is written at writePos. */
  private segments: Buffer[] = [];
  /** The id of segments[0]; segments[k] has id firstSegment + k (a reused one gets a new id). */
  private firstSegment = 0;
  private segmentsBytes = 0;
  /** Where segments come from; `nextSlot` is the first never taken, `freeSlots` ones given back (highest first). */
  private readonly arena: Buffer;
  private nextSlot = 0;
  private freeSlots: number[] = [];
  // Each entry's segment by id: numbers, not references (a reference to a young Buffer from this
  // old array costs a write barrier a line and a remembered slot each scavenge walks).
  private readonly segmentOf: Float64Array;
  private readonly starts: Float64Array; // byte offset of each entry's frame in its segment
  private readonly lengths: Uint32Array;
  private head = 0; // index of the oldest entry
  private size = 0;
  private bytes = 0;
  private writePos = 0;
  private last = 0;
  /** The JSON of the last timestamp framed, as bytes (the lines of a read share one). */
  private tsOf = '';
  private tsBytes = latin1('""');
  private readonly appended = new Emitter<readonly LogLine[]>();
  /** Fires once per appended batch. */
  readonly onDidAppend = this.appended.event;

  constructor(options: LogRingOptions = {}) {
    this.capacity = positiveInt('capacity', options.capacity ?? 50_000);
    this.maxBytes = positiveInt('maxBytes', options.maxBytes ?? 32 * 1024 * 1024);
    this.segmentBytes = Math.min(RING_SEGMENT_BYTES, this.maxBytes);
    // Enough segments for the bound plus the one being filled (see nextSegment).
    this.arena = Buffer.allocUnsafeSlow((Math.floor(this.maxBytes / this.segmentBytes) + 1) * this.segmentBytes);
    this.segmentOf = new Float64Array(this.capacity);
    this.starts = new Float64Array(this.capacity);
    this.lengths = new Uint32Array(this.capacity);
    // Fields that first change only once the ring is full start out changed: V8 treats a field
    // never written twice as a constant, and its first change mid-flood would throw away the
    // optimized append/frames/place and compile them again (measured: ~80 ms of compiling).
    this.head = this.firstSegment = -1;
    this.head = this.firstSegment = 0;
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

  /** Bytes of frame storage the ring has taken (what it costs in memory beyond the lines' objects). */
  get storageBytes(): number {
    return this.segmentsBytes;
  }

  /** Gives the lines their seqs, stores them, and tells readers once. */
  append(batch: readonly NewLine[]): LogLine[] {
    const out: LogLine[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const b = batch[i];
      const line: LogLine = { seq: ++this.last, ts: b.ts, level: b.level, stream: b.stream, text: b.text };
      if (b.entrySeq !== undefined) line.entrySeq = b.entrySeq;
      this.storeLine(line);
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
    return i === undefined ? undefined : this.segmentAt(i).toString('utf8', this.starts[i], this.starts[i] + this.lengths[i]);
  }

  /**
   * A copy of the frames from `seq` on that lie together in one segment, up to about `maxBytes`
   * (at least one frame), and the seq after them; undefined when `seq` is not held.
   */
  frames(seq: number, maxBytes: number): { bytes: Buffer; next: number } | undefined {
    let i = this.indexOf(seq);
    if (i === undefined) return undefined;
    const segment = this.segmentOf[i];
    const buffer = this.segmentAt(i);
    const from = this.starts[i];
    let to = from + this.lengths[i];
    let next = seq + 1;
    while (next <= this.last && to - from < maxBytes) {
      i = (i + 1) % this.capacity;
      if (this.segmentOf[i] !== segment || this.starts[i] !== to) break; // the next segment begins
      to += this.lengths[i];
      next++;
    }
    // A copy: the socket may keep it queued while the ring reuses these bytes.
    return { bytes: Buffer.from(buffer.subarray(from, to)), next };
  }

  /** Lines with seq > after that are still held, oldest first, at most `limit`. */
  slice(after: number, limit = Infinity): LogLine[] {
    const out: LogLine[] = [];
    for (let seq = Math.max(after + 1, this.oldestSeq); seq <= this.last && out.length < limit; seq++) {
      out.push(lineOfFrame(this.frame(seq)!));
    }
    return out;
  }

  /** Forgets every line; seqs go on from where they were. */
  clear(): void {
    while (this.size > 0) this.dropOldest();
    this.firstSegment += this.segments.length;
    this.segments = [];
    this.segmentsBytes = 0;
    this.nextSlot = 0;
    this.freeSlots = [];
    this.writePos = 0;
  }

  dispose(): void {
    this.appended.dispose();
  }

  /**
   * Stores the line's frame, the bytes of `logFrame(line)`, written piece by piece where writing is.
   * A line of another level or stream, or one too long for a segment, goes the way of `store`.
   */
  private storeLine(line: LogLine): void {
    const level = LEVEL_INDEX.get(line.level);
    const text = line.text;
    const json = NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : undefined;
    const ts = this.tsJsonBytes(line.ts);
    // The most it can take: 3 bytes of UTF-8 a UTF-16 unit.
    const most = FRAME_FIXED_BYTES + ts.length + 3 * (json ?? text).length + 2;
    if (level === undefined || (line.stream !== 'stdout' && line.stream !== 'stderr') || most > this.segmentBytes) {
      this.store(logFrame(line));
      return;
    }
    let segment = this.segments[this.segments.length - 1];
    if (segment === undefined || this.writePos + most > segment.length) segment = this.nextSegment(most);
    let at = this.writePos;
    at = put(segment, at, FRAME_ID);
    at = putDigits(segment, at, line.seq);
    at = put(segment, at, FRAME_SEQ);
    at = putDigits(segment, at, line.seq);
    at = put(segment, at, FRAME_TS);
    at = put(segment, at, ts);
    at = put(segment, at, FRAME_LEVEL_STREAM[level][line.stream === 'stderr' ? 1 : 0]);
    if (json === undefined) {
      segment[at++] = QUOTE;
      at += segment.write(text, at);
      segment[at++] = QUOTE;
    } else at += segment.write(json, at);
    if (line.entrySeq !== undefined) {
      at = put(segment, at, FRAME_ENTRY);
      at = putDigits(segment, at, line.entrySeq);
    }
    at = put(segment, at, FRAME_END);
    this.place(at - this.writePos);
  }

  private tsJsonBytes(ts: string): Buffer {
    if (ts !== this.tsOf) {
      this.tsOf = ts;
      this.tsBytes = Buffer.from(JSON.stringify(ts));
    }
    return this.tsBytes;
  }

  private store(frame: string): void {
    // Usually there is room for the frame's largest UTF-8 size (3 bytes a UTF-16 unit) where
    // writing is: encode it there in one pass and learn its size from that, instead of measuring
    // it first (a second pass over a string that a flood builds 200 000 times a second).
    const segment = this.segments[this.segments.length - 1];
    if (segment !== undefined && this.writePos + frame.length * 3 <= segment.length) {
      this.place(segment.write(frame, this.writePos));
      return;
    }
    const n = Buffer.byteLength(frame);
    const target = segment !== undefined && this.writePos + n <= segment.length ? segment : this.nextSegment(n);
    this.place(target.write(frame, this.writePos, n, 'utf8'));
  }

  /** A segment with room for n bytes at its start, made the one written; writePos goes to 0. */
  private nextSegment(n: number): Buffer {
    if (n > this.maxBytes) this.clear(); // a frame larger than the whole bound is held alone
    const size = Math.max(this.segmentBytes, n);
    // Segments past the byte bound (and one being filled) are not taken: the oldest frames make room.
    while (this.segments.length > 0 && this.segmentsBytes + size > this.maxBytes + this.segmentBytes && !this.oldestSegmentFree()) {
      this.dropOldest();
    }
    let segment: Buffer | undefined;
    if (this.segments.length > 0 && this.oldestSegmentFree()) {
      // Every frame of the oldest segment has dropped out: write over it.
      const oldest = this.segments.shift()!;
      this.firstSegment++;
      if (oldest.length === size) segment = oldest;
      else this.release(oldest);
    }
    if (segment === undefined) {
      segment = size === this.segmentBytes ? this.takeSlot() : Buffer.allocUnsafeSlow(size);
      this.segmentsBytes += size;
    }
    this.segments.push(segment);
    this.writePos = 0;
    return segment;
  }

  /** A segment of the arena: the lowest slot given back, else the next never taken. */
  private takeSlot(): Buffer {
    const slot = this.freeSlots.pop() ?? this.nextSlot++;
    const start = slot * this.segmentBytes;
    if (start + this.segmentBytes > this.arena.length) return Buffer.allocUnsafeSlow(this.segmentBytes); // not expected
    return this.arena.subarray(start, start + this.segmentBytes);
  }

  /** A segment no longer used: its arena slot can be taken again. */
  private release(segment: Buffer): void {
    this.segmentsBytes -= segment.length;
    if (segment.buffer !== this.arena.buffer) return;
    this.freeSlots.push((segment.byteOffset - this.arena.byteOffset) / this.segmentBytes);
    this.freeSlots.sort((a, b) => b - a);
  }

  /** True when no held frame lies in the oldest segment. */
  private oldestSegmentFree(): boolean {
    return this.size === 0 || this.segmentOf[this.head] !== this.firstSegment;
  }

  private segmentAt(index: number): Buffer {
    return this.segments[this.segmentOf[index] - this.firstSegment];
  }

  /** Records the n bytes just written at writePos of the newest segment as the newest frame. */
  private place(n: number): void {
    if (this.size === this.capacity) this.dropOldest();
    while (this.size > 0 && this.bytes + n > this.maxBytes) this.dropOldest();
    const index = (this.head + this.size) % this.capacity;
    this.segmentOf[index] = this.firstSegment + this.segments.length - 1;
    this.starts[index] = this.writePos;
    this.lengths[index] = n;
    this.writePos += n;
    this.bytes += n;
    this.size++;
  }

  private indexOf(seq: number): number | undefined {
    if (seq < this.oldestSeq || seq > this.last) return undefined;
    return (this.head + (seq - this.oldestSeq)) % this.capacity;
  }

  private dropOldest(): void {
    this.bytes -= this.lengths[this.head];
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

function put(target: Buffer, at: number, bytes: Uint8Array): number {
  target.set(bytes, at);
  return at + bytes.length;
}

/** Writes a non-negative integer's decimal digits, as String(n) has them. */
function putDigits(target: Buffer, at: number, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) return at + target.write(String(n), at, 'latin1');
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  for (let i = at + digits - 1; i >= at; i--) {
    target[i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return at + digits;
}
