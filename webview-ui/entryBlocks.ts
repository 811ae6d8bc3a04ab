/**
 * Entries (issue 11): consecutive lines whose `entrySeq` points at a head form one block with one
 * level (the most severe of its lines; frames under a warning or debug head don't count), shown
 * collapsed to its head, the message under a head that ends with `:`, the innermost frame of the
 * user's own code and its last line (the exception). Pure: no DOM.
 */
import { isQuietHead, raisesQuietEntry } from '../src/shared/entryLevel';
import { isProcessName, muxPrefixOf } from '../src/shared/muxPrefix';
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
  /** Absolute index of its last line with a letter or digit (what a collapsed block shows last). */
  lastTextAbs: number;
  /** The multiplexer prefix its head carries (`[api] `, `web:dev: `), read past on every line; or undefined. */
  prefix: string | undefined;
  /** Innermost frame of the user's own code (absolute index), or NONE. */
  userFrameAbs: number;
  /** The source line printed under that frame (Python), or NONE. */
  userCodeAbs: number;
  /** Whether the innermost frame comes last (Python) rather than first (Node, Java, Go, Rust). */
  innermostLast: boolean;
  /**
   * The first non-blank line under a head that ends with `:` (Vite's `Internal server error:
   * Transform failed with 1 error:` over `[PARSE_ERROR] Expected …`), or NONE.
   */
  messageAbs: number;
  /** The head ends with `:` and its message line has not come yet. */
  awaitingMessage: boolean;
}

/** No such line. Absolute indexes go below 0 once history lines are put in front, so not -1. */
export const NONE = Number.NEGATIVE_INFINITY;

const HAS_TEXT = /[\p{L}\p{N}]/u;

const SEVERITY: Record<LogLevel, number> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3 };

/** The more severe of two levels. */
export function worseLevel(a: LogLevel, b: LogLevel): LogLevel {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** A new block for a head at `headAbs` of level `level`; `headPlain` is its text without ANSI. */
export function newBlock(headAbs: number, level: LogLevel, headPlain = ''): EntryBlock {
  const split = muxPrefixOf(headPlain);
  const prefix = split !== undefined && isProcessName(split.name) ? split.name : undefined;
  const head = prefix === undefined ? headPlain : headPlain.slice(split!.length);
  return {
    level,
    fixed: isQuietHead(level),
    lastAbs: headAbs,
    lastTextAbs: headAbs,
    prefix,
    userFrameAbs: NONE,
    userCodeAbs: NONE,
    innermostLast: false,
    messageAbs: NONE,
    awaitingMessage: head.trimEnd().endsWith(':'),
  };
}

/**
 * Adds the line at `abs` (its plain text and level) to `block`. Returns the block's level before,
 * so the caller can move its count when the level rose.
 */
export function extendBlock(block: EntryBlock, abs: number, line: string, level: LogLevel): LogLevel {
  const before = block.level;
  const plain = withoutPrefix(block, line);
  if (HAS_TEXT.test(plain)) block.lastTextAbs = abs; // not a blank line or a dump's closing `}`
  if (!block.fixed || raisesQuietEntry(plain)) block.level = worseLevel(block.level, level);
  const previous = block.lastAbs;
  block.lastAbs = abs;
  const frame = frameOf(plain);
  if (block.awaitingMessage) findMessage(block, abs, plain, frame !== undefined);
  if (frame) {
    if (frame.innermostLast) block.innermostLast = true;
    if (!frame.library && frame.hasFile && (block.innermostLast || block.userFrameAbs === NONE)) {
      block.userFrameAbs = abs;
      block.userCodeAbs = NONE;
    }
  } else if (previous === block.userFrameAbs && block.innermostLast && /^\s+\S/.test(plain)) {
    block.userCodeAbs = abs; // `    return items[item_id]` under `  File "main.py", line 9`
  }
  return before;
}

// The line as its process wrote it, when it carries the head's multiplexer prefix.
function withoutPrefix(block: EntryBlock, line: string): string {
  if (block.prefix === undefined) return line;
  const split = muxPrefixOf(line);
  return split?.name === block.prefix ? line.slice(split.length) : line;
}

/** The message under a head ending with `:`: not a frame or a traceback's header; rules and blanks are skipped. */
function findMessage(block: EntryBlock, abs: number, plain: string, isFrame: boolean): void {
  const text = plain.trim();
  if (!HAS_TEXT.test(text)) return; // a blank line, `***`, `────╯`: keep looking
  block.awaitingMessage = false;
  if (!isFrame && !text.startsWith('Traceback (most recent call last)')) block.messageAbs = abs;
}

/** Whether a line of a collapsed block stays visible: head, its message, user frame (and its code), last line with text. */
export function visibleWhenCollapsed(block: EntryBlock, headAbs: number, abs: number): boolean {
  return (
    abs === headAbs || abs === block.lastTextAbs || abs === block.userFrameAbs || abs === block.userCodeAbs || abs === block.messageAbs
  );
}

/** Lines a collapsed block hides. */
export function hiddenCount(block: EntryBlock, headAbs: number): number {
  const shown = new Set([headAbs, block.lastTextAbs, block.userFrameAbs, block.userCodeAbs, block.messageAbs]);
  shown.delete(NONE);
  return block.lastAbs - headAbs + 1 - shown.size;
}
