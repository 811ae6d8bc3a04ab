import assert from 'node:assert/strict';
import { LineSplitter } from '../../src/host/lineSplitter';

/** A chunk as written in the table: text (UTF-8) or raw bytes. */
type Chunk = string | number[] | Uint8Array;

interface Case {
  name: string;
  chunks: Chunk[];
  expected: string[];
  maxLineBytes?: number;
}

const bytes = (c: Chunk): Uint8Array =>
  typeof c === 'string' ? new TextEncoder().encode(c) : c instanceof Uint8Array ? c : Uint8Array.from(c);

/** Every way to cut `text` in two, and one byte per chunk. */
function everySplit(label: string, text: string, expected: string[]): Case[] {
  const all = bytes(text);
  const cases: Case[] = [];
  for (let i = 1; i < all.length; i++) {
    cases.push({ name: `${label}, cut at byte ${i}`, chunks: [all.subarray(0, i), all.subarray(i)], expected });
  }
  cases.push({ name: `${label}, one byte per chunk`, chunks: [...all].map((b) => [b]), expected });
  return cases;
}

/** Fixed-size chunks of a byte string. */
function chunked(text: string, size: number): Uint8Array[] {
  const all = bytes(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.subarray(i, i + size));
  return out;
}

const marker = (dropped: number) => ` … [line truncated: ${dropped} bytes dropped]`;
const manyLines = Array.from({ length: 1000 }, (_, i) => `line ${i}`);

const cases: Case[] = [
  // Basics
  { name: 'no input', chunks: [], expected: [] },
  { name: 'empty chunk', chunks: [''], expected: [] },
  { name: 'one line', chunks: ['hello\n'], expected: ['hello'] },
  { name: 'single newline is one empty line', chunks: ['\n'], expected: [''] },
  { name: 'empty lines preserved', chunks: ['a\n\nb\n'], expected: ['a', '', 'b'] },
  { name: 'no trailing newline, flushed by end()', chunks: ['a\nb'], expected: ['a', 'b'] },
  { name: 'line split over chunks', chunks: ['aaa\nb', 'b', 'b\nccc'], expected: ['aaa', 'bbb', 'ccc'] },
  { name: 'many lines in one chunk', chunks: [manyLines.join('\n') + '\n'], expected: manyLines },
  { name: 'one line over many 1-byte chunks', chunks: chunked('hello world\n', 1), expected: ['hello world'] },
  { name: '1000 one-byte chunks, no newline', chunks: Array(1000).fill('.'), expected: ['.'.repeat(1000)] },

  // UTF-8 split across chunks
  ...everySplit('é (2 bytes)', 'xéy\n', ['xéy']),
  ...everySplit('你 (3 bytes)', 'x你y\n', ['x你y']),
  ...everySplit('😀 (4 bytes)', 'x😀y\n', ['x😀y']),
  ...everySplit('mixed line pair', 'é你\n😀\n', ['é你', '😀']),

  // Invalid UTF-8
  { name: 'invalid byte → U+FFFD', chunks: [[0x61, 0xff, 0x62, 0x0a]], expected: ['a\uFFFDb'] },
  { name: 'lone continuation byte → U+FFFD', chunks: [[0x80, 0x0a]], expected: ['\uFFFD'] },
  { name: 'sequence cut by newline → U+FFFD', chunks: [[0xe4, 0xbd, 0x0a, 0x61, 0x0a]], expected: ['\uFFFD', 'a'] },
  { name: 'sequence cut across chunks → U+FFFD', chunks: [[0xe4], [0x41, 0x0a]], expected: ['\uFFFDA'] },
  { name: 'incomplete sequence at end of stream', chunks: [[0x61, 0xf0, 0x9f, 0x98]], expected: ['a\uFFFD'] },
  { name: 'encoded surrogate → U+FFFD each byte', chunks: [[0xed, 0xa0, 0x80, 0x0a]], expected: ['\uFFFD\uFFFD\uFFFD'] },

  // CRLF
  { name: 'CRLF', chunks: ['a\r\nb\r\n'], expected: ['a', 'b'] },
  { name: 'CRLF empty lines', chunks: ['\r\n\r\n'], expected: ['', ''] },
  { name: 'CRLF split across chunks', chunks: ['a\r', '\nb\r', '\n'], expected: ['a', 'b'] },
  { name: 'CRLF split, then more lines', chunks: ['one\r', '\ntwo\r\nthree'], expected: ['one', 'two', 'three'] },
  { name: 'CR CR LF is one ending', chunks: ['a\r\r\n'], expected: ['a'] },
  { name: 'CR run split across chunks', chunks: ['a\r', '\r', '\n'], expected: ['a'] },
  { name: 'mixed LF and CRLF', chunks: ['a\nb\r\nc\n'], expected: ['a', 'b', 'c'] },

  // Bare CR: progress bars
  { name: 'bare CR replaces the line', chunks: ['10%\r20%\r30%\n'], expected: ['30%'] },
  { name: 'bare CR progress over chunks', chunks: ['10%\r', '20%\r', '30%\n'], expected: ['30%'] },
  { name: 'CR-led progress', chunks: ['\r 10%', '\r 50%', '\r100%\n'], expected: ['100%'] },
  { name: 'progress line ended by CRLF', chunks: ['x\ry\r\n'], expected: ['y'] },
  { name: 'CR then text in next chunk', chunks: ['old\r', 'new\n'], expected: ['new'] },
  { name: 'CR at the very end, then end()', chunks: ['abc\r'], expected: ['abc'] },
  { name: 'progress with CR at the end, then end()', chunks: ['10%\r20%\r'], expected: ['20%'] },
  { name: 'lone CR at the end is not a line', chunks: ['a\n\r'], expected: ['a'] },
  { name: 'CR only restarts its own line', chunks: ['a\nb\rc\nd\n'], expected: ['a', 'c', 'd'] },

  // Caps
  { name: 'line exactly at the limit is kept', maxLineBytes: 8, chunks: ['abcdefgh\n'], expected: ['abcdefgh'] },
  { name: 'one byte over the limit is cut', maxLineBytes: 8, chunks: ['abcdefghi\n'], expected: ['abcdefgh' + marker(1)] },
  {
    name: 'limit counts bytes, cut backs off to a character boundary',
    maxLineBytes: 4,
    chunks: ['ab😀\n'],
    expected: ['ab' + marker(4)],
  },
  { name: 'multi-byte line exactly at the limit', maxLineBytes: 4, chunks: ['😀\n'], expected: ['😀'] },
  {
    name: 'cut line spread over chunks, next line intact',
    maxLineBytes: 5,
    chunks: ['abc', 'def', 'ghi\nok\n'],
    expected: ['abcde' + marker(4), 'ok'],
  },
  { name: 'cut line without newline, flushed by end()', maxLineBytes: 3, chunks: ['abcdef'], expected: ['abc' + marker(3)] },
  {
    name: 'bare CR after a cut restarts the line and the count',
    maxLineBytes: 3,
    chunks: ['abcdef\rxy\n'],
    expected: ['xy'],
  },
  { name: 'limit excludes the CRLF', maxLineBytes: 3, chunks: ['abc\r\n'], expected: ['abc'] },
];

