import assert from 'node:assert/strict';
import { Utf8Decoder } from '../../webview-ui/utf8';

/** What TextDecoder makes of the same pieces, in stream mode (the page's reader never flushes). */
function reference(pieces: Uint8Array[]): string {
  const d = new TextDecoder();
  return pieces.map((p) => d.decode(p, { stream: true })).join('');
}

function ours(pieces: Uint8Array[]): string {
  const d = new Utf8Decoder();
  return pieces.map((p) => d.decode(p)).join('');
}

/** Cuts `bytes` at the given offsets. */
function cut(bytes: Uint8Array, at: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const a of [...at, bytes.length]) {
    out.push(bytes.subarray(from, a));
    from = a;
  }
  return out;
}

/** A small deterministic generator, so that a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('webview UTF-8 decoder', () => {
  it('decodes ASCII, multi-byte characters and astral ones as TextDecoder does', () => {
    const text = 'GET /api/items 200 OK \x1b[32m✓\x1b[0m café Ж 日本語 😀 end';
    const bytes = new TextEncoder().encode(text);
    assert.equal(ours([bytes]), text);
    for (let i = 0; i <= bytes.length; i++) assert.equal(ours(cut(bytes, [i])), text, `cut at ${i}`);
    assert.equal(ours([...bytes].map((b) => Uint8Array.of(b))), text, 'one byte at a time');
  });

  it('drops a leading BOM only, even when it comes in pieces', () => {
    const bytes = Uint8Array.of(0xef, 0xbb, 0xbf, 0x61, 0xef, 0xbb, 0xbf, 0x62);
    assert.equal(ours([bytes]), 'a\ufeffb');
    assert.equal(ours(cut(bytes, [1, 2])), 'a\ufeffb');
    assert.equal(ours([new Uint8Array(0), bytes]), 'a\ufeffb');
  });

  it('replaces invalid sequences as TextDecoder does', () => {
    const cases = [
      [0x80],
      [0xc0, 0x80],
      [0xc2],
      [0xc2, 0x41],
      [0xe0, 0x80, 0x80],
      [0xe0, 0xa0],
      [0xe0, 0xa0, 0x41],
      [0xed, 0xa0, 0x80],
      [0xf0, 0x8f, 0xbf, 0xbf],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf5, 0x80],
      [0xff, 0xfe, 0x41],
      [0xf0, 0x9f, 0x98],
      [0xf0, 0x9f, 0x98, 0x41, 0xf0, 0x9f, 0x98, 0x80],
    ];
    for (const c of cases) {
      const bytes = Uint8Array.from([...c, 0x7a]);
      for (let i = 0; i <= bytes.length; i++) {
        assert.equal(ours(cut(bytes, [i])), reference(cut(bytes, [i])), `${c.map((b) => b.toString(16)).join(' ')} cut at ${i}`);
      }
    }
  });

  it('matches TextDecoder on random bytes cut at random places', () => {
    const next = rng(11);
    // Mostly valid text with some stray bytes, so that both paths and the boundaries get exercised.
    const alphabet = ['a', 'Z', ' ', '\n', 'é', 'Ж', '€', '日', '😀', '\ufeff'].map((s) => [...new TextEncoder().encode(s)]);
    for (let round = 0; round < 300; round++) {
      const bytes: number[] = [];
      const length = Math.floor(next() * 200);
      while (bytes.length < length) {
        if (next() < 0.15) bytes.push(Math.floor(next() * 256));
        else bytes.push(...alphabet[Math.floor(next() * alphabet.length)]!);
      }
      const data = Uint8Array.from(bytes);
      const at = [...new Set(Array.from({ length: Math.floor(next() * 6) }, () => Math.floor(next() * (data.length + 1))))].sort(
        (a, b) => a - b,
      );
      assert.equal(ours(cut(data, at)), reference(cut(data, at)), `round ${round}: ${bytes.join(',')} cut at ${at.join(',')}`);
    }
  });

  it('decodes a piece larger than one block of code units', () => {
    const text = `${'x'.repeat(20_000)}é${'y'.repeat(20_000)}`;
    assert.equal(ours([new TextEncoder().encode(text)]), text);
    assert.equal(ours([new TextEncoder().encode('z'.repeat(30_000))]), 'z'.repeat(30_000));
  });
});
