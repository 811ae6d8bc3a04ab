import assert from 'node:assert/strict';
import { ErrorTracker } from '../../../src/host/errorTracker';
import { LineTagger } from '../../../src/host/lineTagger';
import { LogRing, type NewLine } from '../../../src/host/ring';
import { RequestScanner } from '../../../src/shared/accessLog';
import { FakeClock } from './fakeClock';

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

/** Lines through one stream's tagger; returns them as the ring takes them. */
export function tag(lines: readonly string[]): NewLine[] {
  const tagger = new LineTagger();
  return lines.map((text, i) => tagger.line(text, '2026-12-02T12:00:00.000Z', 'stderr', i + 1));
}

/** What /errors would list for `lines`: each distinct error's title and count. */
export function errors(lines: readonly string[]): { title: string; count: number }[] {
  const ring = new LogRing({ capacity: 10_000 });
  const tracker = new ErrorTracker({ previewName: 'app', onLines: ring.onDidAppend, runId: () => undefined, clock: new FakeClock() });
  ring.append(tag([...lines, 'INFO:     the end'])); // the last line closes the last entry
  const records = tracker.currentRecords().map((r) => ({ title: r.title, count: r.count }));
  tracker.dispose();
  return records;
}

/** The requests /requests would list for `lines`, as `METHOD path status`. */
export function requests(lines: readonly string[]): string[] {
  const scanner = new RequestScanner();
  scanner.push(tag(lines).map((line, i) => ({ ...line, seq: i + 1 })));
  return scanner.records.map((r) => `${r.method} ${r.path} ${r.status}`);
}
