/**
 * Finds what is clickable in a line's plain text: http(s) URLs, `file:line[:col]` locations and
 * Python traceback `File "…", line N` locations, with POSIX and Windows paths. Pure: no DOM.
 */
import { fileUrlToPath, normalizeLogPath } from '../src/shared/logPaths';

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
// Windows roots: `\\?\UNC\`, `\\?\C:\`, `C:\` or `C:/`, `\\server`. Windows paths hold no `:` past
// the drive, so a folder name may hold spaces (`C:\Users\Dev User\My App\main.py:12`).
const WIN_ROOT = String.raw`(?:\\\\\?\\(?:UNC\\|[A-Za-z]:\\)|[A-Za-z]:[\\/]|\\\\(?=\w))`;
const WIN_DIR = String.raw`[^\\/:*?"<>|\r\n]+[\\/]`;
const WIN_LOC_RE = new RegExp(
  String.raw`(?<![\w\\])(${WIN_ROOT}(?:${WIN_DIR})*[\w@+~-][\w@.+~-]*\.[A-Za-z]\w*):(\d+)(?::(\d+))?(?![\d.]*[\w/])`,
  'g',
);
// A Node stack frame at a Windows path: the whole path, spaces and all, up to `:line:col`.
const WIN_FRAME_RE = new RegExp(String.raw`\bat (?:\S.*? \()?(${WIN_ROOT}[^:*?"<>|\r\n]*?):(\d+):(\d+)\)?\s*$`, 'g');
// `file:///C:/Users/Dev%20User/x.mjs:4:7` (Node's ES module frames): no spaces, so up to `:line`.
const FILE_URL_RE = /\b(file:\/\/[^\s"'`<>()]+?):(\d+)(?::(\d+))?(?![\d.]*[\w/])/gi;
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
        const file = normalizeLogPath(m[1]!);
        if (line >= 1) add(ranges, { start: m.index, end: m.index + m[0].length, link: { kind: 'location', file, line } });
      }
    }
    if (text.includes(':')) {
      for (const m of text.matchAll(WIN_FRAME_RE)) {
        const visible = `${m[1]!}:${m[2]!}:${m[3]!}`;
        const start = m.index + m[0].lastIndexOf(visible);
        addLocation(ranges, start, visible, normalizeLogPath(m[1]!), m[2]!, m[3]);
      }
      if (/file:\/\//i.test(text)) {
        for (const m of text.matchAll(FILE_URL_RE)) addLocation(ranges, m.index, m[0], fileUrlToPath(m[1]!), m[2]!, m[3]);
      }
      for (const re of [WIN_LOC_RE, LOC_RE]) {
        for (const m of text.matchAll(re)) addLocation(ranges, m.index, m[0], normalizeLogPath(m[1]!), m[2]!, m[3]);
      }
    }
  }
  return ranges.sort((a, b) => a.start - b.start);
}

function addLocation(ranges: LinkRange[], start: number, visible: string, file: string, lineText: string, columnText?: string): void {
  const line = Number(lineText);
  if (line < 1 || NOT_FILE_EXT.test(file)) return;
  const column = columnText ? Number(columnText) : undefined;
  const link: Link = column && column >= 1 ? { kind: 'location', file, line, column } : { kind: 'location', file, line };
  add(ranges, { start, end: start + visible.length, link });
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
