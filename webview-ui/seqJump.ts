/** Finding a line by its seq in the view's store, for jumps from the error summary and the Requests view. */
import type { LineStore } from './lineStore';

/** Where a seq is: its absolute index, or why it is not in the store. */
export type SeqPlace = { abs: number } | { missing: 'older' | 'later' | 'unavailable' };

/** Binary search over the store (seqs rise with the absolute index; a gap row covers from..to). */
export function findSeq(store: LineStore, seq: number): SeqPlace {
  let lo = store.start;
  let hi = store.end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = store.at(mid)!;
    if ((e.kind === 'log' ? e.seq : e.to) < seq) lo = mid + 1;
    else hi = mid;
  }
  const e = store.at(lo);
  if (e?.kind === 'log' && e.seq === seq) return { abs: lo };
  if (e?.kind === 'gap' && e.from <= seq) return { missing: 'unavailable' };
  if (seq > store.lastSeq) return { missing: 'later' };
  return lo === store.start ? { missing: 'older' } : { missing: 'unavailable' };
}

/** What to tell the reader when a line cannot be shown. */
export function missingText(seq: number, why: 'older' | 'later' | 'unavailable'): string {
  if (why === 'older') return `Line ${seq} is older than the lines in view (it is in the run's history)`;
  if (why === 'later') return `Line ${seq} has not arrived yet`;
  return `Line ${seq} is not available`;
}
