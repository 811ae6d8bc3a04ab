// Stops a server's whole process tree, including what the tests started and left behind. A group
// kill is not enough: a dev server started with `detached: true` has its own group, and once the
// extension host exits (it does, right after the tests end) its children are re-parented to init
// and no longer look like ours. So the tree is watched while it runs. Linux: reads /proc.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * @typedef {object} ProcessInfo
 * @property {number} pid
 * @property {number} ppid
 * @property {number} pgid
 * @property {string} startTime in clock ticks since boot: tells a pid's reuse apart
 * @property {string} command
 */

/**
 * @param {string} pid
 * @param {boolean} [withCommand] reading the command line is the costly part: only for our tree
 * @returns {ProcessInfo | undefined} undefined when gone or a zombie
 */
function readProcess(pid, withCommand = true) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined;
    const command = withCommand ? readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() : '';
    return { pid: Number(pid), ppid: Number(fields[1]), pgid: Number(fields[2]), startTime: fields[19], command };
  } catch {
    return undefined;
  }
}

/** @param {ProcessInfo} p */
function isStillRunning(p) {
  return readProcess(String(p.pid), false)?.startTime === p.startTime;
}

/** @param {number} pid @param {NodeJS.Signals} signal */
function signal(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Watches the tree under `leaderPid` (a process spawned with `detached: true`) until stop().
 * @param {number} leaderPid
 * @param {{ intervalMs?: number }} [options]
 */
export function watchTree(leaderPid, { intervalMs = 250 } = {}) {
  /** Every descendant seen, by pid:startTime; `fromTests` when it descends from an extension host. */
  const seen = /** @type {Map<string, ProcessInfo & { fromTests: boolean }>} */ (new Map());

  const scan = () => {
    /** @type {Map<number, ProcessInfo>} */
    const all = new Map();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const p = readProcess(entry, false);
      if (p) all.set(p.pid, p);
    }
    /** @type {Map<number, number[]>} */
    const children = new Map();
    for (const p of all.values()) {
      const list = children.get(p.ppid);
      if (list) list.push(p.pid);
      else children.set(p.ppid, [p.pid]);
    }
    // Walk down from the leader; below an extension host, everything is the tests' doing.
    const stack = (children.get(leaderPid) ?? []).map((pid) => ({ pid, fromTests: false }));
    for (let item = stack.pop(); item; item = stack.pop()) {
      const p = /** @type {ProcessInfo} */ (all.get(item.pid));
      const key = `${p.pid}:${p.startTime}`;
      const known = seen.get(key);
      const info = known ?? { ...p, command: readProcess(String(p.pid))?.command ?? '', fromTests: item.fromTests };
      info.fromTests ||= item.fromTests;
      seen.set(key, info);
      const below = item.fromTests || info.command.includes('--type=extensionHost');
      for (const pid of children.get(p.pid) ?? []) stack.push({ pid, fromTests: below });
    }
  };
  scan();
  const timer = setInterval(scan, intervalMs);
  timer.unref();

  return {
    /**
     * Waits until the extension hosts running now have exited (after the tests they exit by
     * themselves, and a preview left running must die with them); false after `timeoutMs`.
     * @param {number} timeoutMs
     * @returns {Promise<boolean>}
     */
    async extensionHostsExited(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      scan();
      const hosts = [...seen.values()].filter((p) => p.command.includes('--type=extensionHost') && isStillRunning(p));
      while (hosts.some(isStillRunning)) {
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 100));
      }
      scan();
      return true;
    },
    /**
     * SIGTERM the group, every descendant seen that still runs and their groups; SIGKILL what is
     * left after `graceMs`. Resolves with the processes the tests had started and left running.
     * @param {{ graceMs?: number }} [options]
     * @returns {Promise<ProcessInfo[]>}
     */
    async stop({ graceMs = 3000 } = {}) {
      clearInterval(timer);
      scan();
      // VS Code's own language servers (`--clientProcessId=<extension host>`, e.g. the JSON one a
      // workspace with package.json wakes) poll their client and exit a few seconds after it: that
      // is not a preview outliving the window, so give them that time before judging.
      const orphanedServer = (/** @type {ProcessInfo} */ p) => {
        const client = /--clientProcessId=(\d+)/.exec(p.command)?.[1];
        return client !== undefined && !isAlive(Number(client)) && isStillRunning(p);
      };
      const patience = Date.now() + 5000;
      while (Date.now() < patience && [...seen.values()].some(orphanedServer)) await new Promise((r) => setTimeout(r, 100));
      const running = [...seen.values()].filter(isStillRunning);
      const strays = running.filter((p) => p.fromTests && !p.command.includes('--type=extensionHost'));
      signal(-leaderPid, 'SIGTERM');
      for (const p of running) {
        if (p.pgid !== leaderPid && p.pgid === p.pid) signal(-p.pgid, 'SIGTERM'); // a group it leads
        signal(p.pid, 'SIGTERM');
      }
      const deadline = Date.now() + graceMs;
      const alive = () => isAlive(leaderPid) || running.some(isStillRunning);
      while (Date.now() < deadline && alive()) await new Promise((r) => setTimeout(r, 50));
      signal(-leaderPid, 'SIGKILL');
      for (const p of running) if (isStillRunning(p)) signal(p.pid, 'SIGKILL');
      return strays.map(({ fromTests, ...p }) => p);
    },
  };
}

/** @param {number} pid */
function isAlive(pid) {
  return readProcess(String(pid), false) !== undefined;
}
