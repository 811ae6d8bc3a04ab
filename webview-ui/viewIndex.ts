/**
 * Which stored entries the view shows (level filter, collapsed entries) and which of them match
 * the search, kept up to date incrementally as lines arrive and old ones are dropped. Positions are
 * indices into the shown rows; entries are named by their absolute store index. Pure: no DOM.
 *
 * An entry of several lines is shown or filtered as one, by its level (the most severe of its
 * lines). Collapsed, it shows its head, the user's innermost frame and its last line; expanded, or
 * when the search matches one of its lines, every line.
 */
import { LOG_LEVELS, type LogLevel } from '../src/shared/protocol';
import { visibleWhenCollapsed } from './entryBlocks';
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
  /** The items, oldest first, and the list emptied (to be refilled). */
  take(): number[] {
    const out = this.head === 0 ? this.items : this.items.slice(this.head);
    this.clear();
    return out;
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
  /** Drops entries at or above `abs` from the end; returns how many. */
  dropFrom(abs: number): number {
    let n = 0;
    while (this.items.length > this.head && this.items[this.items.length - 1]! >= abs) {
      this.items.pop();
      n++;
    }
    return n;
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
  /** Rows added at the end (net of the rows of a growing entry shown again). */
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
  /** Set when a shown entry grew (its head's "N more lines" and its rows changed): drawn rows are stale. */
  private regrown = false;
  /** Heads (by seq) of the entries the reader expanded. */
  private readonly expanded = new Set<number>();

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

  /** Whether a shown entry grew since the last call (rows already drawn must be drawn again). */
  takeRegrown(): boolean {
    const was = this.regrown;
    this.regrown = false;
    return was;
  }

  /** Whether the entry headed by the line of `seq` is expanded. */
  isExpanded(headSeq: number): boolean {
    return this.expanded.has(headSeq);
  }

  /** Expands or collapses the entry headed by the line at `abs` (rows rebuilt). */
  toggleEntry(abs: number, expand?: boolean): void {
    const head = this.store.at(abs);
    if (head?.kind !== 'log' || !head.block) return;
    const on = expand ?? !this.expanded.has(head.seq);
    if (on) this.expanded.add(head.seq);
    else this.expanded.delete(head.seq);
    this.rebuild();
  }

  /** Shows only `levels` (gap rows are always shown). Rebuilds rows and matches. */
  setLevels(levels: Iterable<LogLevel>): void {
    this.levels = new Set(levels);
    this.rebuild();
  }

  /**
   * Sets the search (case-insensitive substring of the plain text). Entries with a match show all
   * their lines. The current match becomes the first one at or after row `anchorPosition`, or the
   * last one when none is.
   */
  setQuery(query: string, anchorPosition = 0): void {
    const anchorAbs = anchorPosition < this.rows.length ? this.rows.at(Math.max(0, anchorPosition)) : Infinity;
    this.lowerQuery = query.toLowerCase();
    this.sync();
    this.matches.clear();
    this.current = -1;
    if (this.entriesChangeWithQuery()) {
      // From the rows shown, not the whole store (the level filter stays): a single line keeps its
      // row; an entry's rows are redone, as the query shows or hides its hidden lines.
      const shown = this.rows.take();
      const { store } = this;
      for (let i = 0; i < shown.length;) {
        const abs = shown[i]!;
        const e = store.at(abs)!;
        if (e.kind === 'log' && e.block && e.headAbs === abs) {
          const next = this.addEntryAt(abs);
          while (i < shown.length && shown[i]! < next) i++;
          continue;
        }
        this.addRow(abs, e);
        i++;
      }
    } else if (this.lowerQuery) {
      for (let i = 0; i < this.rows.length; i++) {
        const abs = this.rows.at(i);
        if (this.matchesQuery(this.store.at(abs)!)) this.matches.push(abs);
      }
    }
    if (this.matches.length > 0) {
      const p = this.matches.lowerBound(anchorAbs);
      this.current = p < this.matches.length ? p : this.matches.length - 1;
    }
  }

  /** Whether the query shows more or fewer lines of some entry than it shows now. */
  private entriesChangeWithQuery(): boolean {
    const { store } = this;
    for (const abs of store.blockHeads()) {
      const e = store.at(abs);
      if (e?.kind !== 'log' || !e.block || this.expanded.has(e.seq) || !this.levels.has(e.block.level)) continue;
      const last = Math.min(e.block.lastAbs, store.end - 1);
      let hit = false;
      for (let a = abs; a <= last && !hit; a++) hit = this.lowerQuery !== '' && this.matchesQuery(store.at(a)!);
      let want = last - abs + 1;
      if (!hit) {
        want = 0;
        for (let a = abs; a <= last; a++) if (visibleWhenCollapsed(e.block, abs, a)) want++;
      }
      if (this.positionAtOrAfter(last + 1) - this.positionAtOrAfter(abs) !== want) return true;
    }
    return false;
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
    const { store } = this;
    const start = store.start;
    const removed = this.rows.dropBelow(start);
    this.afterMatchesDropped(this.matches.dropBelow(start));
    let added = 0;
    let abs = Math.max(this.processedEnd, start);
    // A line continuing the last entry shown changes what that entry shows: redo the entry.
    const first = store.at(abs);
    if (first?.kind === 'log' && first.headAbs < abs && first.headAbs >= start) {
      added -= this.rows.dropFrom(first.headAbs);
      this.regrown = true;
      this.dropMatchesFrom(first.headAbs);
      abs = first.headAbs;
    }
    const end = store.end;
    while (abs < end) {
      const before = this.rows.length;
      abs = this.addEntryAt(abs);
      added += this.rows.length - before;
    }
    this.processedEnd = end;
    return { added: Math.max(0, added), removed };
  }

  /** Recomputes everything from the store (after a filter change, a clear or lines put in front). */
  rebuild(keepCurrent = true): void {
    const currentAbs = keepCurrent ? this.currentMatchAbs : -1;
    this.rows.clear();
    this.matches.clear();
    this.current = -1;
    this.processedEnd = this.store.start;
    this.sync();
    if (this.matches.length > 0) {
      const p = currentAbs >= 0 ? this.matches.lowerBound(currentAbs) : 0;
      this.current = Math.min(p, this.matches.length - 1);
    }
  }

  /** Adds the rows of the entry (or gap, or single line) at `abs`; returns the index after it. */
  private addEntryAt(abs: number): number {
    const e = this.store.at(abs)!;
    if (e.kind === 'gap') {
      this.rows.push(abs);
      return abs + 1;
    }
    const headAbs = e.headAbs === abs || e.headAbs < this.store.start ? abs : e.headAbs;
    const head = headAbs === abs ? e : (this.store.at(headAbs) as LogEntry);
    const block = headAbs === abs ? e.block : undefined;
    if (!block) {
      // A single line, or a line whose head left the store: on its own.
      if (this.levels.has(head.block?.level ?? e.level)) this.addRow(abs, e);
      return abs + 1;
    }
    const last = Math.min(block.lastAbs, this.store.end - 1);
    if (!this.levels.has(block.level)) return last + 1;
    let showAll = this.expanded.has(e.seq);
    if (!showAll && this.lowerQuery) {
      for (let a = headAbs; a <= last && !showAll; a++) showAll = this.matchesQuery(this.store.at(a)!);
    }
    for (let a = headAbs; a <= last; a++) {
      if (showAll || visibleWhenCollapsed(block, headAbs, a)) this.addRow(a, this.store.at(a)!);
    }
    return last + 1;
  }

  private addRow(abs: number, entry: Entry): void {
    this.rows.push(abs);
    if (this.lowerQuery && this.matchesQuery(entry)) {
      this.matches.push(abs);
      if (this.current < 0) this.current = 0;
    }
  }

  private afterMatchesDropped(dropped: number): void {
    if (dropped > 0 && this.current >= 0) {
      this.current -= dropped;
      if (this.current < 0) this.current = this.matches.length > 0 ? 0 : -1;
    }
  }

  private dropMatchesFrom(abs: number): void {
    this.matches.dropFrom(abs);
    if (this.current >= this.matches.length) this.current = this.matches.length - 1;
  }

  private matchesQuery(entry: Entry): boolean {
    if (entry.kind !== 'log') return false;
    return (entry.lower ??= entry.plain.toLowerCase()).includes(this.lowerQuery);
  }
}
