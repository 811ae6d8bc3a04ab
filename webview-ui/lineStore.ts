/**
 * The view's bounded memory: a window of entries (log lines and gap rows) addressed by an absolute
 * index, with seq-based de-duplication so a line is never shown twice, even across reconnects.
 * Live lines go in at the end (the oldest leave at the front); older lines from history go in at
 * the front when the reader scrolls back (the newest then leave at the end, and the window is
 * "detached" from the live tail until it pages forward again). Pure: no DOM.
 */
import type { GapEvent, LogLevel, LogLine } from '../src/shared/protocol';
import { parseAccessLine } from '../src/shared/accessLog';
import type { StructuredLine } from '../src/shared/structuredLine';
import { stripAnsi } from './ansi';
import { extendBlock, newBlock, type EntryBlock } from './entryBlocks';

export interface LogEntry {
  kind: 'log';
  seq: number;
  ts: string;
  level: LogLevel;
  stream: LogLine['stream'];
  /** As received: ANSI escapes kept. */
  text: string;
  /** Without escapes: what search and copy use. */
  plain: string;
  /** `plain` lower-cased, filled in by the first search that needs it. */
  lower?: string;
  /** As received (`LogLine.entrySeq`): the seq of the head of the entry this line continues. */
  entrySeq?: number;
  /** Absolute index of the head of its entry (its own for a head or a single line). */
  headAbs: number;
  /** On a head that other lines continue. */
  block?: EntryBlock;
  /** The structured line it is (null: not one), once drawn (see structuredRow.ts). */
  structured?: StructuredLine | null;
  /**
   * An access line with a 4xx/5xx status: the Requests summary counts it, the level counts don't,
   * so a failing request reads "ERROR 1" (its traceback), not 2 with its `500` access line.
   */
  request: boolean;
}

export interface GapEntry {
  kind: 'gap';
  from: number;
  to: number;
  count: number;
}

export type Entry = LogEntry | GapEntry;

export type LevelCounts = Record<LogLevel, number>;

