import { brotliCompressSync, brotliDecompressSync, constants as zlib, inflateRawSync } from 'node:zlib';
import { LOG_LEVELS, type LogLevel, type LogLine } from '../shared/protocol';
import { heapList } from './heapList';
import { IsoTime } from './isoTime';
import type { BatchView } from './lineBatch';

/**
 * A chunk: consecutive lines of one run, stored as one row whose payload is those lines in columns,
 * compressed. Columns compress far better than rows (a timestamp becomes a small delta, a level a
 * byte), and one row per few hundred lines instead of one per line is what makes a flood cheap to
 * store.
 *
 * Payload: BROTLI_PAYLOAD, then the columns compressed with brotli (older payloads are the columns
 * deflated, with no leading byte). The columns: a version byte, then varints: count, first seq;
 * per line its seq delta; one meta byte per line (level index, stderr, has entrySeq, timestamp kept
 * as text); per line with an ISO timestamp its zigzag delta in ms from the previous one (the first
 * from `baseMs`); per line with entrySeq its distance back; per line the UTF-16 length of its text;
 * per odd timestamp its length. Last, the texts and odd timestamps as one UTF-8 run (`textStart` in
 * `DecodedChunk`).
 */

const VERSION = 1;
const STDERR = 4;
/** The meta bit of a stderr line. */
export const STDERR_BIT = STDERR;
/** The meta bits a line brings (level index, stderr); the others are the codec's own. */
export const META_BITS = 3 | STDERR;
const HAS_ENTRY = 8;
const RAW_TS = 16;
/**
 * Brotli at quality 1: on the realistic bench log, 18.5 bytes a line of text payload in about half
 * of deflate level 1's time (18.8 bytes), decompressed within ~10% of its time; compressing is
 * most of what storing a line costs the worker. (Quality 0 is faster still but 15% larger.)
 */
const BROTLI_QUALITY = 1;
/**
 * First byte of a brotli payload. Its bits 1-2 are a deflate stream's first block type, and type 3
 * is one deflate never writes: so a payload that starts with it is not a deflated one, and those
 * (written before brotli) still read.
 */
const BROTLI_PAYLOAD = 0xff;

/** A chunk is sealed at this many lines, or once its texts reach MAX_CHUNK_CHARS. */
export const MAX_CHUNK_LINES = 1024;
export const MAX_CHUNK_CHARS = 64 * 1024;

export const LEVEL_INDEX: ReadonlyMap<string, number> = new Map(LOG_LEVELS.map((level, i) => [level, i]));

/** Bit of `level` in a chunk's level set (the `levels` column). */
export function levelBit(level: LogLevel): number {
  return 1 << (LEVEL_INDEX.get(level) ?? 2);
}

/**
 * Lines of a chunk as columns: what the chunk writer fills and the codec encodes. Numbers go into
 * typed arrays sized for a full chunk and texts into pieces (a batch's lines as one slice of its
 * text), so a line appended costs a few array writes and no allocation.
 */
export class ChunkColumns {
  count = 0;
  /** UTF-16 units of text held (the sum of `textLengths`). */
  chars = 0;
  readonly seq = new Float64Array(MAX_CHUNK_LINES);
  /** Level index | STDERR. */
  readonly meta = new Uint8Array(MAX_CHUNK_LINES);
  /** The line's entrySeq, or 0 for none. */
  readonly entry = new Float64Array(MAX_CHUNK_LINES);
  readonly textLengths = new Uint32Array(MAX_CHUNK_LINES);
  readonly ts = new Array<string>(MAX_CHUNK_LINES);
  private readonly pieces = heapList<string>();

  /** True once the chunk is to be sealed (MAX_CHUNK_LINES lines, or MAX_CHUNK_CHARS of text). */
  get full(): boolean {
    return this.count >= MAX_CHUNK_LINES || this.chars >= MAX_CHUNK_CHARS;
  }

  /** The lines' texts, one after the other. */
  get text(): string {
    if (this.pieces.length > 1) {
      const joined = this.pieces.join('');
      this.pieces.length = 0;
      this.pieces.push(joined);
    }
    return this.pieces[0] ?? '';
  }

  /** The lines' texts, one after the other, in pieces (each piece one or more whole lines). */
  get textPieces(): readonly string[] {
    return this.pieces;
  }

