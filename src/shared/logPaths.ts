/**
 * File paths as logs print them, made comparable: `file://` URLs decoded, Windows `\\?\` prefixes
 * stripped, drive letters upper-cased. Browser-safe (the webview uses it), so no `node:path`.
 */

const FILE_URL = /^file:\/\//i;
// `\\?\C:\…` and `\\?\UNC\server\share\…`: Win32 long-path prefixes, not part of the path.
const LONG_UNC_PREFIX = /^\\\\\?\\UNC\\/i;
const LONG_PREFIX = /^\\\\\?\\/;
const DRIVE = /^([A-Za-z]):(?=[\\/]|$)/;

/** The path a log line means: `file:///C:/a%20b/x.mjs` → `C:\a b\x.mjs`, `\\?\C:\x.py` → `C:\x.py`. */
export function normalizeLogPath(raw: string): string {
  let p = FILE_URL.test(raw) ? fileUrlToPath(raw) : raw;
  if (LONG_UNC_PREFIX.test(p)) p = '\\\\' + p.slice(8);
  else if (LONG_PREFIX.test(p)) p = p.slice(4);
  // One spelling per file, so `c:\` and `C:\` frames land on the same Problems entry.
  return p.replace(DRIVE, (_m, letter: string) => `${letter.toUpperCase()}:`);
}

/** Absolute on Windows: a drive (`C:\`, `C:/`) or a UNC share (`\\server\share`). */
export function isWindowsAbsolute(p: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(p) || /^\\\\[^\\?]/.test(p);
}

/**
 * What Node's `fileURLToPath` gives on the OS that wrote the URL: a drive or host means Windows
 * (`file:///C:/x` → `C:\x`, `file://server/share/x` → `\\server\share\x`), else POSIX.
 */
export function fileUrlToPath(url: string): string {
  const rest = url.replace(FILE_URL, '');
  const slash = rest.indexOf('/');
  const host = slash < 0 ? rest : rest.slice(0, slash);
  const pathname = decode(slash < 0 ? '/' : rest.slice(slash));
  if (host !== '' && host.toLowerCase() !== 'localhost') return `\\\\${host}${pathname.replace(/\//g, '\\')}`;
  if (/^\/[A-Za-z]:(?:\/|$)/.test(pathname)) return pathname.slice(1).replace(/\//g, '\\');
  return pathname;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // a stray `%` in a log line: keep the text as written
  }
}
