/**
 * The view's bounded memory: a ring of entries (log lines and gap rows) addressed by a monotonic
 * absolute index, with seq-based de-duplication so a line is never shown twice, even across
 * reconnects. Pure: no DOM.
 */
import type { GapEvent, LogLevel, LogLine } from '../src/shared/protocol';
import { stripAnsi } from './ansi';

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
  private readonly counts: LevelCounts = { ERROR: 0, WARN: 0, INFO: 0, DEBUG: 0 };

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`LineStore: capacity must be a positive integer, got ${capacity}`);
    }
    this.ring = new Array(capacity);
  }

  /** Absolute index of the oldest entry kept. */
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

  /** Entries evicted because the store was full, since the last `clear()`. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Lines per level among the entries kept. */
  get levelCounts(): Readonly<LevelCounts> {
    return this.counts;
  }

  /** The entry at an absolute index, or undefined when it was dropped or not yet written. */
  at(abs: number): Entry | undefined {
    if (abs < this.startAbs || abs >= this.endAbs) return undefined;
    return this.ring[abs % this.capacity];
  }

  /** Adds a line; returns false (and keeps nothing) when its seq was already seen. */
  appendLine(line: LogLine): boolean {
    if (line.seq <= this.last) return false;
    this.last = line.seq;
    this.push({
      kind: 'log',
      seq: line.seq,
      ts: line.ts,
      level: line.level,
      stream: line.stream,
      text: line.text,
      plain: stripAnsi(line.text),
    });
    this.counts[line.level]++;
    return true;
  }

  /** Adds a gap row for the part of `gap` not already covered; false when nothing of it is new. */
  appendGap(gap: GapEvent): boolean {
    if (gap.to <= this.last) return false;
    const from = Math.max(gap.from, this.last + 1);
    this.last = gap.to;
    this.push({ kind: 'gap', from, to: gap.to, count: gap.to - from + 1 });
    return true;
  }

  /** Empties the view; `lastSeq` stays so lines already seen are not shown again. */
  clear(): void {
    this.ring.fill(undefined);
    this.startAbs = this.endAbs;
    this.droppedCount = 0;
    for (const level of Object.keys(this.counts) as LogLevel[]) this.counts[level] = 0;
  }

  /** Forgets everything, `lastSeq` too (another preview, or a new run whose seqs restart at 1). */
  reset(): void {
    this.clear();
    this.last = 0;
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
        const e = this.ring[abs % this.capacity]!;
        if (e.kind === 'log' && e.lower === undefined) e.lower = e.plain.toLowerCase();
      }
      this.warmCursor = abs;
      if (timeLeft() <= 0) break;
    }
    return this.warmCursor >= this.endAbs;
  }

  /** Absolute index of the first kept entry (from `from` on) that matches, or -1. */
  findFirst(predicate: (e: Entry) => boolean, from = this.startAbs): number {
    for (let abs = Math.max(from, this.startAbs); abs < this.endAbs; abs++) {
      if (predicate(this.ring[abs % this.capacity]!)) return abs;
    }
    return -1;
  }

  private push(entry: Entry): void {
    if (this.endAbs - this.startAbs === this.capacity) {
      const old = this.ring[this.startAbs % this.capacity];
      if (old?.kind === 'log') this.counts[old.level]--;
      this.startAbs++;
      this.droppedCount++;
    }
    this.ring[this.endAbs % this.capacity] = entry;
    this.endAbs++;
  }
}
