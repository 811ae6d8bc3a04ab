import assert from 'node:assert/strict';
import type { LogLevel } from '../../src/shared/protocol';
import { LineStore } from '../../webview-ui/lineStore';
import { ViewIndex } from '../../webview-ui/viewIndex';

function fill(store: LineStore, specs: [LogLevel, string][], firstSeq = store.lastSeq + 1): void {
  specs.forEach(([level, text], i) => store.appendLine({ seq: firstSeq + i, ts: '2026-01-01T00:00:00Z', level, stream: 'stdout', text }));
}

const shown = (view: ViewIndex, store: LineStore) =>
  Array.from({ length: view.count }, (_, p) => {
    const e = store.at(view.rowAt(p))!;
    return e.kind === 'log' ? e.seq : `gap ${e.from}`;
  });

describe('webview ViewIndex (filter and search)', () => {
  const specs: [LogLevel, string][] = [
    ['INFO', 'server started'],
    ['DEBUG', 'cache warm'],
    ['ERROR', 'KeyError: needle'],
    ['WARN', 'slow NEEDLE request'],
    ['INFO', 'GET /needle 200'],
    ['DEBUG', 'needle in debug'],
  ];

  it('shows only the chosen levels, and gap rows always', () => {
    const store = new LineStore(100);
    fill(store, specs);
    store.appendGap({ from: 7, to: 9, count: 3 });
    fill(store, [['DEBUG', 'after gap']]);
    const view = new ViewIndex(store, ['ERROR', 'WARN']);
    assert.deepEqual(shown(view, store), [3, 4, 'gap 7']);
    view.setLevels(['INFO', 'DEBUG']);
    assert.deepEqual(shown(view, store), [1, 2, 5, 6, 'gap 7', 10]);
    view.setLevels([]);
    assert.deepEqual(shown(view, store), ['gap 7']);
  });

  it('counts case-insensitive matches among the shown rows only', () => {
    const store = new LineStore(100);
    fill(store, specs);
    const view = new ViewIndex(store);
    view.setQuery('Needle');
    assert.equal(view.matchCount, 4);
    view.setLevels(['ERROR', 'WARN', 'INFO']);
    assert.equal(view.matchCount, 3, 'the DEBUG match is filtered out');
    view.setQuery('');
    assert.equal(view.matchCount, 0);
    assert.equal(view.currentMatch, -1);
  });

  it('steps through matches, wrapping both ways, and returns row positions', () => {
    const store = new LineStore(100);
    fill(store, specs);
    const view = new ViewIndex(store);
    view.setQuery('needle', 0);
    assert.equal(view.currentMatch, 0);
    assert.equal(view.currentMatchAbs, 2);
    assert.equal(view.step(1), 3);
    assert.equal(view.step(1), 4);
    assert.equal(view.step(1), 5);
    assert.equal(view.step(1), 2, 'wraps to the first');
    assert.equal(view.step(-1), 5, 'wraps to the last');
  });

  it('starts at the first match at or after the anchor, else the last', () => {
    const store = new LineStore(100);
    fill(store, specs);
    const view = new ViewIndex(store);
    view.setQuery('needle', 4);
    assert.equal(view.currentMatchAbs, 4);
    view.setQuery('KeyError', 4);
    assert.equal(view.currentMatchAbs, 2, 'none after row 4: the last one');
  });

  it('follows the store: new lines are added and matched, dropped ones leave', () => {
    const store = new LineStore(4);
    const view = new ViewIndex(store, ['INFO', 'ERROR']);
    view.setQuery('x');
    fill(store, [
      ['INFO', 'x1'],
      ['DEBUG', 'x2'],
      ['ERROR', 'y3'],
    ]);
    assert.deepEqual(view.sync(), { added: 2, removed: 0 });
    assert.equal(view.matchCount, 1);
    fill(store, [
      ['INFO', 'x4'],
      ['INFO', 'x5'],
      ['INFO', 'x6'],
    ]); // evicts seqs 1 and 2
    assert.deepEqual(view.sync(), { added: 3, removed: 1 });
    assert.deepEqual(shown(view, store), [3, 4, 5, 6]);
    assert.equal(view.matchCount, 3);
  });

  it('keeps the current match when older matches are dropped', () => {
    const store = new LineStore(3);
    const view = new ViewIndex(store);
    fill(store, [
      ['INFO', 'm1'],
      ['INFO', 'm2'],
      ['INFO', 'm3'],
    ]);
    view.sync();
    view.setQuery('m', 2);
    assert.equal(view.currentMatchAbs, 2);
    fill(store, [['INFO', 'm4']]);
    view.sync();
    assert.equal(view.currentMatchAbs, 2, 'still m3');
    assert.equal(view.currentMatch, 1);
  });

  it('survives a store with more lines than it ever indexed between syncs', () => {
    const store = new LineStore(10);
    const view = new ViewIndex(store);
    fill(
      store,
      Array.from({ length: 1000 }, (_, i): [LogLevel, string] => ['INFO', `l${i}`]),
    );
    assert.deepEqual(view.sync(), { added: 10, removed: 0 });
    assert.deepEqual(shown(view, store), [991, 992, 993, 994, 995, 996, 997, 998, 999, 1000]);
  });

  it('finds positions by absolute index', () => {
    const store = new LineStore(100);
    fill(store, specs);
    const view = new ViewIndex(store, ['ERROR', 'INFO']);
    assert.equal(view.positionOf(2), 1);
    assert.equal(view.positionOf(1), -1, 'DEBUG row not shown');
    assert.equal(view.positionAtOrAfter(1), 1);
    assert.equal(view.positionAtOrAfter(99), view.count);
  });

  // A guard against quadratic work; the real bounds (≤ 100 ms in Chromium) are in bench/webview-bench.ts.
  it('filters and searches 100 000 lines in linear time', () => {
    const store = new LineStore(100_000);
    const levels: LogLevel[] = ['INFO', 'DEBUG', 'WARN', 'ERROR'];
    for (let i = 1; i <= 100_000; i++) {
      store.appendLine({
        seq: i,
        ts: '',
        level: levels[i % 4]!,
        stream: 'stdout',
        text: `\x1b[32mINFO\x1b[0m: GET /api/items/${i} 200 OK`,
      });
    }
    const view = new ViewIndex(store);
    let t = performance.now();
    view.setLevels(['INFO', 'WARN', 'ERROR']);
    const filterMs = performance.now() - t;
    t = performance.now();
    view.setQuery('items/9999');
    const searchMs = performance.now() - t;
    assert.equal(view.count, 75_000);
    assert.equal(view.matchCount, 9, '9999 and 99990..99999 except the DEBUG ones');
    assert.ok(filterMs < 2000 && searchMs < 2000, `filter ${filterMs.toFixed(1)} ms, search ${searchMs.toFixed(1)} ms`);
  });
});