  /** Adds a line whose text is `text` (at most MAX_CHUNK_LINES in all). */
  push(seq: number, meta: number, ts: string, entry: number, text: string): void {
    this.setNumbers(seq, meta, ts, entry, text.length);
    this.pieces.push(text);
  }

  /**
   * Adds a line whose text `addText` brings afterwards: the lines of one batch take their texts as
   * one slice of the batch's text (at most MAX_CHUNK_LINES lines in all).
   */
  setNumbers(seq: number, meta: number, ts: string, entry: number, textLength: number): void {
    if (this.count >= MAX_CHUNK_LINES) throw new Error(`a history chunk holds at most ${MAX_CHUNK_LINES} lines`);
    const i = this.count++;
    this.seq[i] = seq;
    this.meta[i] = meta;
    this.ts[i] = ts;
    this.entry[i] = entry;
    this.textLengths[i] = textLength;
    this.chars += textLength;
  }

  /** The texts of the lines `setNumbers` added, in order. */
  addText(text: string): void {
    if (text.length > 0) this.pieces.push(text);
  }

  /** Empties the columns for the next chunk (their arrays are reused). */
  clear(): void {
    this.count = 0;
    this.chars = 0;
    this.pieces.length = 0;
    this.ts.fill('');
  }
}

/** A chunk's row: its bounds, its level set and its compressed payload. */
export interface EncodedChunk {
  firstSeq: number;
  lastSeq: number;
  firstTs: string;
  lastTs: string;
  count: number;
  levels: number;
  payload: Uint8Array;
}

export function emptyColumns(): ChunkColumns {
  return new ChunkColumns();
}

/** Adds one line to `columns` (a level outside LOG_LEVELS counts as INFO). */
export function pushLine(columns: ChunkColumns, line: LogLine): void {
  const meta = (LEVEL_INDEX.get(line.level) ?? 2) | (line.stream === 'stderr' ? STDERR : 0);
  columns.push(line.seq, meta, line.ts, line.entrySeq ?? 0, line.text);
}

/** Meta byte for a level index and stream (used by the batch reader, which has no LogLine). */
export function metaOf(levelIndex: number, stderr: boolean): number {
  return levelIndex | (stderr ? STDERR : 0);
}

/** The level set of some columns. */
export function levelsOf(columns: ChunkColumns): number {
  let levels = 0;
  for (let i = 0; i < columns.count; i++) levels |= 1 << (columns.meta[i] & 3);
  return levels;
}

/** Encodes and compresses `columns` (at least one line, seqs ascending). */
export function encodeChunk(columns: ChunkColumns): EncodedChunk {
  const n = columns.count;
  const chars = columns.chars;
  // Room for the columns (a few bytes a line) and the texts as UTF-8 (mostly one byte a character),
  // so the buffer rarely grows and copies itself.
  const out = scratchWriter(64 + n * 12 + chars + (chars >> 3));
  out.byte(VERSION);
  out.varint(n);
  out.varint(columns.seq[0]);
  for (let i = 1; i < n; i++) out.varint(columns.seq[i] - columns.seq[i - 1]);
  // Timestamps: parse each distinct string once (a flood shares one per slice of lines).
  const tsMs = new Array<number>(n);
  const iso = new IsoTime();
  let lastTs = '';
  let lastMs = NaN;
  for (let i = 0; i < n; i++) {
    const ts = columns.ts[i];
    if (ts !== lastTs) {
      lastTs = ts;
      lastMs = iso.parse(ts);
    }
    tsMs[i] = lastMs;
  }
  let levels = 0;
  const oddTs: string[] = [];
  for (let i = 0; i < n; i++) {
    const meta = columns.meta[i];
    levels |= 1 << (meta & 3);
    out.byte(meta | (columns.entry[i] > 0 ? HAS_ENTRY : 0) | (Number.isNaN(tsMs[i]) ? RAW_TS : 0));
  }
  let prevMs = 0;
  let based = false;
  for (let i = 0; i < n; i++) {
    const ms = tsMs[i];
    if (Number.isNaN(ms)) {
      oddTs.push(columns.ts[i]);
      continue;
    }
    if (!based) {
      out.varint(ms);
      based = true;
    } else out.varint(zigzag(ms - prevMs));
    prevMs = ms;
  }
  for (let i = 0; i < n; i++) if (columns.entry[i] > 0) out.varint(columns.seq[i] - columns.entry[i]);
  for (let i = 0; i < n; i++) out.varint(columns.textLengths[i]);
  for (const ts of oddTs) out.varint(ts.length);
  // Piece by piece: joining them first would copy a chunk's text once more, on fresh pages.
  for (const piece of columns.textPieces) out.utf8(piece);
  if (oddTs.length > 0) out.utf8(oddTs.join(''));
  return {
    firstSeq: columns.seq[0],
    lastSeq: columns.seq[n - 1],
    firstTs: columns.ts[0],
    lastTs: columns.ts[n - 1],
    count: n,
    levels,
    payload: compress(out.bytes()),
  };
}