export class LineStore {
  private readonly ring: (Entry | undefined)[];
  private startAbs = 0;
  private endAbs = 0;
  private last = 0;
  private droppedCount = 0;
  private warmCursor = 0;
  private detachedTail = false;
  private floor = 0;
  private readonly counts: LevelCounts = { ERROR: 0, WARN: 0, INFO: 0, DEBUG: 0 };
  /** Absolute indices of the heads of entries of several lines, oldest first (some may have left). */
  private heads: number[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`LineStore: capacity must be a positive integer, got ${capacity}`);
    }
    this.ring = new Array(capacity);
  }

  /** Absolute index of the oldest entry kept (negative once older lines were put in front). */
  get start(): number {
    return this.startAbs;
  }

  /** One past the newest entry's absolute index. */
  get end(): number {
    return this.endAbs;
  }

  get size(): number {
    return this.endAbs - this.startAbs;
  }

  /** Highest seq seen (lines and gaps), including cleared and dropped ones: the resume point. */
  get lastSeq(): number {
    return this.last;
  }

  /** Entries evicted at the front because the store was full, since the last `clear()`. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Entries per level (an entry of many lines counts once, at its most severe level) among those kept. */
  get levelCounts(): Readonly<LevelCounts> {
    return this.counts;
  }

  /** The first seq kept (a gap's `from`), or lastSeq + 1 when empty. */
  get firstSeq(): number {
    const e = this.at(this.startAbs);
    return !e ? this.last + 1 : e.kind === 'log' ? e.seq : e.from;
  }

  /** The newest seq kept (a gap's `to`), or the floor when empty. */
  get keptLastSeq(): number {
    const e = this.at(this.endAbs - 1);
    return !e ? this.floor : e.kind === 'log' ? e.seq : e.to;
  }

  /** Whether the newest lines were let go to make room for older ones (the live tail is not in view). */
  get detached(): boolean {
    return this.detachedTail;
  }

  /** Lines up to this seq were cleared by the user: scrolling back stops after it. */
  get floorSeq(): number {
    return this.floor;
  }

  /** The entry at an absolute index, or undefined when it was dropped or not yet written. */
  at(abs: number): Entry | undefined {
    if (abs < this.startAbs || abs >= this.endAbs) return undefined;
    return this.ring[this.slot(abs)];
  }

  /**
   * Adds a live line; returns false (and keeps nothing) when its seq was already seen. While the
   * window is detached the line is counted as seen but not kept: paging forward brings it.
   */
  appendLine(line: LogLine): boolean {
    if (line.seq <= this.last) return false;
    this.last = line.seq;
    if (!this.detachedTail) this.pushLine(line);
    return true;
  }

  /** Adds a gap row for the part of `gap` not already covered; false when nothing of it is new. */
  appendGap(gap: GapEvent): boolean {
    if (gap.to <= this.last) return false;
    const from = Math.max(gap.from, this.last + 1);
    this.last = gap.to;
    if (!this.detachedTail) this.push({ kind: 'gap', from, to: gap.to, count: gap.to - from + 1 });
    return true;
  }

  /**
   * Puts lines older than the first kept one in front (history pages, seq order). A hole between
   * the page and the kept lines becomes a gap row. When full, the newest entries leave and the
   * window is detached from the live tail. Returns how many lines went in.
   */
  prependLines(lines: readonly LogLine[]): number {
    const first = this.firstSeq;
    const older = lines.filter((l) => l.seq < first && l.seq > this.floor);
    if (older.length === 0) return 0;
    const lastOlder = older[older.length - 1]!.seq;
    const items: Entry[] = older.map((l) => toEntry(l));
    if (lastOlder < first - 1 && this.size > 0)
      items.push({ kind: 'gap', from: lastOlder + 1, to: first - 1, count: first - 1 - lastOlder });
    for (let i = items.length - 1; i >= 0; i--) {
      if (this.size === this.capacity) {
        this.endAbs--;
        this.ring[this.slot(this.endAbs)] = undefined;
        this.detachedTail = true;
      }
      this.startAbs--;
      this.ring[this.slot(this.startAbs)] = items[i];
    }
    this.warmCursor = this.startAbs;
    this.relinkAll();
    return older.length;
  }

  /**
   * Puts history lines after the newest kept one at the end, while detached (paging forward);
   * returns how many went in. The oldest leave at the front when full, as with live lines.
   */
  appendNewer(lines: readonly LogLine[]): number {
    let n = 0;
    for (const l of lines) {
      if (l.seq <= this.keptLastSeq) continue;
      this.pushLine(l);
      n++;
    }
    return n;
  }

  /** Starts over from an empty window whose stream resumes after `seq` (back to the newest lines). */
  restartAfter(seq: number): void {
    const floor = this.floor;
    this.reset();
    this.last = Math.max(seq, floor);
    this.floor = floor;
  }

  /** A past run: no live tail, `lastSeq` is its newest line; pages of history fill the window. */
  openPast(lastSeq: number): void {
    this.reset();
    this.last = lastSeq;
    this.detachedTail = true;
  }

  /** Back to taking live lines: the stream must resume after the newest kept seq, which this returns. */
  attach(): number {
    this.detachedTail = false;
    this.last = this.keptLastSeq;
    return this.last;
  }

  /** Empties the view; `lastSeq` stays so lines already seen are not shown again, nor scrolled back to. */
  clear(): void {
    this.ring.fill(undefined);
    this.startAbs = this.endAbs;
    this.droppedCount = 0;
    this.detachedTail = false;
    this.floor = this.last;
    for (const level of Object.keys(this.counts) as LogLevel[]) this.counts[level] = 0;
  }

  /** Forgets everything, `lastSeq` too (another preview, or a new run whose seqs restart at 1). */
  reset(): void {
    this.clear();
    this.last = 0;
    this.floor = 0;
  }

  /**
   * Lower-cases entries ahead of the first search, while `timeLeft()` (ms) stays positive.
   * Returns true when every kept entry is done.
   */
  warmSearch(timeLeft: () => number): boolean {
    let abs = Math.max(this.warmCursor, this.startAbs);
    while (abs < this.endAbs) {
      const stop = Math.min(this.endAbs, abs + 512);
      for (; abs < stop; abs++) {
        const e = this.ring[this.slot(abs)]!;
        if (e.kind === 'log' && e.lower === undefined) e.lower = e.plain.toLowerCase();
      }
      this.warmCursor = abs;
      if (timeLeft() <= 0) break;
    }
    return this.warmCursor >= this.endAbs;
  }

  /** Absolute index of the first kept entry (from `from` on) that matches, or -1. */
  findFirst(predicate: (e: Entry, abs: number) => boolean, from = this.startAbs): number {
    for (let abs = Math.max(from, this.startAbs); abs < this.endAbs; abs++) {
      if (predicate(this.ring[this.slot(abs)]!, abs)) return abs;
    }
    return -1;
  }

  /** Absolute index of the last kept entry (before `before`) that matches, or -1. */
  findLast(predicate: (e: Entry, abs: number) => boolean, before = this.endAbs): number {
    for (let abs = Math.min(before, this.endAbs) - 1; abs >= this.startAbs; abs--) {
      if (predicate(this.ring[this.slot(abs)]!, abs)) return abs;
    }
    return -1;
  }

  /** Whether the line at `abs` starts an entry (a head, a single line, or one whose head left the store). */
  startsEntry(abs: number): boolean {
    const e = this.at(abs);
    return e?.kind === 'log' && (e.headAbs === abs || e.headAbs < this.startAbs);
  }

  /** The absolute indices of the lines of the entry headed at `abs` (just `abs` for a single line). */
  entryRange(abs: number): [number, number] {
    const e = this.at(abs);
    return e?.kind === 'log' && e.block && e.headAbs === abs ? [abs, Math.min(e.block.lastAbs, this.endAbs - 1)] : [abs, abs];
  }

  /** The head line of the entry the line at `abs` belongs to (itself for a single line). */
  headOf(abs: number): LogEntry | undefined {
    const e = this.at(abs);
    if (e?.kind !== 'log') return undefined;
    const head = e.headAbs === abs ? e : this.at(e.headAbs);
    return head?.kind === 'log' ? head : e;
  }

  /** Heads of the kept entries of several lines, oldest first. */
  blockHeads(): number[] {
    let i = 0;
    while (i < this.heads.length && this.heads[i]! < this.startAbs) i++;
    if (i > 0) this.heads = this.heads.slice(i);
    return this.heads;
  }

  /** The level an entry counts as: its block's for a head, else the line's own. */
  static entryLevel(e: LogEntry): LogLevel {
    return e.block?.level ?? e.level;
  }

  private pushLine(line: LogLine): void {
    this.push(toEntry(line));
    this.link(this.endAbs - 1);
  }

  private push(entry: Entry): void {
    if (this.endAbs - this.startAbs === this.capacity) {
      const old = this.ring[this.slot(this.startAbs)];
      if (old?.kind === 'log' && old.headAbs === this.startAbs && !old.request) this.counts[LineStore.entryLevel(old)]--;
      this.ring[this.slot(this.startAbs)] = undefined;
      this.startAbs++;
      this.droppedCount++;
    }
    this.ring[this.slot(this.endAbs)] = entry;
    this.endAbs++;
  }

  /** Joins the line at `abs` to the entry of the line before it when its entrySeq says so; counts it. */
  private link(abs: number): void {
    const e = this.at(abs);
    if (e?.kind !== 'log') return;
    e.headAbs = abs;
    e.block = undefined;
    if (e.entrySeq !== undefined && e.entrySeq !== e.seq) {
      const prev = this.at(abs - 1);
      const head = prev?.kind === 'log' ? this.at(prev.headAbs) : undefined;
      if (prev?.kind === 'log' && head?.kind === 'log' && head.seq === e.entrySeq && prev.headAbs >= this.startAbs) {
        e.headAbs = prev.headAbs;
        if (!head.block) {
          head.block = newBlock(prev.headAbs, head.level, head.plain);
          this.heads.push(prev.headAbs);
          if (head.request) {
            head.request = false; // lines continue it: an entry, counted as one
            this.counts[head.level]++;
          }
        }
        const before = extendBlock(head.block, abs, e.plain, e.level);
        if (before !== head.block.level) {
          this.counts[before]--;
          this.counts[head.block.level]++;
        }
        return;
      }
    }
    if (!e.request) this.counts[e.level]++;
  }

  /** Recomputes every entry and the counts (after lines went in at the front). */
  private relinkAll(): void {
    this.heads = [];
    for (const level of Object.keys(this.counts) as LogLevel[]) this.counts[level] = 0;
    for (let abs = this.startAbs; abs < this.endAbs; abs++) this.link(abs);
  }

  private slot(abs: number): number {
    const r = abs % this.capacity;
    return r < 0 ? r + this.capacity : r;
  }
}

function toEntry(line: LogLine): LogEntry {
  const plain = stripAnsi(line.text);
  // Every field set here, in one order: entries then share one hidden class, which keeps the
  // filter and search loops over 100 000 of them fast.
  return {
    kind: 'log',
    seq: line.seq,
    ts: line.ts,
    level: line.level,
    stream: line.stream,
    text: line.text,
    plain,
    lower: undefined,
    entrySeq: typeof line.entrySeq === 'number' ? line.entrySeq : undefined,
    headAbs: 0,
    block: undefined,
    structured: undefined,
    // Only WARN/ERROR lines are parsed: the level table gives 4xx/5xx access lines those levels.
    request: (line.level === 'ERROR' || line.level === 'WARN') && line.entrySeq === undefined && parseAccessLine(plain) !== undefined,
  };
}
