import { ANSI_ESCAPES } from '../../shared/ansi';
import type { SecretRule } from './rules';

/** A secret found in a line's visible text (ANSI escapes removed): [start, end) and what it is. */
export interface SecretRange {
  start: number;
  end: number;
  kind: string;
}

/** What replaces a secret: one marker, whatever the secret's length, so the length leaks nothing. */
export function redactionMarker(kind: string): string {
  return `«redacted:${kind}»`;
}

/** Adds to `out` what `rules` find in `text`. */
export function findSecrets(text: string, rules: readonly SecretRule[], out: SecretRange[], offset = 0): void {
  for (const rule of rules) {
    if (rule.hint && !rule.hint.test(text)) continue;
    const re = rule.re;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      if (m[0] === '') {
        re.lastIndex++; // a pattern that can match nothing must still move on
        continue;
      }
      const span = secretSpan(m, rule.groups);
      if (!span || span[0] === span[1]) continue;
      if (rule.accept && !rule.accept(text.slice(span[0], span[1]))) continue;
      const kind = typeof rule.kind === 'string' ? rule.kind : rule.kind(m);
      out.push({ start: span[0] + offset, end: span[1] + offset, kind });
    }
  }
}

function secretSpan(m: RegExpExecArray, groups: number[] | undefined): [number, number] | undefined {
  if (!groups) return m.indices?.[0];
  for (const g of groups) if (m[g] !== undefined) return m.indices?.[g];
  return undefined;
}

/** A line without its ANSI escapes, and where those were, for masking the visible text only. */
export interface VisibleText {
  plain: string;
  /** Each escape: its place in the original line and the visible index of the character after it. */
  escapes: { start: number; end: number; before: number }[];
}

export function visibleText(text: string): VisibleText {
  const escapes: VisibleText['escapes'] = [];
  let plain = '';
  let last = 0;
  for (const m of text.matchAll(ANSI_ESCAPES)) {
    plain += text.slice(last, m.index);
    escapes.push({ start: m.index, end: m.index + m[0].length, before: plain.length });
    last = m.index + m[0].length;
  }
  return { plain: plain + text.slice(last), escapes };
}

/**
 * `text` with each range (in its visible text) replaced by a marker. ANSI escapes are never cut:
 * those before or after a secret stay where they were, those inside it follow its marker, so the
 * colours around a secret are unchanged.
 */
export function applyMasks(text: string, ranges: SecretRange[], escapes: VisibleText['escapes'] = []): string {
  let out = '';
  let from = 0; // next original index to copy
  let shift = 0; // length of the escapes passed so far: original index = visible index + shift
  let e = 0;
  for (const r of mergeRanges(ranges)) {
    while (e < escapes.length && escapes[e].before <= r.start) shift += escapes[e].end - escapes[e++].start;
    out += text.slice(from, r.start + shift) + redactionMarker(r.kind);
    while (e < escapes.length && escapes[e].before < r.end) {
      out += text.slice(escapes[e].start, escapes[e].end);
      shift += escapes[e].end - escapes[e++].start;
    }
    from = r.end + shift;
  }
  return out + text.slice(from);
}

/** Sorted, overlaps joined (the first range's kind names the whole). */
function mergeRanges(ranges: SecretRange[]): SecretRange[] {
  if (ranges.length < 2) return ranges;
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged = [{ ...sorted[0] }];
  for (let i = 1; i < sorted.length; i++) {
    const last = merged[merged.length - 1];
    if (sorted[i].start < last.end) last.end = Math.max(last.end, sorted[i].end);
    else merged.push({ ...sorted[i] });
  }
  return merged;
}
