/**
 * What one row shows, as data: styled runs split where links and search matches begin and end.
 * The DOM layer turns each piece into a span/anchor with `textContent`. Pure: no DOM.
 */
import { ansiToRuns, type StyledRun } from './ansi';
import { findLinks, type Link } from './links';

export interface Piece extends StyledRun {
  link?: Link;
  /** Part of a search match. */
  match?: boolean;
}

export interface PieceOptions {
  /** Detect `file:line` locations (only useful where something can open them). */
  locations: boolean;
  /** Lower-cased search query to highlight, or ''. */
  query?: string;
  /** Cut the text after this many characters (a 64 KiB line would cost layout on every frame). */
  maxChars?: number;
}

export const DEFAULT_MAX_CHARS = 4_000;

/** Styled, linked, highlighted pieces of one line's raw text (ANSI escapes kept). */
export function buildPieces(text: string, opts: PieceOptions): { pieces: Piece[]; truncated: number } {
  let runs = ansiToRuns(text);
  let plain = runs.map((r) => r.text).join('');
  let truncated = 0;
  const max = opts.maxChars ?? DEFAULT_MAX_CHARS;
  if (plain.length > max) {
    truncated = plain.length - max;
    runs = cutRuns(runs, max);
    plain = plain.slice(0, max);
  }
  const links = findLinks(plain, { locations: opts.locations });
  const matches = opts.query ? findMatches(plain, opts.query) : [];
  if (links.length === 0 && matches.length === 0) return { pieces: runs, truncated };

  // Every position where a run, link or match starts or ends.
  const cuts = new Set<number>([0, plain.length]);
  let pos = 0;
  for (const r of runs) cuts.add((pos += r.text.length));
  for (const l of links) cuts.add(l.start).add(l.end);
  for (const m of matches) cuts.add(m[0]).add(m[1]);
  const points = [...cuts].sort((a, b) => a - b);

  const pieces: Piece[] = [];
  let runIndex = 0;
  let runStart = 0;
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    while (runStart + runs[runIndex]!.text.length <= a) runStart += runs[runIndex++]!.text.length;
    const run = runs[runIndex]!;
    const piece: Piece = { ...run, text: plain.slice(a, b) };
    const link = links.find((l) => l.start <= a && b <= l.end);
    if (link) piece.link = link.link;
    if (matches.some(([s, e]) => s <= a && b <= e)) piece.match = true;
    pieces.push(piece);
  }
  return { pieces, truncated };
}

/** [start, end) of each case-insensitive occurrence of `lowerQuery`. */
export function findMatches(text: string, lowerQuery: string): [number, number][] {
  if (!lowerQuery) return [];
  const lower = text.toLowerCase();
  // toLowerCase can change lengths (e.g. 'İ'); highlight only when positions still line up.
  if (lower.length !== text.length) return [];
  const out: [number, number][] = [];
  for (let i = lower.indexOf(lowerQuery); i >= 0; i = lower.indexOf(lowerQuery, i + lowerQuery.length)) {
    out.push([i, i + lowerQuery.length]);
  }
  return out;
}

function cutRuns(runs: StyledRun[], max: number): StyledRun[] {
  const out: StyledRun[] = [];
  let left = max;
  for (const r of runs) {
    if (left <= 0) break;
    out.push(r.text.length <= left ? r : { ...r, text: r.text.slice(0, left) });
    left -= r.text.length;
  }
  return out;
}
