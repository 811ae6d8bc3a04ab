/**
 * Which stored entries the view shows (level filter) and which of them match the search, kept up
 * to date incrementally as lines arrive and old ones are dropped. Positions are indices into the
 * shown rows; entries are named by their absolute store index. Pure: no DOM.
 */
import { LOG_LEVELS, type LogLevel } from '../src/shared/protocol';
import type { Entry, LineStore, LogEntry } from './lineStore';

/** A growable list of increasing absolute indices that drops from the front in O(1). */
class IndexList {
  private items: number[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }
  at(i: number): number {
    return this.items[this.head + i]!;
  }
  push(abs: number): void {
    this.items.push(abs);
  }
  clear(): void {
    this.items = [];
    this.head = 0;
  }
  /** Drops entries below `minAbs`; returns how many. */
  dropBelow(minAbs: number): number {
    const before = this.head;
    while (this.head < this.items.length && this.items[this.head]! < minAbs) this.head++;
    const dropped = this.head - before;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return dropped;
  }
  /** First position whose value is ≥ abs (length when none). */
  lowerBound(abs: number): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]! < abs) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.head;
  }
}

export interface SyncResult {
  /** Rows added at the end. */
  added: number;
  /** Rows removed from the front (dropped from the store or cleared). */
  removed: number;
}

export class ViewIndex {
  private readonly rows = new IndexList();
  private readonly matches = new IndexList();
  private levels: Set<LogLevel>;
  private lowerQuery = '';
  private processedEnd: number;
  /** Index into the matches of the current one, or -1. */
  private current = -1;

  constructor(
    private readonly store: LineStore,
    levels: Iterable<LogLevel> = LOG_LEVELS,
  ) {
    this.levels = new Set(levels);
    this.processedEnd = store.start;
    this.sync();
  }

  /** Number of rows shown. */
  get count(): number {
    return this.rows.length;
  }

  /** Absolute store index of the row at `position`. */
  rowAt(position: number): number {
    return this.rows.at(position);
  }

  entryAt(position: number): Entry | undefined {
    return position >= 0 && position < this.rows.length ? this.store.at(this.rows.at(position)) : undefined;
  }

  /** The row position of an absolute index, or -1 when it is not shown. */
  positionOf(abs: number): number {
    const p = this.rows.lowerBound(abs);
    return p < this.rows.length && this.rows.at(p) === abs ? p : -1;
  }

  /** First row position whose absolute index is ≥ abs. */
  positionAtOrAfter(abs: number): number {
    return this.rows.lowerBound(abs);
  }

  get shownLevels(): ReadonlySet<LogLevel> {
    return this.levels;
  }

  get query(): string {
    return this.lowerQuery;
  }

  get matchCount(): number {
    return this.matches.length;
  }

  /** 0-based index of the current match, or -1. */
  get currentMatch(): number {
    return this.current;
  }

  /** Absolute index of the current match, or -1. */
  get currentMatchAbs(): number {
    return this.current >= 0 ? this.matches.at(this.current) : -1;
  }

  /** Shows only `levels` (gap rows are always shown). Rebuilds rows and matches. */
  setLevels(levels: Iterable<LogLevel>): void {
    this.levels = new Set(levels);
    this.rebuild();
  }

  /**
   * Sets the search (case-insensitive substring of the plain text). The current match becomes the
   * first one at or after row `anchorPosition`, or the last one when none is.
   */
  setQuery(query: string, anchorPosition = 0): void {
    const q = query.toLowerCase();
    const anchorAbs = anchorPosition < this.rows.length ? this.rows.at(Math.max(0, anchorPosition)) : Infinity;
    this.lowerQuery = q;
    this.matches.clear();
    this.current = -1;
    if (!q) return;
    for (let i = 0; i < this.rows.length; i++) {
      const abs = this.rows.at(i);
      if (this.matchesQuery(this.store.at(abs)!)) this.matches.push(abs);
    }
    if (this.matches.length > 0) {
      const p = this.matches.lowerBound(anchorAbs);
      this.current = p < this.matches.length ? p : this.matches.length - 1;
    }
  }

  /** Moves to the next (`+1`) or previous (`-1`) match, wrapping; returns its row position or -1. */
  step(direction: 1 | -1): number {
    const n = this.matches.length;
    if (n === 0) return -1;
    this.current = this.current < 0 ? (direction > 0 ? 0 : n - 1) : (this.current + direction + n) % n;
    return this.positionOf(this.matches.at(this.current));
  }

  /** Catches up with the store: drops rows that left it, adds rows for new entries. */
  sync(): SyncResult {
    const start = this.store.start;
    const removed = this.rows.dropBelow(start);
    const droppedMatches = this.matches.dropBelow(start);
    if (droppedMatches > 0 && this.current >= 0) {
      this.current = this.current - droppedMatches;
      if (this.current < 0) this.current = this.matches.length > 0 ? 0 : -1;
    }
    let added = 0;
    const end = this.store.end;
    for (let abs = Math.max(this.processedEnd, start); abs < end; abs++) {
      const entry = this.store.at(abs)!;
      if (entry.kind === 'log' && !this.levels.has(entry.level)) continue;
      this.rows.push(abs);
      added++;
      if (this.lowerQuery && this.matchesQuery(entry)) {
        this.matches.push(abs);
        if (this.current < 0) this.current = 0;
      }
    }
    this.processedEnd = end;
    return { added, removed };
  }

  /** Recomputes everything from the store (after a filter change or a clear). */
  rebuild(): void {
    const currentAbs = this.currentMatchAbs;
    this.rows.clear();
    this.matches.clear();
    this.current = -1;
    this.processedEnd = this.store.start;
    const q = this.lowerQuery;
    this.lowerQuery = '';
    this.sync();
    if (q) {
      this.lowerQuery = q;
      for (let i = 0; i < this.rows.length; i++) {
        const abs = this.rows.at(i);
        if (this.matchesQuery(this.store.at(abs)!)) this.matches.push(abs);
      }
      if (this.matches.length > 0) {
        const p = currentAbs >= 0 ? this.matches.lowerBound(currentAbs) : 0;
        this.current = Math.min(p, this.matches.length - 1);
      }
    }
  }

  private matchesQuery(entry: Entry): boolean {
    if (entry.kind !== 'log') return false;
    const e = entry as LogEntry;
    return (e.lower ??= e.plain.toLowerCase()).includes(this.lowerQuery);
  }
}
