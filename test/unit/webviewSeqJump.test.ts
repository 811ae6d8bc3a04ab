import assert from 'node:assert/strict';
import { LineStore } from '../../webview-ui/lineStore';
import { findSeq } from '../../webview-ui/seqJump';

const line = (seq: number) => ({ seq, ts: '2026-01-01T00:00:00Z', level: 'INFO' as const, stream: 'stdout' as const, text: `line ${seq}` });

describe('webview findSeq (jump to a line by seq)', () => {
  it('finds kept lines and says why others are not there: dropped, in a gap, cleared, not arrived', () => {
    const store = new LineStore(5);
    for (const seq of [1, 2, 3]) store.appendLine(line(seq));
    store.appendGap({ from: 4, to: 6, count: 3 });
    for (const seq of [7, 8, 9]) store.appendLine(line(seq)); // 1 and 2 drop out (capacity 5)
    const abs = (seq: number) => {
      const place = findSeq(store, seq);
      return 'abs' in place ? (store.at(place.abs) as { seq: number }).seq : place.missing;
    };
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(abs), [
      'older',
      'older',
      3,
      'unavailable',
      'unavailable',
      'unavailable',
      7,
      8,
      9,
      'later',
    ]);
    store.clear();
    assert.equal(abs(8), 'older', 'a cleared line is behind the view');
    store.appendLine(line(10));
    assert.deepEqual([9, 10, 11].map(abs), ['older', 10, 'later']);
  });
});
