import * as assert from 'node:assert/strict';
import { FakeClock } from './helpers/fakeClock';
import type { LogLine } from '../../src/shared/protocol';
import {
  type LineBatch,
  LineBatchWriter,
  lineBatchChars,
  readLineBatch,
  TEXT_PIECE_CHARS,
  viewsOfLineBatch,
} from '../../src/store/lineBatch';
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
    const pending = new PendingBatch((batch) => batches.push(batch), 100_000, 50, clock);
    const quarter = BATCH_MAX_CHARS / 4;
    const sizes = [quarter, quarter, quarter, quarter, BATCH_MAX_CHARS + 10, 1, quarter * 2, quarter * 2];
    const lines = sizes.map((n, i) => ({ ...line(i + 1, 't'), text: String(i).repeat(n) }));
    pending.add(1, lines.slice(0, 3));
    pending.add(1, lines.slice(3));
    pending.drain();
    const texts = batches.map(textOf);
    assert.deepEqual(
      texts.map((t) => t.length),
      [quarter * 4, BATCH_MAX_CHARS + 10, quarter * 4 + 1],
      'cut as soon as the bound is reached, within one add too',
    );
    for (const b of batches) assert.ok(textOf(b).length - b.textLengths.at(-1)! < BATCH_MAX_CHARS, 'below the bound before its last line');
    assert.deepEqual(
      batches.flatMap((b) => readLineBatch(clone(b))[0].lines),
      lines,
    );
  });

  it('joins texts into pieces of about TEXT_PIECE_CHARS, cut only between lines, and reads runs across pieces as one', () => {
    const writer = new LineBatchWriter(16);
    // Two-byte text: a string of a whole batch would be a large object (see TEXT_PIECE_CHARS).
    const text = (seq: number) => `✓ ${seq} `.padEnd(1000, 'é');
    const runA = Array.from({ length: 70 }, (_, i) => line(i + 1, text(i + 1)));
    const runB = Array.from({ length: 30 }, (_, i) => line(i + 1, text(i + 1), 'ERROR', 'stderr'));
    writer.add(1, runA.slice(0, 40));
    writer.add(2, runB);
    writer.add(1, runA.slice(40));
    const { batch } = writer.finish();
    assert.ok(batch.texts.length >= 3, `${batch.texts.length} pieces`);
    batch.texts.forEach((piece, p) => {
      assert.ok(piece.length < TEXT_PIECE_CHARS + 1000, `piece ${p}: ${piece.length} characters`);
      assert.equal(piece.length, batch.pieceLines[p] * 1000, `piece ${p} holds whole lines`);
    });
    assert.equal(
      batch.pieceLines.reduce((a, b) => a + b, 0),
      100,
    );
    assert.deepEqual(readLineBatch(clone(batch)), [
      { runId: 1, lines: runA.slice(0, 40) },
      { runId: 2, lines: runB },
      { runId: 1, lines: runA.slice(40) },
    ]);
    assert.equal(lineBatchChars(batch), batch.ts.length + 100_000);
    const views = viewsOfLineBatch(clone(batch));
    assert.equal(views.length, batch.texts.length, 'one view a piece');
    for (const view of views) {
      for (let k = 0; k < view.runIds.length; k++) {
        for (let i = view.bounds[k]; i < view.bounds[k + 1]; i++) {
          assert.equal(
            view.texts.slice(view.textAt[i], view.textAt[i + 1]),
            text(view.seq[i]),
            `run ${view.runIds[k]} line ${view.seq[i]}`,
          );
        }
      }
    }
  });

  it('an empty batch reads back as no segments', () => {
    const { batch } = new LineBatchWriter(4).finish();
    assert.deepEqual(readLineBatch(clone(batch)), []);
    assert.equal(lineBatchChars(batch), 0);
  });
});

function textOf(batch: LineBatch): string {
  return batch.texts.join('');
}

// What postMessage does to it.
function clone(batch: LineBatch): LineBatch {
  return structuredClone(batch);
}
