/**
 * An entry's level from its lines (issue 11): the most severe of them, except under a head at WARN
 * or DEBUG, whose indented lines (zap's stack, React's component stack, `console.trace()`) are its
 * own frames. An exception or traceback under a warning still counts: a crash right after a
 * warning looks the same. The host's error counts and the panel's entry marks both use this.
 */
import type { LogLevel } from './protocol';

/** A head whose frames keep its level. */
export function isQuietHead(level: LogLevel): boolean {
  return level === 'WARN' || level === 'DEBUG';
}

/** Whether a line (ANSI-free) under a quiet head raises its entry's level: it is not indented. */
export function raisesQuietEntry(plain: string): boolean {
  const first = plain.charCodeAt(0);
  return first !== 32 && first !== 9;
}