/** A payload inflated and parsed into columns; `text` is sliced out of one string lazily by `line`. */
export interface DecodedChunk {
  count: number;
  seq: Float64Array;
  meta: Uint8Array;
  /** ISO text of each line's timestamp. */
  ts: string[];
  entry: Float64Array;
  /** Start (UTF-16 units) of each line's text in `texts`; line i ends where line i + 1 starts. */
  textAt: Uint32Array;
  texts: string;
}

/** The inflated payload, before its columns are parsed: a search can look at `textBytes` first. */
export interface InflatedChunk {
  raw: Buffer;
  /** Where the UTF-8 run of texts starts in `raw`. */
  textStart: number;
}

function compress(raw: Uint8Array): Uint8Array {
  const packed = brotliCompressSync(raw, {
    params: { [zlib.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length },
  });
  const payload = new Uint8Array(packed.length + 1);
  payload[0] = BROTLI_PAYLOAD;
  payload.set(packed, 1);
  return payload;
}

function decompress(payload: Uint8Array): Buffer {
  return payload[0] === BROTLI_PAYLOAD ? brotliDecompressSync(payload.subarray(1)) : inflateRawSync(payload);
}

export function inflateChunk(payload: Uint8Array): InflatedChunk {
  const raw = decompress(payload);
  return { raw, textStart: parseColumns(raw, false).textStart };
}

export function decodeChunk(payload: Uint8Array | InflatedChunk): DecodedChunk {
  const raw = payload instanceof Uint8Array ? decompress(payload) : payload.raw;
  return parseColumns(raw, true).decoded!;
}

function parseColumns(raw: Buffer, full: boolean): { textStart: number; decoded?: DecodedChunk } {
  const r = new ByteReader(raw);
  const version = r.byte();
  if (version !== VERSION) throw new Error(`history chunk of unknown version ${version}`);
  const n = r.varint();
  const seq = new Float64Array(n);
  seq[0] = r.varint();
  for (let i = 1; i < n; i++) seq[i] = seq[i - 1] + r.varint();
  const meta = raw.subarray(r.at, r.at + n);
  r.at += n;
  const tsMs = new Float64Array(n);
  let ms = 0;
  let based = false;
  let oddCount = 0;
  for (let i = 0; i < n; i++) {
    if (meta[i] & RAW_TS) {
      oddCount++;
      continue;
    }
    ms = based ? ms + unzigzag(r.varint()) : r.varint();
    based = true;
    tsMs[i] = ms;
  }
  const entry = new Float64Array(n);
  for (let i = 0; i < n; i++) if (meta[i] & HAS_ENTRY) entry[i] = seq[i] - r.varint();
  const textAt = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) textAt[i + 1] = textAt[i] + r.varint();
  const oddLengths: number[] = [];
  for (let k = 0; k < oddCount; k++) oddLengths.push(r.varint());
  const textStart = r.at;
  if (!full) return { textStart };
  const all = raw.toString('utf8', textStart);
  const ts = new Array<string>(n);
  let oddAt = textAt[n];
  const iso = new IsoTime();
  let lastMs = NaN;
  let lastIso = '';
  for (let i = 0, k = 0; i < n; i++) {
    if (meta[i] & RAW_TS) {
      ts[i] = all.slice(oddAt, (oddAt += oddLengths[k++]));
      continue;
    }
    if (tsMs[i] !== lastMs) {
      lastMs = tsMs[i];
      lastIso = iso.format(lastMs);
    }
    ts[i] = lastIso;
  }
  return { textStart, decoded: { count: n, seq, meta: Uint8Array.from(meta), ts, entry, textAt, texts: all } };
}

