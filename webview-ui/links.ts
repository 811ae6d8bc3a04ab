/**
 * Finds what is clickable in a line's plain text: http(s) URLs, `file:line[:col]` locations and
 * Python traceback `File "…", line N` locations. Pure: no DOM.
 */

export type Link = { kind: 'url'; url: string } | { kind: 'location'; file: string; line: number; column?: number };

/** `text.slice(start, end)` is the link's visible text. */
export interface LinkRange {
  start: number;
  end: number;
  link: Link;
}

const URL_RE = /\bhttps?:\/\/[^\s<>"'`\x00-\x1f]+/gi;
const PY_RE = /File "([^"<>\n]+)", line (\d+)/g;
// A path with an extension that starts with a letter (so `127.0.0.1:8000` and `12:30:45` are not
// locations), optionally `file://`, then `:line` and `:col`.
const LOC_RE =
  /(?:file:\/\/)?((?:[A-Za-z]:[\\/]|\.{0,2}\/|~\/)?(?:[\w@.+~-]+[\\/])*[\w@+~-][\w@.+~-]*\.[A-Za-z][\w]*):(\d+)(?::(\d+))?(?![\d.]*[\w/])/g;
// Hosts, not files.
const NOT_FILE_EXT = /\.(?:com|org|net|io|dev|app|local|localhost|internal|lan|home)$/i;

/** Every link in `text`, sorted, never overlapping (URLs win over locations). */
export function findLinks(text: string, opts: { locations: boolean } = { locations: true }): LinkRange[] {
  if (!text) return [];
  const ranges: LinkRange[] = [];
  if (text.includes('://')) {
    for (const m of text.matchAll(URL_RE)) {
      const url = trimUrl(m[0]);
      ranges.push({ start: m.index, end: m.index + url.length, link: { kind: 'url', url } });
    }
  }
  if (opts.locations) {
    if (text.includes('File "')) {
      for (const m of text.matchAll(PY_RE)) {
        const line = Number(m[2]);
        if (line >= 1) add(ranges, { start: m.index, end: m.index + m[0].length, link: { kind: 'location', file: m[1]!, line } });
      }
    }
    if (text.includes(':')) {
      for (const m of text.matchAll(LOC_RE)) {
        const file = m[1]!;
        const line = Number(m[2]);
        if (line < 1 || NOT_FILE_EXT.test(file)) continue;
        const column = m[3] ? Number(m[3]) : undefined;
        const link: Link = column && column >= 1 ? { kind: 'location', file, line, column } : { kind: 'location', file, line };
        add(ranges, { start: m.index, end: m.index + m[0].length, link });
      }
    }
  }
  return ranges.sort((a, b) => a.start - b.start);
}

function add(ranges: LinkRange[], r: LinkRange): void {
  if (!ranges.some((o) => r.start < o.end && o.start < r.end)) ranges.push(r);
}

/** Drops trailing punctuation that ends a sentence rather than the URL; keeps balanced `)`. */
export function trimUrl(url: string): string {
  let u = url;
  for (;;) {
    const last = u[u.length - 1];
    if (last && '.,;:!?\'"'.includes(last)) u = u.slice(0, -1);
    else if (last === ')' && count(u, '(') < count(u, ')')) u = u.slice(0, -1);
    else if (last === ']' && count(u, '[') < count(u, ']')) u = u.slice(0, -1);
    else if (last === '}' && count(u, '{') < count(u, '}')) u = u.slice(0, -1);
    else return u;
  }
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}
