import assert from 'node:assert/strict';
import { LineTagger } from '../../../src/host/lineTagger';
import type { NewLine } from '../../../src/host/ring';

/** Feeds lines through one stream's tagger (seq 1, 2, …) and returns the sizes of the entries they form. */
export function entrySizes(lines: readonly string[]): number[] {
  const tagger = new LineTagger();
  const out = lines.map((text, i) => tagger.line(text, '2026-12-01T00:00:00.000Z', 'stderr', i + 1));
  return sizesOf(out);
}

/** Entry sizes, checking that every `entrySeq` points back at a head. */
function sizesOf(lines: readonly NewLine[]): number[] {
  const sizes: number[] = [];
  lines.forEach((line, i) => {
    if (line.entrySeq === undefined) sizes.push(1);
    else {
      assert.ok(line.entrySeq <= i, `line ${i + 1} points back, at a head: ${line.entrySeq}`);
      assert.equal(lines[line.entrySeq - 1].entrySeq, undefined, `line ${i + 1}'s entrySeq ${line.entrySeq} is a head`);
      sizes[sizes.length - 1]++;
    }
  });
  return sizes;
}