/** The columns a line is read from: a decoded chunk's, or a batch's (BatchView). */
export type LineColumns = Pick<DecodedChunk, 'seq' | 'meta' | 'ts' | 'entry' | 'textAt' | 'texts'>;

/** Line `i` of a decoded chunk or a batch as a LogLine (entrySeq only when it has one). */
export function lineAt(chunk: LineColumns, i: number): LogLine {
  const meta = chunk.meta[i];
  const line: LogLine = {
    seq: chunk.seq[i],
    ts: chunk.ts[i],
    level: LOG_LEVELS[meta & 3],
    stream: meta & STDERR ? 'stderr' : 'stdout',
    text: chunk.texts.slice(chunk.textAt[i], chunk.textAt[i + 1]),
  };
  if (chunk.entry[i] > 0) line.entrySeq = chunk.entry[i];
  return line;
}

/** The open chunk's columns in the decoded shape, so readers treat it like a stored one. */
export function decodedFromColumns(columns: ChunkColumns): DecodedChunk {
  const n = columns.count;
  const textAt = new Uint32Array(n + 1);
  const meta = columns.meta.slice(0, n);
  for (let i = 0; i < n; i++) {
    textAt[i + 1] = textAt[i] + columns.textLengths[i];
    if (columns.entry[i] > 0) meta[i] |= HAS_ENTRY;
  }
  return {
    count: n,
    seq: columns.seq.slice(0, n),
    meta,
    ts: columns.ts.slice(0, n),
    entry: columns.entry.slice(0, n),
    textAt,
    texts: columns.text,
  };
}

/** A decoded chunk as the view the chunk writer appends from (replaying a journaled chunk). */
export function viewOfDecoded(runId: number, chunk: DecodedChunk): BatchView {
  const { count, seq, meta, entry, ts, textAt, texts } = chunk;
  return { runIds: [runId], bounds: [0, count], seq, meta, entry, ts, textAt, texts };
}

/** Decodes columns back (reopening a stored chunk that is not full, to go on appending to it). */
export function columnsFromDecoded(chunk: DecodedChunk): ChunkColumns {
  const columns = emptyColumns();
  const n = chunk.count;
  for (let i = 0; i < n; i++) {
    columns.setNumbers(chunk.seq[i], chunk.meta[i] & (3 | STDERR), chunk.ts[i], chunk.entry[i], chunk.textAt[i + 1] - chunk.textAt[i]);
  }
  columns.addText(chunk.texts.slice(0, chunk.textAt[n]));
  return columns;
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function unzigzag(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

// Varints of up to 2^53 (timestamps in ms need 41 bits), so arithmetic rather than bit operators.
class ByteWriter {
  private buf: Buffer;
  private at = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Starts over with room for at least `size` bytes (the buffer is kept: the compressor copies out of it). */
  reset(size: number): this {
    this.at = 0;
    this.reserve(size);
    return this;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buf[this.at++] = value;
  }

  varint(value: number): void {
    this.reserve(8);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.at++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.at++] = v;
  }

  utf8(text: string): void {
    // Written in one go when it fits, as it mostly does (room was reserved for one byte a
    // character and more): write() stops before a character that would not fit whole, so a
    // result more than 4 bytes short of the room means all of it went in.
    const room = this.buf.length - this.at;
    const written = this.buf.write(text, this.at, 'utf8');
    if (written < room - 4) {
      this.at += written;
      return;
    }
    this.reserve(Buffer.byteLength(text, 'utf8'));
    this.at += this.buf.write(text, this.at, 'utf8');
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.at);
  }

  private reserve(extra: number): void {
    if (this.at + extra <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + extra));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }
}

// One writer for every chunk encoded on this thread: a chunk's ~100 KB buffer is not allocated
// (and its pages not faulted in) again for each chunk.
// A chunk with very long lines gets a writer of its own, so the scratch one stays small.
let scratch: ByteWriter | undefined;
const SCRATCH_MAX_BYTES = 1024 * 1024;
function scratchWriter(size: number): ByteWriter {
  if (size > SCRATCH_MAX_BYTES) return new ByteWriter(size);
  scratch ??= new ByteWriter(size);
  return scratch.reset(size);
}

class ByteReader {
  at = 0;

  constructor(private readonly buf: Buffer) {}

  byte(): number {
    if (this.at >= this.buf.length) throw new Error('history chunk is cut short');
    return this.buf[this.at++];
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
    }
  }
}
