import assert from 'node:assert/strict';
import { LogRing, RING_SEGMENT_BYTES, logFrame, type NewLine } from '../../src/host/ring';
import type { LogLine } from '../../src/shared/protocol';

const line = (text: string): NewLine => ({ ts: '2026-01-01T00:00:00.000Z', level: 'INFO', stream: 'stdout', text });
const batch = (n: number, prefix = 'l') => Array.from({ length: n }, (_, i) => line(`${prefix}${i + 1}`));

describe('LogRing', () => {
  it('numbers lines from 1 without holes and keeps their order', () => {
    const ring = new LogRing({ capacity: 10 });
    ring.append(batch(3));
    ring.append(batch(2, 'm'));
    assert.deepEqual(
      ring.slice(0).map((l) => [l.seq, l.text]),
      [
        [1, 'l1'],
        [2, 'l2'],
        [3, 'l3'],
        [4, 'm1'],
        [5, 'm2'],
      ],
    );
    assert.equal(ring.oldestSeq, 1);
    assert.equal(ring.lastSeq, 5);
  });

  it('is empty with oldestSeq = lastSeq + 1 before the first line', () => {
    const ring = new LogRing({ capacity: 4 });
    assert.equal(ring.lastSeq, 0);
    assert.equal(ring.oldestSeq, 1);
    assert.deepEqual(ring.slice(0), []);
  });

  it('drops the oldest lines past its capacity, keeping seqs', () => {
    const ring = new LogRing({ capacity: 4 });
    ring.append(batch(10));
    assert.equal(ring.length, 4);
    assert.equal(ring.oldestSeq, 7);
    assert.deepEqual(
      ring.slice(0).map((l) => l.seq),
      [7, 8, 9, 10],
    );
    assert.equal(ring.line(6), undefined);
    assert.equal(ring.line(8)?.text, 'l8');
  });

  it('drops the oldest lines past its byte bound', () => {
    const ring = new LogRing({ capacity: 1000, maxBytes: 2000 });
    ring.append(Array.from({ length: 20 }, () => line('x'.repeat(300))));
    assert.ok(ring.length < 20 && ring.length >= 1, `kept ${ring.length}`);
    assert.equal(ring.lastSeq, 20);
    assert.equal(ring.oldestSeq, 20 - ring.length + 1);
  });

  it('slices after a seq with a limit', () => {
    const ring = new LogRing({ capacity: 100 });
    ring.append(batch(50));
    assert.deepEqual(
      ring.slice(10, 3).map((l) => l.seq),
      [11, 12, 13],
    );
    assert.deepEqual(ring.slice(50), []);
  });

  it('builds each frame with exactly JSON.stringify(line) as its data, whatever the text', () => {
    const texts = [
      'plain',
      'he said "hi"',
      'back\\slash',
      'tab\tnul\u0000 esc\x1b[31m',
      'lone \ud800 surrogate',
      '\u2028\u2029',
      '日本語 🚀',
      '',
    ];
    for (const text of texts) {
      for (const [level, stream] of [
        ['INFO', 'stdout'],
        ['ERROR', 'stderr'],
        ['"odd"', 'x\ny'],
      ] as const) {
        const line = { seq: 42, ts: '2026-01-01T00:00:00.000Z', level, stream, text } as LogLine;
        assert.equal(logFrame(line), `event: log\nid: 42\ndata: ${JSON.stringify(line)}\n\n`, JSON.stringify(line));
      }
    }
  });

  it('stores each frame as the bytes of logFrame(line), whatever its text, level, stream, time and entry', () => {
    const texts = [
      'plain',
      'he said "hi"',
      'back\\slash',
      'tab\tnul\u0000 esc\x1b[31mred\x1b[0m',
      'lone \ud800 surrogate, and a pair 🚀',
      '\u2028\u2029 del\x7f',
      '日本語 é€',
      '',
      'x'.repeat(5000),
    ];
    const ring = new LogRing({ capacity: 1000, maxBytes: 64 * 1024 });
    const made: LogLine[] = [];
    let n = 0;
    for (const text of texts) {
      for (const [level, stream] of [
        ['INFO', 'stdout'],
        ['ERROR', 'stderr'],
        ['DEBUG', 'stdout'],
        ['"odd"', 'x\ny'],
      ] as const) {
        n++;
        const newLine = { ts: new Date(Date.UTC(2026, 0, 1) + Math.floor(n / 3)).toISOString(), level, stream, text } as NewLine;
        if (n % 4 === 0) newLine.entrySeq = n - 1;
        made.push(...ring.append([newLine]));
      }
    }
    for (const line of made) {
      if (line.seq < ring.oldestSeq) continue;
      assert.equal(ring.frame(line.seq), logFrame(line), JSON.stringify(line).slice(0, 200));
    }
    assert.ok(made.length - ring.oldestSeq + 1 > 20, 'most lines still held');
  });

  it('keeps an SSE frame per line with id = seq and the line as JSON', () => {
    const ring = new LogRing({ capacity: 4 });
    ring.append([line('he said "hi"\r\u2028')]);
    const frame = ring.frame(1)!;
    assert.match(frame, /^event: log\nid: 1\ndata: \{[^\n\r]*\}\n\n$/);
    assert.equal(frame.split('\n').length, 5, 'no raw newline may break the frame');
    assert.equal(JSON.parse(frame.split('\n')[2].slice(6)).text, 'he said "hi"\r\u2028');
  });

  it('tells listeners once per batch', () => {
    const ring = new LogRing({ capacity: 4 });
    const seen: number[][] = [];
    ring.onDidAppend((lines) => seen.push(lines.map((l) => l.seq)));
    ring.append(batch(2));
    ring.append([]);
    ring.append(batch(1));
    assert.deepEqual(seen, [[1, 2], [3]]);
  });

  it('keeps every held frame intact while its byte buffer wraps, with lines of every size', () => {
    const ring = new LogRing({ capacity: 300, maxBytes: 16 * 1024 });
    const texts = [''];
    for (let round = 0; round < 400; round++) {
      // Sizes from 0 to ~3 KB, multi-byte text included (2, 3 and 4 bytes a character), so frames
      // land across the buffer's end.
      const size = (round * 7919) % 3000;
      const text = `${texts.length}:${'é€😀'.repeat(size % 170)}${'x'.repeat(size)}`;
      texts.push(text);
      ring.append([line(text)]);
      for (let seq = ring.oldestSeq; seq <= ring.lastSeq; seq++) {
        const l = ring.line(seq)!;
        assert.equal(l.seq, seq);
        assert.equal(l.text, texts[seq], `seq ${seq}`);
      }
      // Runs of frames read back as the exact concatenation of the single frames.
      let runs = '';
      for (let seq = ring.oldestSeq; seq <= ring.lastSeq;) {
        const run = ring.frames(seq, 4096)!;
        assert.ok(run.next > seq);
        runs += run.bytes.toString('utf8');
        seq = run.next;
      }
      let expected = '';
      for (let seq = ring.oldestSeq; seq <= ring.lastSeq; seq++) expected += ring.frame(seq)!;
      assert.equal(runs, expected);
    }
    assert.ok(ring.length >= 1 && ring.oldestSeq > 1, 'old lines made room');
  });

  it('reads back every frame of batches in one write or frame by frame: ASCII, other scripts, mixed', () => {
    const ring = new LogRing({ capacity: 5_000, maxBytes: 256 * 1024 });
    const texts = [''];
    for (let round = 0; round < 300; round++) {
      const batch: NewLine[] = [];
      const kind = round % 5; // 0-2 ASCII, 3 one line in another script, 4 all in other scripts
      for (let k = 0; k < 1 + (round % 40); k++) {
        const seq = texts.length;
        const text =
          kind === 4 || (kind === 3 && k === 0) ? `${seq}:${'é€😀'.repeat(k % 7)}\u2028"` : `${seq}:${'a'.repeat((round * k) % 300)}\t"`;
        texts.push(text);
        batch.push(line(text));
      }
      ring.append(batch);
    }
    let runs = '';
    for (let seq = ring.oldestSeq; seq <= ring.lastSeq;) {
      const run = ring.frames(seq, 8192)!;
      runs += run.bytes.toString('utf8');
      seq = run.next;
    }
    let expected = '';
    for (let seq = ring.oldestSeq; seq <= ring.lastSeq; seq++) {
      assert.equal(ring.line(seq)?.text, texts[seq], `seq ${seq}`);
      expected += ring.frame(seq)!;
    }
    assert.equal(runs, expected);
    assert.ok(ring.oldestSeq > 1, 'old lines made room');
  });

  it('holds a frame larger than its byte bound while it is the newest, then goes on', () => {
    const ring = new LogRing({ capacity: 10, maxBytes: 1000 });
    ring.append([line('a'), line('b'.repeat(5000))]);
    assert.equal(ring.line(2)?.text.length, 5000);
    ring.append([line('c'), line('d')]);
    assert.deepEqual(
      ring.slice(0).map((l) => l.text),
      ['c', 'd'],
    );
    assert.equal(ring.lastSeq, 4);
  });

  it('takes frame storage as its held lines need it, not its whole byte bound, and reuses it', () => {
    // 50 000 lines of ~100 characters: ~9 MB of frames held; the bound is 32 MiB.
    const ring = new LogRing({ capacity: 50_000, maxBytes: 32 * 1024 * 1024 });
    const pad = 'x'.repeat(80);
    for (let i = 1; i <= 200_000; i += 100) {
      ring.append(Array.from({ length: 100 }, (_, k) => line(`line ${i + k} ${pad}`)));
    }
    assert.equal(ring.length, 50_000);
    assert.equal(ring.line(150_001)?.text, `line 150001 ${pad}`);
    assert.equal(ring.line(200_000)?.text, `line 200000 ${pad}`);
    let held = 0;
    for (let seq = ring.oldestSeq; seq <= ring.lastSeq; seq++) held += Buffer.byteLength(ring.frame(seq)!);
    assert.ok(ring.storageBytes <= held + 2 * RING_SEGMENT_BYTES, `storage ${ring.storageBytes} bytes for ${held} bytes of held frames`);
  });

  it('keeps its storage within the byte bound plus one segment, frames of every size included', () => {
    const ring = new LogRing({ capacity: 100_000, maxBytes: 4 * RING_SEGMENT_BYTES });
    for (let round = 0; round < 3000; round++) {
      const size = round % 500 === 0 ? 1.5 * RING_SEGMENT_BYTES : (round * 7919) % 20_000;
      ring.append([line(`${round}:${'y'.repeat(size)}`)]);
      assert.ok(ring.storageBytes <= 5 * RING_SEGMENT_BYTES + 1.5 * RING_SEGMENT_BYTES, `round ${round}: ${ring.storageBytes}`);
      assert.equal(ring.line(ring.lastSeq)?.text.length, `${round}:`.length + size);
    }
    let held = 0;
    for (let seq = ring.oldestSeq; seq <= ring.lastSeq; seq++) held += Buffer.byteLength(ring.frame(seq)!);
    assert.ok(held > 3 * RING_SEGMENT_BYTES, `only ${held} bytes held: lines dropped before the byte bound`);
  });

  it('rejects a bad capacity with a message naming it', () => {
    assert.throws(() => new LogRing({ capacity: 0 }), /invalid capacity: 0/);
  });
});
