import * as assert from 'node:assert/strict';
import { FakeClock } from './helpers/fakeClock';
import type { LogLine } from '../../src/shared/protocol';
import { type LineBatch, LineBatchWriter, readLineBatch } from '../../src/store/lineBatch';
import { BATCH_MAX_CHARS, PendingBatch } from '../../src/store/pendingBatch';

const line = (seq: number, text: string, level: LogLine['level'] = 'INFO', stream: LogLine['stream'] = 'stdout'): LogLine => ({
  seq,
  ts: `2025-01-01T00:00:00.${String(seq % 1000).padStart(3, '0')}Z`,
  level,
  stream,
  text,
});

describe('store line batches', () => {
  const cases: [string, [number, LogLine[]][]][] = [
    [
      'one run, every level and stream',
      [[1, [line(1, 'a', 'ERROR', 'stderr'), line(2, 'b', 'WARN', 'stderr'), line(3, 'c', 'INFO'), line(4, 'd', 'DEBUG')]]],
    ],
    ['empty text and text with separators in it', [[1, [line(1, ''), line(2, '\t|\u0000|\r'), line(3, '')]]]],
    ['astral characters (surrogate pairs) and ANSI', [[1, [line(1, '🚀 ready \x1b[32mok\x1b[0m'), line(2, '日本語')]]]],
    [
      'runs interleaved',
      [
        [1, [line(1, 'x')]],
        [2, [line(1, 'y'), line(2, 'z')]],
        [1, [line(2, 'w')]],
      ],
    ],
    ['a big line', [[7, [line(1, 'x'.repeat(1 << 20))]]]],
  ];

  for (const [name, adds] of cases) {
    it(`round-trips ${name}`, () => {
      const writer = new LineBatchWriter(2);
      for (const [runId, lines] of adds) writer.add(runId, lines);
      const { batch } = writer.finish();
      assert.deepEqual(
        readLineBatch(clone(batch)),
        adds.map(([runId, lines]) => ({ runId, lines })),
      );
      assert.equal(writer.length, 0, 'the writer starts over');
    });
  }

  it('merges consecutive adds of one run into one segment, and grows past its capacity', () => {
    const writer = new LineBatchWriter(2);
    writer.add(3, [line(1, 'a'), line(2, 'b')]);
    writer.add(3, [line(3, 'c'), line(4, 'd'), line(5, 'e')]);
    const segments = readLineBatch(clone(writer.finish().batch));
    assert.equal(segments.length, 1);
    assert.deepEqual(
      segments[0].lines.map((l) => l.text),
      ['a', 'b', 'c', 'd', 'e'],
    );
  });

  it('carries entrySeq, and a timestamp shared by consecutive lines only once', () => {
    const writer = new LineBatchWriter(4);
    const ts = '2025-01-01T00:00:00.001Z';
    const lines = [
      { ...line(1, 'Traceback (most recent call last):', 'ERROR'), ts },
      { ...line(2, '  File "app.py", line 3', 'ERROR'), ts, entrySeq: 1 },
      { ...line(3, 'ZeroDivisionError: division by zero', 'ERROR'), ts, entrySeq: 1 },
      line(4, 'next'),
    ];
    writer.add(1, lines);
    const { batch } = writer.finish();
    assert.equal(batch.ts, ts + line(4, '').ts, 'the shared timestamp once');
    assert.deepEqual(readLineBatch(clone(batch)), [{ runId: 1, lines }]);
  });

  it('stores a level outside LOG_LEVELS as INFO rather than failing the hot path', () => {
    const writer = new LineBatchWriter(4);
    writer.add(1, [{ ...line(1, 'a'), level: 'TRACE' as never }]);
    assert.equal(readLineBatch(writer.finish().batch)[0].lines[0].level, 'INFO');
  });

  it('posts a batch as soon as maxLines are pending, the rest after delayMs, and nothing when empty', () => {
    const clock = new FakeClock();
    const sent: number[] = [];
    const pending = new PendingBatch((batch) => sent.push(batch.seq.length), 1000, 50, clock);
    for (let i = 0; i < 4; i++)
      pending.add(
        1,
        Array.from({ length: 300 }, (_, k) => line(i * 300 + k + 1, 't')),
      );
    assert.deepEqual(sent, [1000], 'sent at the 1000 mark, not past it');
    pending.add(1, [line(1201, 't')]);
    clock.advance(49);
    assert.deepEqual(sent, [1000], 'not before delayMs');
    clock.advance(1);
    assert.deepEqual(sent, [1000, 201]);
    pending.drain();
    assert.deepEqual(sent, [1000, 201]);
  });

  it('keeps each batch within BATCH_MAX_CHARS of text (a longer line goes alone), every line once and in order', () => {
    const clock = new FakeClock();
    const batches: LineBatch[] = [];
    const pending = new PendingBatch((batch) => batches.push(batch), 2000, 50, clock);
    const sizes = [10_000, 10_000, 10_000, 10_000, 50_000, 1, 20_000, 20_000];
    const lines = sizes.map((n, i) => ({ ...line(i + 1, 't'), text: String(i).repeat(n) }));
    pending.add(1, lines.slice(0, 3));
    pending.add(1, lines.slice(3));
    pending.drain();
    const texts = batches.map((b) => b.text.length);
    assert.deepEqual(texts, [40_000, 50_000, 40_001], 'cut as soon as the bound is reached, within one add too');
    for (const b of batches) assert.ok(b.text.length - b.textLengths.at(-1)! < BATCH_MAX_CHARS, 'below the bound before its last line');
    assert.deepEqual(
      batches.flatMap((b) => readLineBatch(clone(b))[0].lines),
      lines,
    );
  });
});

// What postMessage does to it.
function clone(batch: LineBatch): LineBatch {
  return structuredClone(batch);
}