function run(c: Case): string[] {
  const splitter = new LineSplitter(c.maxLineBytes === undefined ? {} : { maxLineBytes: c.maxLineBytes });
  const lines: string[] = [];
  for (const chunk of c.chunks) lines.push(...splitter.push(bytes(chunk)));
  lines.push(...splitter.end());
  return lines;
}

describe('LineSplitter', () => {
  describe('edge-case table', () => {
    for (const c of cases) {
      it(c.name, () => assert.deepEqual(run(c), c.expected));
    }
  });

  it('matches TextDecoder on arbitrary bytes cut at every offset', () => {
    const all = Uint8Array.from([0x61, 0xc3, 0xa9, 0xff, 0x0a, 0xe4, 0xbd, 0xa0, 0xf0, 0x9f, 0x98, 0x80, 0xe4, 0x0a]);
    const expected = new TextDecoder().decode(all).split('\n').slice(0, -1);
    for (let i = 0; i <= all.length; i++) {
      assert.deepEqual(run({ name: '', chunks: [all.subarray(0, i), all.subarray(i)], expected }), expected, `cut at ${i}`);
    }
  });

  it('emits a CRLF line once the LF arrives, not on the CR', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push(bytes('a\r')), []);
    assert.deepEqual(s.push(bytes('\n')), ['a']);
    assert.deepEqual(s.end(), []);
  });

  it('returns lines from the push that completes them', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push(bytes('one\ntw')), ['one']);
    assert.deepEqual(s.push(bytes('o\nthree\nfo')), ['two', 'three']);
    assert.deepEqual(s.end(), ['fo']);
    assert.deepEqual(s.end(), []);
  });

  it('cuts a 1 MB line to the default 64 KiB with an exact count', () => {
    const line = 'x'.repeat(1 << 20);
    const [out, ...rest] = run({ name: '', chunks: chunked(`${line}\nnext\n`, 65536), expected: [] });
    assert.deepEqual(rest, ['next']);
    assert.equal(out, 'x'.repeat(65536) + marker((1 << 20) - 65536));
  });

  it('keeps memory bounded for a 256 MiB line with no newline', () => {
    const chunk = new Uint8Array(65536).fill(0x61);
    const total = 4096 * chunk.length;
    const s = new LineSplitter({ maxLineBytes: 1024 });
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 4096; i++) assert.deepEqual(s.push(chunk), []);
    // Storing the line would take 256 MiB; the splitter holds at most 1 KiB of it.
    assert.ok(process.memoryUsage().arrayBuffers - before < 32 * 1024 * 1024);
    const [out] = s.end();
    assert.equal(out, 'a'.repeat(1024) + marker(total - 1024));
  });

  it('does not keep a reference to the caller’s chunk', () => {
    const s = new LineSplitter();
    const chunk = bytes('abc');
    s.push(chunk);
    chunk.fill(0x7a); // callers may reuse their buffers
    assert.deepEqual(s.push(bytes('\n')), ['abc']);
  });

  it('accepts a plain Uint8Array view with an offset', () => {
    const backing = bytes('xxhello\nyy');
    assert.deepEqual(new LineSplitter().push(backing.subarray(2, 8)), ['hello']);
  });

  it('keeps interleaved stdout and stderr partial lines apart (one splitter each)', () => {
    const stdout = new LineSplitter();
    const stderr = new LineSplitter();
    const got: string[] = [];
    const feed = (name: string, s: LineSplitter, text: string) => got.push(...s.push(bytes(text)).map((line) => `${name}: ${line}`));
    feed('out', stdout, 'Listening on ');
    feed('err', stderr, 'WARNING: deprec');
    feed('out', stdout, 'port 3000\nGET / 2');
    feed('err', stderr, 'ated\r');
    feed('out', stdout, '00\n');
    feed('err', stderr, '\nboom\n');
    assert.deepEqual(got, ['out: Listening on port 3000', 'out: GET / 200', 'err: WARNING: deprecated', 'err: boom']);
  });

  describe('pending()', () => {
    const after = (chunks: Chunk[], maxLineBytes?: number) => {
      const s = new LineSplitter(maxLineBytes === undefined ? {} : { maxLineBytes });
      for (const chunk of chunks) s.push(bytes(chunk));
      return s.pending();
    };

    it('is undefined before any text, after a finished line, and for a lone CR', () => {
      assert.equal(after([]), undefined);
      assert.equal(after(['done\n']), undefined);
      assert.equal(after(['done\r\n']), undefined);
      assert.equal(after(['a\n\r']), undefined);
    });

    it('is the unfinished line so far, across chunks, without consuming it', () => {
      const s = new LineSplitter();
      assert.deepEqual(s.push(bytes('first\nPort 3000 is in use. ')), ['first']);
      assert.equal(s.pending(), 'Port 3000 is in use. ');
      s.push(bytes('Use another? (Y/n) '));
      assert.equal(s.pending(), 'Port 3000 is in use. Use another? (Y/n) ');
      assert.equal(s.pending(), 'Port 3000 is in use. Use another? (Y/n) ');
      assert.deepEqual(s.push(bytes('y\n')), ['Port 3000 is in use. Use another? (Y/n) y']);
      assert.equal(s.pending(), undefined);
    });

    it('follows CR restarts (progress bars): the text since the last CR', () => {
      assert.equal(after(['10%\r20%']), '20%');
      assert.equal(after(['10%\r', '20%']), '20%');
      assert.equal(after(['10%\r']), '10%', 'CR alone: CRLF or a restart, the line stays until text comes');
      assert.equal(after(['10%\r20%\r', '\r']), '20%');
    });

    it('keeps ANSI escapes and leaves out a character whose bytes are still coming', () => {
      assert.equal(after(['\x1b[33m? Continue\x1b[0m ']), '\x1b[33m? Continue\x1b[0m ');
      const smile = bytes('😀');
      assert.equal(after(['ok ', smile.subarray(0, 2)]), 'ok ');
      assert.equal(after([smile.subarray(0, 3)]), undefined);
      assert.equal(after(['ok ', smile.subarray(0, 2), smile.subarray(2)]), 'ok 😀');
    });

    it('shows the cap and the truncation marker as the finished line will', () => {
      assert.equal(after(['abcdef'], 3), 'abc' + marker(3));
      assert.equal(after(['abc', 'def', 'gh'], 5), 'abcde' + marker(3));
      assert.equal(after(['abcdef\rxy'], 3), 'xy', 'a CR restarts the count');
      const s = new LineSplitter({ maxLineBytes: 5 });
      s.push(bytes('abcdefgh'));
      assert.equal(s.pending(), 'abcde' + marker(3));
      assert.deepEqual(s.push(bytes('ij\n')), ['abcde' + marker(5)]);
    });

    it('does not change what end() returns', () => {
      const s = new LineSplitter();
      s.push(bytes('a'));
      s.push(bytes('b'));
      assert.equal(s.pending(), 'ab');
      s.push(bytes('c'));
      assert.deepEqual(s.end(), ['abc']);
      assert.equal(s.pending(), undefined);
    });
  });

  describe('maxLineBytes validation', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      it(`rejects ${bad}`, () => {
        assert.throws(
          () => new LineSplitter({ maxLineBytes: bad }),
          (err: Error) => err.message.includes('maxLineBytes') && err.message.includes(String(bad)),
        );
      });
    }
    it('accepts 1', () => assert.deepEqual(run({ name: '', maxLineBytes: 1, chunks: ['ab\n'], expected: [] }), ['a' + marker(1)]));
  });
});
