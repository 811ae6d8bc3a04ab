/**
 * A streaming UTF-8 decoder in JavaScript, with TextDecoder's results (WHATWG: U+FFFD for each
 * maximal invalid subpart, a leading BOM dropped, a sequence split across chunks kept for the next).
 *
 * Why not TextDecoder: in Chromium, each string it returns is an external string that V8 tracks
 * with a weak handle, and the log lines parsed from it hold on to it. Read in pieces of 64 KB,
 * a flood makes hundreds of them, and after a full GC their weak callbacks took 50–240 ms in one
 * task (bench/webview-bench.ts). Strings built here are ordinary V8 strings. Pure: no DOM.
 */

/** Code units turned into a string at a time (apply's argument list stays small). */
const BLOCK = 8192;

export class Utf8Decoder {
  private needed = 0;
  private seen = 0;
  private codePoint = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private bomChecked = false;
  private out = new Uint16Array(0);

  /** Decodes the next piece of the stream (as `TextDecoder.decode(bytes, { stream: true })`). */
  decode(bytes: Uint8Array): string {
    let text: string;
    if (this.needed === 0 && isAscii(bytes)) {
      text = fromCodes(bytes, bytes.length);
    } else {
      const n = this.decodeInto(bytes);
      text = fromCodes(this.out, n);
    }
    if (!this.bomChecked && text.length > 0) {
      this.bomChecked = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }

  /** Decodes into `this.out`; returns the number of code units written. */
  private decodeInto(bytes: Uint8Array): number {
    // One unit per byte at most, plus a U+FFFD for a sequence left over from the last piece.
    if (this.out.length < bytes.length + 2) this.out = new Uint16Array(bytes.length + 2);
    const out = this.out;
    let n = 0;
    let { needed, seen, codePoint, lower, upper } = this;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (needed === 0) {
        if (b < 0x80) {
          out[n++] = b;
        } else if (b >= 0xc2 && b <= 0xdf) {
          needed = 1;
          codePoint = b & 0x1f;
        } else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) lower = 0xa0;
          if (b === 0xed) upper = 0x9f;
          needed = 2;
          codePoint = b & 0x0f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) lower = 0x90;
          if (b === 0xf4) upper = 0x8f;
          needed = 3;
          codePoint = b & 0x07;
        } else {
          out[n++] = 0xfffd;
        }
        continue;
      }
      if (b < lower || b > upper) {
        // The sequence is broken: U+FFFD for it, and this byte starts afresh.
        needed = seen = codePoint = 0;
        lower = 0x80;
        upper = 0xbf;
        out[n++] = 0xfffd;
        i--;
        continue;
      }
      lower = 0x80;
      upper = 0xbf;
      codePoint = (codePoint << 6) | (b & 0x3f);
      if (++seen < needed) continue;
      if (codePoint > 0xffff) {
        codePoint -= 0x10000;
        out[n++] = 0xd800 + (codePoint >> 10);
        out[n++] = 0xdc00 + (codePoint & 0x3ff);
      } else {
        out[n++] = codePoint;
      }
      needed = seen = codePoint = 0;
    }
    this.needed = needed;
    this.seen = seen;
    this.codePoint = codePoint;
    this.lower = lower;
    this.upper = upper;
    return n;
  }
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

function fromCodes(codes: Uint8Array | Uint16Array, length: number): string {
  if (length <= BLOCK) return String.fromCharCode.apply(null, codes.subarray(0, length) as unknown as number[]);
  const parts: string[] = [];
  for (let i = 0; i < length; i += BLOCK) {
    parts.push(String.fromCharCode.apply(null, codes.subarray(i, Math.min(length, i + BLOCK)) as unknown as number[]));
  }
  return parts.join('');
}
