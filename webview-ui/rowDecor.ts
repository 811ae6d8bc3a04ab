/**
 * What a row shows besides its text: its place in an entry (head, a line inside, on its own), the
 * level its mark and bar show (the entry's), whether it is a library frame (dimmed), and whether a
 * level mark is needed at all (not on a blank line, not as a word the line already starts with).
 * Pure: no DOM.
 */
import type { LogLevel } from '../src/shared/protocol';
import { hiddenCount } from './entryBlocks';
import { frameOf } from './frames';
import type { LineStore, LogEntry } from './lineStore';

export interface RowDecor {
  /** `head`: first line of an entry of several; `line`: a later line of one; `single`: a line alone. */
  role: 'single' | 'head' | 'line';
  /** The entry's level: what the bar (and, on a head or single line, the mark) shows. */
  level: LogLevel;
  /** `word`: the level as a badge; `dot`: a coloured dot (the line starts with its level word); none. */
  mark: 'word' | 'dot' | 'none';
  /** On a head: whether its entry is collapsed, and how many lines that hides. */
  collapsed?: boolean;
  hidden?: number;
  /** A stack frame (or the code under it) from a library or the runtime. */
  library?: boolean;
  /** The user's innermost frame (or its code line), kept when collapsed. */
  userFrame?: boolean;
}

// `INFO:`, `[WARN]`, `ERROR -`, `WARNING:root:`, `DEBUG    `, `E 12:00` is not one (single letters are too common).
const LEADING_LEVEL = /^\s*[[(<]?(?:INFO|WARN|WARNING|ERROR|ERR|DEBUG|TRACE|CRITICAL|FATAL|NOTICE)\b/i;

/** Whether the line starts with a level word, so a badge would say it twice. */
export function startsWithLevelWord(plain: string): boolean {
  return LEADING_LEVEL.test(plain);
}

/** The decoration of the line `e` at `abs`. */
export function decorate(store: LineStore, abs: number, e: LogEntry, isExpanded: (headSeq: number) => boolean): RowDecor {
  const blank = e.plain.trim() === '';
  if (e.block && e.headAbs === abs) {
    const collapsed = !isExpanded(e.seq);
    return {
      role: 'head',
      level: e.block.level,
      mark: blank ? 'none' : startsWithLevelWord(e.plain) ? 'dot' : 'word',
      collapsed,
      hidden: hiddenCount(e.block, abs),
    };
  }
  const head = e.headAbs !== abs ? store.at(e.headAbs) : undefined;
  if (head?.kind === 'log' && head.block) {
    const block = head.block;
    const frame = frameOf(e.plain);
    let library = frame?.library ?? false;
    // A Python frame's code line (and its `^^^^` marker) is as dim as the frame above it.
    if (!frame && /^\s/.test(e.plain)) {
      const above = store.at(abs - 1);
      const aboveFrame = above?.kind === 'log' ? frameOf(above.plain) : undefined;
      const twoAbove = store.at(abs - 2);
      const twoAboveFrame = !aboveFrame && twoAbove?.kind === 'log' ? frameOf(twoAbove.plain) : undefined;
      library = (aboveFrame ?? twoAboveFrame)?.library ?? false;
    }
    return {
      role: 'line',
      level: block.level,
      mark: 'none',
      library,
      userFrame: abs === block.userFrameAbs || abs === block.userCodeAbs,
    };
  }
  return { role: 'single', level: e.level, mark: blank ? 'none' : startsWithLevelWord(e.plain) ? 'dot' : 'word' };
}
