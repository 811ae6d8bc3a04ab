/**
 * The index of the first item whose seq is above `after`, in items kept in rising seq order
 * (`items.length` when none): a binary search, for readers that come back page by page.
 */
export function firstAfterSeq<T>(items: readonly T[], after: number, seqOf: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seqOf(items[mid]!) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
