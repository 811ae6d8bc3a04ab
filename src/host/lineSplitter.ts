/**
 * Turns one byte stream (a child's stdout or stderr) into text lines. Use one instance per stream,
 * so partial lines of interleaved streams never mix.
 *
 * Splitting happens on bytes, before decoding: `\n` and `\r` never occur inside a multi-byte UTF-8
 * sequence, so each finished line is decoded on its own. That gives exact byte counts for the cap,
 * decodes characters split across chunks (the bytes are joined first), turns invalid bytes into
 * U+FFFD, and yields fresh strings rather than slices that would pin a whole 64 KiB chunk in memory.
 */

const LF = 0x0a;
const CR = 0x0d;

/** Default cap on one line's content: 64 KiB of UTF-8. */
export const DEFAULT_MAX_LINE_BYTES = 65536;

export interface LineSplitterOptions {
  /** Longest line kept, in UTF-8 bytes of content (line ending excluded). Default 64 KiB. */
  maxLineBytes?: number;
}

/**
 * Splits a UTF-8 byte stream into lines. `\n` and `\r\n` end a line; a bare `\r` followed by text
 * restarts the line (progress bars); a line over `maxLineBytes` keeps its first bytes plus a marker.
 */
export class LineSplitter {
  private readonly maxLineBytes: number;
  /** Kept bytes of the unfinished line, copied because callers may reuse their chunks. */
  private parts: Buffer[] = [];
  private partsBytes = 0;
  /** Bytes of the unfinished line past the cap: counted, never stored, so memory stays bounded. */
  private dropped = 0;
  /** The last chunk ended in `\r`: CRLF if `\n` comes next, a progress restart if text does. */
  private pendingCR = false;

  constructor(options: LineSplitterOptions = {}) {
    const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (typeof max !== 'number' || !Number.isInteger(max) || max <= 0) {
      throw new Error(`LineSplitter: maxLineBytes must be a positive integer, got ${String(max)}`);
    }
    this.maxLineBytes = max;
  }

  /** Feeds one chunk; returns the lines it completed, newline removed. */
  push(chunk: Uint8Array): string[] {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const len = buf.length;
    const lines: string[] = [];
    let pos = 0;

    if (this.pendingCR) {
      while (pos < len && buf[pos] === CR) pos++;
      if (pos === len) return lines; // still a run of CRs: wait for what follows
      this.pendingCR = false;
      if (buf[pos] === LF) {
        lines.push(this.takeLine());
        pos++;
      } else {
        this.clearLine(); // `\r` then text: the text replaces the line
      }
    }

    // One forward cursor over CRs keeps the scan linear: most chunks have none at all.
    let nextCR = buf.indexOf(CR, pos);
    while (pos < len) {
      const nl = buf.indexOf(LF, pos);
      const end = nl === -1 ? len : nl;
      let start = pos;
      let stop = end;
      if (nextCR !== -1 && nextCR < end) {
        // Trailing CRs are part of the line ending (CRLF), not a restart.
        while (stop > start && buf[stop - 1] === CR) stop--;
        let last = -1;
        let c = nextCR;
        while (c !== -1 && c < stop) {
          last = c;
          c = buf.indexOf(CR, c + 1);
        }
        if (last !== -1) {
          start = last + 1;
          this.clearLine();
        }
        nextCR = c !== -1 && c <= end && nl !== -1 ? buf.indexOf(CR, nl + 1) : c;
      }

      if (nl === -1) {
        this.pendingCR = stop < end;
        this.append(buf, start, stop);
        break;
      }
      if (this.partsBytes === 0 && this.dropped === 0 && stop - start <= this.maxLineBytes) {
        lines.push(buf.toString('utf8', start, stop)); // the hot path: a whole line in one chunk
      } else {
        this.append(buf, start, stop);
        lines.push(this.takeLine());
      }
      pos = nl + 1;
    }
    return lines;
  }

  /** Ends the stream: returns the last line if it had content but no newline, else []. Resets. */
  end(): string[] {
    this.pendingCR = false;
    // An empty remainder (nothing, or only `\r`) is not a line.
    return this.hasPending() ? [this.takeLine()] : [];
  }

  /** True while bytes of an unfinished line wait; cheap, unlike `pending()`, which decodes them. */
  hasPending(): boolean {
    return this.partsBytes > 0 || this.dropped > 0;
  }

  /**
   * The unfinished line's text so far (as `end()` would return it, without a trailing incomplete
   * character), or undefined when there is none. Does not consume it.
   */
  pending(): string | undefined {
    if (!this.hasPending()) return undefined;
    const text = this.lineText(true);
    return text === '' ? undefined : text;
  }

  private append(buf: Buffer, start: number, stop: number): void {
    const n = stop - start;
    if (n <= 0) return;
    if (this.dropped > 0) {
      this.dropped += n;
      return;
    }
    const room = this.maxLineBytes - this.partsBytes;
    const keep = n <= room ? n : room;
    if (keep > 0) {
      this.parts.push(Buffer.from(buf.subarray(start, start + keep)));
      this.partsBytes += keep;
    }
    this.dropped += n - keep;
  }

  private takeLine(): string {
    const text = this.lineText(false);
    this.clearLine();
    return text;
  }

  /** `partial`: also drop a trailing incomplete character, whose other bytes may still come. */
  private lineText(partial: boolean): string {
    const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.partsBytes);
    if (this.parts.length > 1) this.parts = [bytes]; // joined once, not again on the next call
    if (this.dropped > 0) {
      // Cut on a character boundary so the kept part doesn't end in a spurious U+FFFD.
      const keep = charBoundary(bytes);
      const dropped = this.dropped + (bytes.length - keep);
      return `${bytes.toString('utf8', 0, keep)} … [line truncated: ${dropped} bytes dropped]`;
    }
    return bytes.toString('utf8', 0, partial ? charBoundary(bytes) : bytes.length);
  }

  private clearLine(): void {
    this.parts = [];
    this.partsBytes = 0;
    this.dropped = 0;
  }
}

/** Length of `b` without a trailing incomplete UTF-8 sequence. */
function charBoundary(b: Buffer): number {
  let i = b.length - 1;
  while (i >= 0 && b.length - i < 4 && (b[i] & 0xc0) === 0x80) i--;
  if (i < 0) return b.length;
  const lead = b[i];
  const size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return i + size > b.length ? i : b.length;
}
