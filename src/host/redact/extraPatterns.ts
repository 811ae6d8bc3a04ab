import { findSecrets, type SecretRange } from './mask';
import type { SecretRule } from './rules';

/**
 * The user's own patterns run on every line (no trigger can be derived from them), so each is
 * checked first: it must compile, must not match the empty string, and must not nest unbounded
 * quantifiers (`(a+)+`, `(\w*)*`: the shape that backtracks exponentially). They then see a line
 * in windows of at most `EXTRA_WINDOW` characters, which bounds what a slow pattern can cost.
 */
export const EXTRA_WINDOW = 4096;
/** Windows overlap by this much, so a match up to this long is found across a window edge. */
const WINDOW_OVERLAP = 512;

/** A pattern the user gave that cannot be used; the message names the pattern and why. */
export class RedactPatternError extends Error {}

/** Compiles one extra pattern, or throws a RedactPatternError naming it. */
export function compileExtraPattern(source: string): SecretRule {
  const named = `redaction pattern ${JSON.stringify(source)}`;
  if (typeof source !== 'string' || source === '') throw new RedactPatternError(`${named}: expected a non-empty regular expression`);
  let re: RegExp;
  try {
    re = new RegExp(source, 'dg');
  } catch (err) {
    throw new RedactPatternError(`${named} is not a valid regular expression: ${(err as Error).message}`);
  }
  if (re.test('')) throw new RedactPatternError(`${named} matches the empty string, so it would match everywhere`);
  if (nestsUnboundedQuantifiers(source)) {
    throw new RedactPatternError(
      `${named} repeats a group that itself repeats without bound, which can take forever on some lines; rewrite it without the nesting`,
    );
  }
  // With a capturing group, only the group is the secret (`session=(\w+)` keeps "session=").
  const hasGroup = new RegExp(`${source}|`).exec('')!.length > 1;
  return { kind: 'pattern', re, groups: hasGroup ? [1] : undefined };
}

/** Adds to `out` what the extra rules find in `text`, window by window. */
export function findExtraSecrets(text: string, rules: readonly SecretRule[], out: SecretRange[]): void {
  if (text.length <= EXTRA_WINDOW) return findSecrets(text, rules, out);
  for (let start = 0; start < text.length; start += EXTRA_WINDOW - WINDOW_OVERLAP) {
    findSecrets(text.slice(start, start + EXTRA_WINDOW), rules, out, start);
    if (start + EXTRA_WINDOW >= text.length) break;
  }
}

/**
 * True when a group repeated without bound (`*`, `+`, `{n,}`) contains something itself repeated
 * without bound. A small scanner over the source: escapes and character classes are skipped.
 */
export function nestsUnboundedQuantifiers(source: string): boolean {
  const groups: boolean[] = [false]; // per open group: does it contain an unbounded repeat?
  let i = 0;
  const unboundedAt = (at: number): number => {
    // Length of an unbounded quantifier at `at` (with its lazy/possessive suffix), else 0.
    const c = source[at];
    if (c === '*' || c === '+') return 1;
    const brace = c === '{' ? /^\{\d*,\}/.exec(source.slice(at)) : null;
    return brace ? brace[0].length : 0;
  };
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') {
      i += 2;
    } else if (c === '[') {
      i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '(') {
      groups.push(false);
      i++;
      continue;
    } else if (c === ')') {
      const inner = groups.length > 1 ? groups.pop()! : false;
      i++;
      if (unboundedAt(i) > 0 && inner) return true;
      if (inner || unboundedAt(i) > 0) groups[groups.length - 1] = true;
      continue;
    } else {
      i++;
    }
    if (unboundedAt(i) > 0) groups[groups.length - 1] = true;
  }
  return false;
}
