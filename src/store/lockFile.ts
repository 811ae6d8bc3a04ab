import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { lookupProcessSync, type ProcessTools, systemProcessTools } from '../common/processInfo';
import { pidExists } from '../common/procStat';

/** What a lock file says about its owner. */
export interface LockOwner {
  pid: number;
  /** The owner's start time as the OS tells it (processInfo.ts), to tell a reused pid apart; null when it could not be read. */
  processStart: string | null;
  /** Unique per lock taken, so two stores in one process tell their locks apart. */
  token: string;
  /** ISO-8601 time the lock was taken. */
  since: string;
  /** Not in the file: set when the owner's pid is alive but we could not tell whether it is still the owner, and why. */
  unverified?: string;
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
export function tryLock(lockPath: string, tools: ProcessTools = systemProcessTools): LockAttempt {
  for (let attempt = 0; attempt < 3; attempt++) {
    const owner: LockOwner = {
      pid: process.pid,
      processStart: ownStart(tools),
      token: randomUUID(),
      since: new Date().toISOString(),
    };
    let fd: number;
    try {
      fd = fs.openSync(lockPath, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readOwner(lockPath);
      if (isOwnerAlive(current, lockPath, tools)) return { owner: current };
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

/** True unless the owner is surely gone; when unsure, says why in `owner.unverified`. */
function isOwnerAlive(owner: LockOwner | null, lockPath: string, tools: ProcessTools): boolean {
  if (!owner) {
    try {
      return Date.now() - fs.statSync(lockPath).mtimeMs < UNREADABLE_GRACE_MS;
    } catch {
      return false; // gone meanwhile
    }
  }
  if (!pidExists(owner.pid)) return false;
  if (owner.processStart === null) {
    owner.unverified = 'the lock does not say when its owner started, so a reused pid cannot be ruled out';
    return true;
  }
  const now = lookupProcessSync(owner.pid, tools);
  if ('gone' in now) return false;
  if ('found' in now) return now.found.start === owner.processStart;
  owner.unverified = `could not read the start time of pid ${owner.pid}: ${now.error}`;
  return true;
}

/** The start time of `pid` as processInfo.ts reads it (ticks since boot on Linux, ISO time elsewhere); null when unknown. */
export function processStartOf(pid: number, tools: ProcessTools = systemProcessTools): string | null {
  const lookup = lookupProcessSync(pid, tools);
  return 'found' in lookup ? lookup.found.start || null : null;
}

// Our own start never changes; on Windows each read is a PowerShell start, and one store may try 20 locks.
const ownStarts = new WeakMap<ProcessTools, string | null>();
function ownStart(tools: ProcessTools): string | null {
  if (!ownStarts.has(tools)) ownStarts.set(tools, processStartOf(process.pid, tools));
  return ownStarts.get(tools) ?? null;
}
