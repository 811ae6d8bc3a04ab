/**
 * Entries (issue 11): consecutive lines whose `entrySeq` points at a head form one block with one
 * level (the most severe of its lines; frames under a warning or debug head don't count), shown collapsed to its head, the innermost frame of the
 * user's own code and its last line (the exception). Pure: no DOM.
 */
import type { LogLevel } from '../src/shared/protocol';
import { frameOf } from './frames';

/** What a head line knows about the lines that continue it. */
export interface EntryBlock {
  /** The most severe level among its lines; under a WARN or DEBUG head, frames don't raise it. */
  level: LogLevel;
  /** The head is WARN or DEBUG: only a line that is not indented (an exception, a traceback) raises the level. */
  fixed: boolean;
  /** Absolute index of its last line so far. */
  lastAbs: number;
  /** Innermost frame of the user's own code (absolute index), or -1. */
  userFrameAbs: number;
  /** The source line printed under that frame (Python), or -1. */
  userCodeAbs: number;
  /** Whether the innermost frame comes last (Python) rather than first (Node, Java, Go, Rust). */
  innermostLast: boolean;
}

const SEVERITY: Record<LogLevel, number> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3 };

/** The more severe of two levels. */
export function worseLevel(a: LogLevel, b: LogLevel): LogLevel {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** A new block for a head at `headAbs` of level `level`. */
export function newBlock(headAbs: number, level: LogLevel): EntryBlock {
  return { level, fixed: level === 'WARN' || level === 'DEBUG', lastAbs: headAbs, userFrameAbs: -1, userCodeAbs: -1, innermostLast: false };
}

/**
 * Adds the line at `abs` (its plain text and level) to `block`. Returns the block's level before,
 * so the caller can move its count when the level rose.
 */
export function extendBlock(block: EntryBlock, abs: number, plain: string, level: LogLevel): LogLevel {
  const before = block.level;
  if (!block.fixed || !/^\s/.test(plain)) block.level = worseLevel(block.level, level);
  const previous = block.lastAbs;
  block.lastAbs = abs;
  const frame = frameOf(plain);
  if (frame) {
    if (frame.innermostLast) block.innermostLast = true;
    if (!frame.library && frame.hasFile && (block.innermostLast || block.userFrameAbs < 0)) {
      block.userFrameAbs = abs;
      block.userCodeAbs = -1;
    }
  } else if (previous === block.userFrameAbs && block.innermostLast && /^\s+\S/.test(plain)) {
    block.userCodeAbs = abs; // `    return items[item_id]` under `  File "main.py", line 9`
  }
  return before;
}

/** Whether a line of a collapsed block stays visible: head, user frame (and its code), last line. */
export function visibleWhenCollapsed(block: EntryBlock, headAbs: number, abs: number): boolean {
  return abs === headAbs || abs === block.lastAbs || abs === block.userFrameAbs || abs === block.userCodeAbs;
}

/** Lines a collapsed block hides. */
export function hiddenCount(block: EntryBlock, headAbs: number): number {
  const shown = new Set([headAbs, block.lastAbs, block.userFrameAbs, block.userCodeAbs]);
  shown.delete(-1);
  return block.lastAbs - headAbs + 1 - shown.size;
}
