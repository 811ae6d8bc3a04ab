// Stopping a whole process tree, per OS. POSIX: the child leads its own process group, so one
// signal to -pgid reaches every descendant. Windows has no groups or negative pids: taskkill /T
// walks the tree from the child's pid instead.
import { spawn as nodeSpawn, spawnSync as nodeSpawnSync } from 'node:child_process';
import { groupMembers as procGroupMembers } from './procStat';

/** How a runner stops the tree rooted at its direct child (pid = process group id on POSIX). */
export interface ProcessTree {
  /** Which stop this is, for logs and docs: 'process-group' or 'taskkill'. */
  readonly kind: 'process-group' | 'taskkill';
  /** Asks every process of the tree to end (SIGTERM to the group; taskkill /T). */
  terminate(pid: number): void;
  /** Ends the tree now (SIGKILL to the group; taskkill /T /F); `childRunning` allows signalling the child by pid too. */
  kill(pid: number, childRunning: boolean): void;
  /** The same as kill, finished before it returns: for process exit, where nothing can wait. True if it was delivered. */
  killSync(pid: number): boolean;
  /** Once the direct child exited: true while anything of its tree may still run. */
  alive(pid: number): boolean;
}

/** Side effects a ProcessTree uses, injected so tests on Linux can check the Windows path. */
export interface ProcessTreeOptions {
  platform?: NodeJS.Platform;
  /** Runs taskkill without waiting (Windows). */
  spawn?: (file: string, args: string[]) => { on(event: 'error', listener: (err: Error) => void): unknown };
  /** Runs taskkill and waits for it (Windows, exit time). */
  spawnSync?: (file: string, args: string[]) => { status: number | null; error?: Error };
  /** `process.kill` (POSIX). */
  signal?: (pid: number, signal: NodeJS.Signals | 0) => void;
  /** Live members of a process group; undefined where /proc is missing (macOS), then kill(-pgid, 0) decides alone. */
  groupMembers?: (pgid: number) => number[] | undefined;
}

/** The tree stop for `options.platform` (default: this process's platform). */
export function processTree(options: ProcessTreeOptions = {}): ProcessTree {
  const platform = options.platform ?? process.platform;
  return platform === 'win32' ? new TaskkillTree(options) : new ProcessGroupTree(platform, options);
}

class ProcessGroupTree implements ProcessTree {
  readonly kind = 'process-group';
  private readonly signal: (pid: number, signal: NodeJS.Signals | 0) => void;
  private readonly groupMembers: (pgid: number) => number[] | undefined;

  constructor(platform: NodeJS.Platform, options: ProcessTreeOptions) {
    this.signal = options.signal ?? ((pid, signal) => process.kill(pid, signal));
    this.groupMembers = options.groupMembers ?? (platform === 'linux' ? procGroupMembers : () => undefined);
  }

  terminate(pid: number): void {
    this.send(-pid, 'SIGTERM');
  }

  kill(pid: number, childRunning: boolean): void {
    this.send(-pid, 'SIGKILL');
    // In case the child moved itself out of its group; not once it exited, its pid may be reused.
    if (childRunning) this.send(pid, 'SIGKILL');
  }

  killSync(pid: number): boolean {
    return this.send(-pid, 'SIGKILL');
  }

  alive(pid: number): boolean {
    if (!this.exists(-pid)) return false;
    // kill(-pgid, 0) counts zombies, which PID 1 in a container may never reap; /proc tells them apart.
    return (this.groupMembers(pid)?.length ?? 1) > 0;
  }

  private send(pid: number, signal: NodeJS.Signals): boolean {
    try {
      this.signal(pid, signal);
      return true;
    } catch {
      // ESRCH: already gone. EPERM: not ours to signal; the runner's wait gives up in time.
      return false;
    }
  }

  /** kill(pid, 0): EPERM means it exists but belongs to someone else. */
  private exists(pid: number): boolean {
    try {
      this.signal(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
}

class TaskkillTree implements ProcessTree {
  readonly kind = 'taskkill';
  private readonly spawn: NonNullable<ProcessTreeOptions['spawn']>;
  private readonly spawnSync: NonNullable<ProcessTreeOptions['spawnSync']>;

  constructor(options: ProcessTreeOptions) {
    this.spawn = options.spawn ?? ((file, args) => nodeSpawn(file, args, { stdio: 'ignore', windowsHide: true }));
    this.spawnSync = options.spawnSync ?? ((file, args) => nodeSpawnSync(file, args, { stdio: 'ignore', windowsHide: true }));
  }

  terminate(pid: number): void {
    // Without /F taskkill asks politely (WM_CLOSE); console servers often refuse, the forced kill follows.
    this.run(['/pid', String(pid), '/T']);
  }

  kill(pid: number): void {
    this.run(['/pid', String(pid), '/T', '/F']);
  }

  killSync(pid: number): boolean {
    const result = this.spawnSync('taskkill', ['/pid', String(pid), '/T', '/F']);
    return !result.error && result.status === 0;
  }

  alive(): boolean {
    // Windows cannot list a tree whose root is gone (taskkill /T starts from a live pid): the child's exit is all we see.
    return false;
  }

  private run(args: string[]): void {
    try {
      this.spawn('taskkill', args).on('error', () => {
        // taskkill missing or not allowed: nothing more to try; the runner's wait gives up in time.
      });
    } catch {
      // As above, thrown synchronously.
    }
  }
}
