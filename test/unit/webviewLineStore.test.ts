import assert from 'node:assert/strict';
import type { LogLevel, LogLine } from '../../src/shared/protocol';
import { LineStore } from '../../webview-ui/lineStore';

const line = (seq: number, level: LogLevel = 'INFO', text = `line ${seq}`): LogLine => ({
  seq,
  ts: '2026-01-01T00:00:00.000Z',
  level,
  stream: 'stdout',
  text,
});

const seqs = (store: LineStore) => {
  const out: (number | string)[] = [];
  for (let abs = store.start; abs < store.end; abs++) {
    const e = store.at(abs)!;
    out.push(e.kind === 'log' ? e.seq : `gap ${e.from}-${e.to}`);
  }
  return out;
};

describe('webview LineStore', () => {
  it('keeps at most `capacity` entries, drops the oldest and counts them', () => {
    const store = new LineStore(3);
    for (let s = 1; s <= 5; s++) assert.equal(store.appendLine(line(s)), true);
    assert.deepEqual(seqs(store), [3, 4, 5]);
    assert.equal(store.dropped, 2);
    assert.equal(store.size, 3);
    assert.equal(store.start, 2);
    assert.equal(store.end, 5);
    assert.equal(store.at(1), undefined, 'dropped entries are gone');
    assert.equal(store.at(5), undefined, 'not yet written');
  });

  it('never keeps a seq twice, whatever the order of arrival', () => {
    const store = new LineStore(10);
    const table: [number, boolean][] = [
      [1, true],
      [2, true],
      [2, false],
      [1, false],
      [3, true],
      [3, false],
      [10, true],
      [9, false],
    ];
    for (const [seq, kept] of table) assert.equal(store.appendLine(line(seq)), kept, `seq ${seq}`);
    assert.deepEqual(seqs(store), [1, 2, 3, 10]);
    assert.equal(store.lastSeq, 10);
  });

  it('adds a gap only for the part not already seen, and lines inside it are duplicates', () => {
    const store = new LineStore(10);
    store.appendLine(line(1));
    store.appendLine(line(2));
    assert.equal(store.appendGap({ from: 1, to: 2, count: 2 }), false, 'wholly seen');
    assert.equal(store.appendGap({ from: 2, to: 6, count: 5 }), true);
    assert.deepEqual(seqs(store), [1, 2, 'gap 3-6']);
    const gap = store.at(2)!;
    assert.equal(gap.kind === 'gap' && gap.count, 4, 'count trimmed to the unseen part');
    assert.equal(store.appendLine(line(5)), false, 'a line of the gap is not shown after it');
    assert.equal(store.appendLine(line(7)), true);
    assert.equal(store.lastSeq, 7);
  });

  it('counts levels among the kept lines, evictions included', () => {
    const store = new LineStore(3);
    store.appendLine(line(1, 'ERROR'));
    store.appendLine(line(2, 'WARN'));
    store.appendLine(line(3, 'INFO'));
    store.appendLine(line(4, 'INFO'));
    assert.deepEqual({ ...store.levelCounts }, { ERROR: 0, WARN: 1, INFO: 2, DEBUG: 0 });
  });

  it('clear() empties the view but remembers lastSeq; reset() forgets it', () => {
    const store = new LineStore(5);
    for (let s = 1; s <= 7; s++) store.appendLine(line(s, 'ERROR'));
    store.clear();
    assert.equal(store.size, 0);
    assert.equal(store.dropped, 0);
    assert.equal(store.levelCounts.ERROR, 0);
    assert.equal(store.appendLine(line(7)), false, 'cleared lines do not come back');
    assert.equal(store.appendLine(line(8)), true);
    assert.deepEqual(seqs(store), [8]);
    store.reset();
    assert.equal(store.lastSeq, 0);
    assert.equal(store.appendLine(line(1)), true, 'a new run starts at 1 again');
  });

  it('strips ANSI escapes into `plain` for search and copy', () => {
    const store = new LineStore(2);
    store.appendLine(line(1, 'INFO', '\x1b[32mINFO\x1b[0m: ready'));
    const e = store.at(0)!;
    assert.equal(e.kind === 'log' && e.plain, 'INFO: ready');
    assert.equal(e.kind === 'log' && e.text, '\x1b[32mINFO\x1b[0m: ready');
  });

  it('findFirst finds the first kept entry that matches', () => {
    const store = new LineStore(3);
    store.appendLine(line(1, 'ERROR'));
    store.appendLine(line(2, 'INFO'));
    store.appendLine(line(3, 'ERROR'));
    store.appendLine(line(4, 'INFO')); // evicts seq 1
    assert.equal(
      store.findFirst((e) => e.kind === 'log' && e.level === 'ERROR'),
      2,
    );
    assert.equal(
      store.findFirst((e) => e.kind === 'log' && e.level === 'DEBUG'),
      -1,
    );
  });

  it('rejects a capacity that is not a positive integer, naming the value', () => {
    assert.throws(() => new LineStore(0), /capacity must be a positive integer, got 0/);
    assert.throws(() => new LineStore(1.5), /got 1.5/);
  });
});

describe('webview LineStore search warm-up', () => {
  it('lower-cases kept lines in budgeted steps, and picks up new ones', () => {
    const store = new LineStore(2000);
    for (let s = 1; s <= 1500; s++) store.appendLine(line(s, 'INFO', `Line ${s}`));
    let calls = 0;
    assert.equal(
      store.warmSearch(() => (++calls < 2 ? 1 : 0)),
      false,
      'stopped when the budget ran out',
    );
    assert.equal(
      store.warmSearch(() => 1),
      true,
    );
    const e = store.at(1499)!;
    assert.equal(e.kind === 'log' && e.lower, 'line 1500');
    store.appendLine(line(1501, 'INFO', 'NEW'));
    assert.equal(
      store.warmSearch(() => 1),
      true,
    );
    const n = store.at(1500)!;
    assert.equal(n.kind === 'log' && n.lower, 'new');
  });
});
