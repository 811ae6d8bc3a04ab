import * as fs from 'node:fs';
import * as path from 'node:path';
import { type HeldLock, type LockOwner, tryLock } from './lockFile';

/** The file a store will write, with its lock; or the file it may only read. */
export type Claim = { kind: 'owned'; file: string; lock: HeldLock; notice?: string } | { kind: 'readonly'; file: string; notice: string };

// Fallback names tried after the main file: history-<pid>.sqlite, history-<pid>-2.sqlite, ...
const MAX_FALLBACKS = 20;

/**
 * Locks `<dir>/<fileName>`; if another live host holds it, locks this process's own fallback file
 * in the same directory instead (with a notice saying so). If the directory can't be written,
 * the claim is read-only (history in memory for this session).
 */
export function claimFile(dir: string, fileName: string): Claim {
  const primary = path.join(dir, fileName);
  try {
    fs.mkdirSync(dir, { recursive: true });
    const attempt = tryLock(lockPathOf(primary));
    if ('held' in attempt) return { kind: 'owned', file: primary, lock: attempt.held };
    const fallback = claimFallback(dir, fileName);
    if (fallback.kind === 'readonly') return fallback;
    return {
      ...fallback,
      notice:
        `History file ${primary} is in use by another Preview Host (${describeOwner(attempt.owner)}); ` +
        `this window keeps its history in ${fallback.file} instead.`,
    };
  } catch (error) {
    return readonlyClaim(primary, error);
  }
}

/** Locks this process's own file in `dir` (never the main one). */
export function claimFallback(dir: string, fileName: string): Claim {
  const primary = path.join(dir, fileName);
  try {
    for (let n = 1; n <= MAX_FALLBACKS; n++) {
      const file = path.join(dir, fallbackName(fileName, process.pid, n));
      const attempt = tryLock(lockPathOf(file));
      if ('held' in attempt) return { kind: 'owned', file, lock: attempt.held };
    }
    return {
      kind: 'readonly',
      file: primary,
      notice:
        `History files in ${dir} are all in use (${MAX_FALLBACKS} fallbacks tried); ` + 'history is kept in memory only for this session.',
    };
  } catch (error) {
    return readonlyClaim(primary, error);
  }
}

/** `<file>.lock` */
export function lockPathOf(file: string): string {
  return `${file}.lock`;
}

/** `history.sqlite` → `history-<pid>.sqlite`, `history-<pid>-<n>.sqlite` for n > 1. */
export function fallbackName(fileName: string, pid: number, n = 1): string {
  const ext = path.extname(fileName);
  const base = fileName.slice(0, fileName.length - ext.length);
  return `${base}-${pid}${n > 1 ? `-${n}` : ''}${ext}`;
}

/** Fallback files (of any process) present in `dir` for `fileName`. */
export function listFallbackFiles(dir: string, fileName: string): string[] {
  const ext = path.extname(fileName);
  const base = fileName.slice(0, fileName.length - ext.length);
  const pattern = new RegExp(`^${escapeRegExp(base)}-\\d+(?:-\\d+)?${escapeRegExp(ext)}$`);
  try {
    return fs
      .readdirSync(dir)
      .filter((name) => pattern.test(name))
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}

function readonlyClaim(file: string, error: unknown): Claim {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return {
    kind: 'readonly',
    file,
    notice: `History directory ${path.dirname(file)} is not writable (${code}); ` + 'history is kept in memory only for this session.',
  };
}

function describeOwner(owner: LockOwner | null): string {
  if (!owner) return 'its lock is being written';
  return `pid ${owner.pid}, since ${owner.since}${owner.unverified ? `; ${owner.unverified}` : ''}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
