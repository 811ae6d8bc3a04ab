/**
 * Redaction: the stage between a stream's line splitter and the ring. Secret shapes (rules.ts)
 * become `«redacted:<kind>»` before a line is levelled, kept or sent, so the stream, the ring,
 * history, exports, Problems and partial lines only ever see the masked text.
 */
import { compileExtraPattern, findExtraSecrets, RedactPatternError } from './extraPatterns';
import { applyMasks, findSecrets, visibleText, type SecretRange } from './mask';
import { stripAnsi } from '../../shared/ansi';
import { PRIVATE_KEY_BEGIN, PRIVATE_KEY_END, RULES, mayHoldSecret, type SecretRule } from './rules';

export { RedactPatternError } from './extraPatterns';
export { redactionMarker } from './mask';

/** `PreviewSpec.redact`: on by default. */
export interface RedactOptions {
  /** false: lines are kept exactly as printed. Default true. */
  enabled?: boolean;
  /** Extra regular expressions (JavaScript syntax, no slashes or flags): each match, or its first group, is masked. */
  patterns?: readonly string[];
}

/** A private key block whose END never comes stops masking after this many lines. */
export const MAX_KEY_BLOCK_LINES = 400;

/** One message per unusable pattern (naming it); the usable ones are returned too. */
export function checkRedactPatterns(patterns: readonly string[]): { usable: string[]; problems: string[] } {
  const usable: string[] = [];
  const problems: string[] = [];
  for (const p of patterns) {
    try {
      compileExtraPattern(p);
      usable.push(p);
    } catch (err) {
      if (!(err instanceof RedactPatternError)) throw err;
      problems.push(err.message);
    }
  }
  return { usable, problems };
}

/** Masks one stream's lines (see LineRedactor). */
export interface StreamRedactor {
  maskLines(texts: string[]): string[];
  maskPartial(text: string | undefined): string | undefined;
}

/** A preview's redaction settings, compiled once; each stream gets its own `LineRedactor`. */
export class Redaction {
  private readonly extra: SecretRule[];
  readonly enabled: boolean;

  /** Throws a RedactPatternError naming the first unusable extra pattern. */
  constructor(options: RedactOptions = {}) {
    this.enabled = options.enabled ?? true;
    this.extra = this.enabled ? (options.patterns ?? []).map(compileExtraPattern) : [];
  }

  /** A redactor for one stream (its private key block state is its own). */
  forStream(): StreamRedactor {
    return this.enabled ? new LineRedactor(this.extra) : PASS_THROUGH;
  }
}

/** Masks one stream's lines, in order: a private key block spans lines, so this keeps state. */
export class LineRedactor implements StreamRedactor {
  private keyBlockLines = -1; // -1: not inside a private key block

  constructor(private readonly extra: readonly SecretRule[]) {}

  /** Masks finished lines in place (and returns the array). */
  maskLines(texts: string[]): string[] {
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i];
      // The hot path: a line no rule could match is left alone after one cheap look.
      if (this.keyBlockLines < 0 && this.extra.length === 0 && !mayHold(text)) continue;
      texts[i] = this.mask(text, true);
    }
    return texts;
  }

  /** The unfinished line as it may be shown (a partial line): masked, without moving the block state. */
  maskPartial(text: string | undefined): string | undefined {
    return text === undefined ? undefined : this.mask(text, false);
  }

  private mask(text: string, finished: boolean): string {
    // OSC sequences (hyperlinks) are kept whole by the masking below: their URLs are masked here.
    if (text.includes('\x1b]')) text = text.replace(OSC, (seq) => maskPlain(seq, RULES));
    const hasEscapes = text.includes('\x1b') || text.includes('\x9b');
    const { plain, escapes } = hasEscapes ? visibleText(text) : { plain: text, escapes: undefined };
    const ranges: SecretRange[] = [];
    this.keyBlock(plain, ranges, finished);
    if (mayHoldSecret(plain)) findSecrets(plain, RULES, ranges);
    if (this.extra.length > 0) findExtraSecrets(plain, this.extra, ranges);
    return ranges.length === 0 ? text : applyMasks(text, ranges, escapes);
  }

  /** Masks a private key block's lines: after its BEGIN, every line until its END. */
  private keyBlock(plain: string, ranges: SecretRange[], finished: boolean): void {
    // keyBlockLines: lines masked so far in the block; a block past the cap is given up.
    const inBlock = this.keyBlockLines >= 0 && this.keyBlockLines < MAX_KEY_BLOCK_LINES;
    if (!inBlock && finished) this.keyBlockLines = -1;
    let from = 0;
    if (!inBlock) {
      const begin = plain.includes('-----BEGIN') ? PRIVATE_KEY_BEGIN.exec(plain) : null;
      if (!begin) return;
      from = begin.index + begin[0].length;
    }
    const end = plain.includes('-----END') ? PRIVATE_KEY_END.exec(plain.slice(from)) : null;
    const to = end ? from + end.index : plain.length;
    if (to > from && plain.slice(from, to).trim() !== '') ranges.push({ start: from, end: to, kind: 'private-key' });
    if (finished) this.keyBlockLines = end ? -1 : this.keyBlockLines + 1;
  }
}

/** Looks at the text as printed (OSC links keep their URL) and, with escapes, as shown (a secret cut by colours). */
function mayHold(text: string): boolean {
  return mayHoldSecret(text) || ((text.includes('\x1b') || text.includes('\x9b')) && mayHoldSecret(stripAnsi(text)));
}

const OSC = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g;

function maskPlain(text: string, rules: readonly SecretRule[]): string {
  const ranges: SecretRange[] = [];
  findSecrets(text, rules, ranges);
  return ranges.length === 0 ? text : applyMasks(text, ranges);
}

/** Redaction off: lines go through untouched. */
const PASS_THROUGH: StreamRedactor = { maskLines: (texts) => texts, maskPartial: (text) => text };
