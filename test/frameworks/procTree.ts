// Linux /proc helpers: a process tree as it is now, and whether its members are still alive
// (the same pid with the same start time, and not a zombie).
import fs from 'node:fs';

export interface ProcInfo {
  pid: number;
  ppid: number;
  /** Clock ticks since boot; tells a reused pid from the original. */
  startTime: string;
  cmdline: string;
}

function readStat(pid: number): { ppid: number; state: string; startTime: string } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
    // utime stime cutime cstime priority nice num_threads itrealvalue starttime …
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0], ppid: Number(rest[1]), startTime: rest[19] };
  } catch {
    return undefined;
  }
}

function readCmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '?';
  }
}

function allPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
}

/** `root` and every descendant of it, found through the ppid links in /proc/<pid>/stat. */
export function processTree(root: number): ProcInfo[] {
  const children = new Map<number, number[]>();
  const info = new Map<number, ProcInfo>();
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (!stat || stat.state === 'Z') continue;
    info.set(pid, { pid, ppid: stat.ppid, startTime: stat.startTime, cmdline: '' });
    const list = children.get(stat.ppid) ?? [];
    list.push(pid);
    children.set(stat.ppid, list);
  }
  const tree: ProcInfo[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    const p = info.get(pid);
    if (!p) continue;
    p.cmdline = readCmdline(pid);
    tree.push(p);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** True while that very process (pid and start time) exists and is not a zombie. */
export function isAlive(p: Pick<ProcInfo, 'pid' | 'startTime'>): boolean {
  const stat = readStat(p.pid);
  return !!stat && stat.state !== 'Z' && stat.startTime === p.startTime;
}

/**
 * Live processes (other than this one) started with `NAME=<value>` in their environment, where
 * the value starts with `valuePrefix`: every process a CLI run started inherits the mark, however
 * it got away from the tree (re-parented, its own session), and no one else's process has it.
 */
export function processesMarked(name: string, valuePrefix: string): ProcInfo[] {
  const needle = `${name}=${valuePrefix}`;
  const found: ProcInfo[] = [];
  for (const pid of allPids()) {
    if (pid === process.pid) continue;
    let environ: string;
    try {
      environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (!environ.split('\0').some((kv) => kv.startsWith(needle))) continue;
    const stat = readStat(pid);
    if (!stat || stat.state === 'Z') continue;
    found.push({ pid, ppid: stat.ppid, startTime: stat.startTime, cmdline: readCmdline(pid) });
  }
  return found;
}

export function describeProcs(procs: ProcInfo[]): string {
  return procs.length ? procs.map((p) => `  ${p.pid} (parent ${p.ppid}): ${p.cmdline}`).join('\n') : '  (none)';
}
