import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { pidExists, readProcStat } from '../common/procStat';

/** What a lock file says about its owner. */
export interface LockOwner {
  pid: number;
  /** The owner's start time as the OS counts it (Linux /proc), to tell a reused pid apart; null elsewhere. */
  processStart: string | null;
  /** Unique per lock taken, so two stores in one process tell their locks apart. */
  token: string;
  /** ISO-8601 time the lock was taken. */
  since: string;
}

/** The result of `tryLock`: the lock, or who holds it (null when the file is being written right now). */
export type LockAttempt = { held: HeldLock } | { owner: LockOwner | null };

// An unreadable lock younger than this is someone writing it right now, not a stale one.
const UNREADABLE_GRACE_MS = 10_000;

/** A lock file this store owns. */
export class HeldLock {
  private released = false;

  constructor(
    readonly path: string,
    readonly owner: LockOwner,
  ) {}

  /** False when someone deleted or took over the file (a stale-lock race, a user cleaning up). */
  isStillOurs(): boolean {
    if (this.released) return false;
    return readOwner(this.path)?.token === this.owner.token;
  }

  /** Deletes the lock file if it is still ours; safe to call twice. */
  release(): void {
    if (this.released) return;
    if (this.isStillOurs()) fs.rmSync(this.path, { force: true });
    this.released = true;
  }
}

/**
 * Takes `lockPath` (created with O_EXCL) or reports its live owner. A lock whose owner is dead (no
 * such pid, or the pid now belongs to a later process) is stale and taken over. Throws only for
 * I/O errors such as EACCES or EROFS.
 */
export function tryLock(lockPath: string): LockAttempt {
  for (let attempt = 0; attempt < 3; attempt++) {
    const owner: LockOwner = {
      pid: process.pid,
      processStart: processStartOf(process.pid),
      token: randomUUID(),
      since: new Date().toISOString(),
    };
    let fd: number;
    try {
      fd = fs.openSync(lockPath, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readOwner(lockPath);
      if (isOwnerAlive(current, lockPath)) return { owner: current };
      fs.rmSync(lockPath, { force: true });
      continue;
    }
    try {
      fs.writeSync(fd, JSON.stringify(owner));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // Two takers of one stale lock can both get here; the one whose token is in the file wins.
    if (readOwner(lockPath)?.token === owner.token) return { held: new HeldLock(lockPath, owner) };
  }
  return { owner: readOwner(lockPath) };
}

/** The owner written in a lock file, or null when it is missing or not a lock we wrote. */
export function readOwner(lockPath: string): LockOwner | null {
  try {
    const value = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as Partial<LockOwner>;
    if (!Number.isSafeInteger(value.pid) || (value.pid as number) <= 0 || typeof value.token !== 'string') {
      return null;
    }
    return {
      pid: value.pid as number,
      processStart: typeof value.processStart === 'string' ? value.processStart : null,
      token: value.token,
      since: typeof value.since === 'string' ? value.since : '',
    };
  } catch {
    return null;
  }
}

function isOwnerAlive(owner: LockOwner | null, lockPath: string): boolean {
  if (!owner) {
    try {
      return Date.now() - fs.statSync(lockPath).mtimeMs < UNREADABLE_GRACE_MS;
    } catch {
      return false; // gone meanwhile
    }
  }
  if (!pidExists(owner.pid)) return false;
  const start = processStartOf(owner.pid);
  return owner.processStart === null || start === null || start === owner.processStart;
}

/** The start time of `pid` (/proc/<pid>/stat, clock ticks since boot); null off Linux. */
export function processStartOf(pid: number): string | null {
  return readProcStat(pid)?.startTime || null;
}
