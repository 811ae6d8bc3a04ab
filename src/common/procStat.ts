// Processes as the OS shows them: `/proc/<pid>/stat` parsing (Linux only; elsewhere the readers
// return undefined and callers fall back to what `process.kill(pid, 0)` can tell). Who a pid is on
// macOS and Windows (start time, command line): processInfo.ts.
import * as fs from 'node:fs';

/** The fields of /proc/<pid>/stat this project reads. */
export interface ProcStat {
  /** R, S, D, T …; Z is a zombie, X dead. */
  state: string;
  ppid: number;
  /** Process group id. */
  pgid: number;
  /** Field 22: start time in clock ticks since boot; tells a reused pid from the original. */
  startTime: string;
}

/** Parses the text of /proc/<pid>/stat: "pid (comm) state ppid pgrp … starttime …". */
export function parseProcStat(text: string): ProcStat {
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], ppid: Number(fields[1]), pgid: Number(fields[2]), startTime: fields[19] ?? '' };
}

/** /proc/<pid>/stat parsed; undefined when the process is gone or there is no /proc. */
export function readProcStat(pid: number | string): ProcStat | undefined {
  try {
    return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** False for a zombie (exited, not yet reaped) or a dead process: it runs no more. */
export function isLiveState(stat: ProcStat): boolean {
  return stat.state !== 'Z' && stat.state !== 'X';
}

/** Every pid in /proc; undefined when /proc can't be read (not Linux). */
export function listPids(): number[] | undefined {
  try {
    return fs
      .readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return undefined;
  }
}

/** The live (non-zombie) members of process group `pgid`; undefined when /proc can't be read. */
export function groupMembers(pgid: number): number[] | undefined {
  return listPids()?.filter((pid) => {
    const stat = readProcStat(pid); // undefined: exited while we looked
    return stat !== undefined && stat.pgid === pgid && isLiveState(stat);
  });
}

/**
 * True while a process (or, for a negative pid, a process group) with this id exists, by
 * `kill(pid, 0)`: EPERM means it exists but belongs to someone else. Any OS; a zombie counts.
 */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while `pid` exists and, where /proc tells (Linux), is not a zombie. */
export function isRunning(pid: number): boolean {
  if (!pidExists(pid)) return false;
  const stat = readProcStat(pid);
  return stat === undefined || isLiveState(stat);
}
