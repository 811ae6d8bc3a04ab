import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import type { Clock } from '../common/clock';
import { Emitter, type Disposable, type Event } from './disposable';
import { spawnCommand } from './spawnCommand';
import { processTree, type ProcessTree } from '../common/treeKill';

/** How the direct child ended; both fields are null when it never started. */
export interface ExitInfo {
  exitCode: number | null;
  signal: string | null;
}

/** What the runner asks a SpawnFn to start. */
export interface SpawnRequest {
  file: string;
  args: string[];
  cwd: string;
  /** Added on top of process.env. */
  env: Record<string, string> | undefined;
}

/**
 * Starts `request` (POSIX: detached, its own process group), stdin an open pipe, stdout/stderr piped as
 * raw bytes. Async so a test's fake may take its time; a synchronous throw still ends in onError.
 */
export type SpawnFn = (request: SpawnRequest) => Promise<{ child: ChildProcess }>;

/** Options for ChildProcessRunner. */
export interface ChildProcessRunnerOptions {
  /** Program then arguments; no shell is involved (pass `['sh', '-c', '...']` for one). */
  command: readonly string[];
  cwd: string;
  env?: Record<string, string>;
  /** How long stop() waits after SIGTERM before SIGKILL; default 5000. */
  graceMs?: number;
  spawn?: SpawnFn;
  /** How stop() reaches the whole tree; default: the process group (POSIX) or taskkill /T (Windows). */
  processTree?: ProcessTree;
  /** Drives the SIGKILL escalation and the waits after it; default: real, ref'd timers (see DEFAULT_CLOCK). */
  clock?: Clock;
}

const DEFAULT_GRACE_MS = 5000;
const POLL_MS = 25;
// After SIGKILL the kernel needs a moment; past this we stop waiting rather than hang shutdown.
const AFTER_KILL_WAIT_MS = 2000;
// Pipes still open once the group is gone belong to processes that left the group; don't wait on them long.
const PIPE_DRAIN_MS = 1000;
// Ref'd timers, unlike systemClock's: an unawaited dispose() at shutdown must still escalate to SIGKILL.
const DEFAULT_CLOCK: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The default SpawnFn (spawnCommand.ts: cross-spawn, detached on POSIX); rejects when the spawn fails (ENOENT, EACCES). */
export const defaultSpawn: SpawnFn = async (request) => {
  const child = spawnCommand(request);
  // Node reports a failed spawn as 'error' on the next tick, before our caller could listen.
  await new Promise<void>((resolve, reject) => {
    const settle = (err?: Error): void => {
      child.off('spawn', settle);
      child.off('error', settle);
      if (err) reject(err);
      else resolve();
    };
    child.on('spawn', settle);
    child.on('error', settle);
  });
  return { child };
};

/** Owns one dev-server process tree: starts it, streams its output, and stops the whole group. */
export class ChildProcessRunner implements Disposable {
  private readonly stdoutEmitter = new Emitter<Buffer>();
  private readonly stderrEmitter = new Emitter<Buffer>();
  private readonly exitEmitter = new Emitter<ExitInfo>();
  private readonly errorEmitter = new Emitter<Error>();

  /** Raw stdout chunks as they arrive. */
  readonly onStdout: Event<Buffer> = this.stdoutEmitter.event;
  /** Raw stderr chunks as they arrive. */
  readonly onStderr: Event<Buffer> = this.stderrEmitter.event;
  /** Fires once, after the direct child exited and stdout/stderr ended; also (all null) after a start failure. */
  readonly onExit: Event<ExitInfo> = this.exitEmitter.event;
  /** Failure to start (command not found, not executable, bad cwd); at most once, just before onExit. */
  readonly onError: Event<Error> = this.errorEmitter.event;
  /** Resolves with what onExit reports. */
  readonly exited: Promise<ExitInfo>;

  private readonly command: readonly string[];
  private readonly cwd: string;
  private readonly env: Record<string, string> | undefined;
  private readonly graceMs: number;
  private readonly spawnFn: SpawnFn;
  private readonly clock: Clock;
  private readonly tree: ProcessTree;

  private resolveExited!: (info: ExitInfo) => void;
  private started = false;
  private disposed = false;
  private spawning: Promise<void> | undefined;
  private child: ChildProcess | undefined;
  private childPid: number | undefined;
  private childExit: ExitInfo | undefined;
  private finished = false;
  private groupGone = false;
  private stopping: Promise<void> | undefined;

  constructor(options: ChildProcessRunnerOptions) {
    const { command, graceMs = DEFAULT_GRACE_MS } = options;
    if (command.length === 0 || typeof command[0] !== 'string' || command[0] === '') {
      throw new Error(`invalid command: ${JSON.stringify(command)} (expected the program, then its arguments)`);
    }
    if (!Number.isFinite(graceMs) || graceMs < 0) {
      throw new Error(`invalid graceMs: ${graceMs} (expected a number >= 0)`);
    }
    this.command = [...command];
    this.cwd = options.cwd;
    this.env = options.env;
    this.graceMs = graceMs;
    this.spawnFn = options.spawn ?? defaultSpawn;
    this.clock = options.clock ?? DEFAULT_CLOCK;
    this.tree = options.processTree ?? processTree();
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
  }

  /** Process id of the direct child (also its process group id); undefined before spawn or on failure. */
  get pid(): number | undefined {
    return this.childPid;
  }

  /** Resolves once the spawn has happened or failed (pid known, or onError fired). */
  get spawned(): Promise<void> {
    return this.spawning ?? Promise.resolve();
  }

  /** Starts the command; start failures arrive as onError then onExit, never as a throw (misuse does throw). */
  start(): void {
    if (this.disposed || this.stopping) throw new Error(`cannot start ${this.describe()}: runner already stopped`);
    if (this.started) throw new Error(`cannot start ${this.describe()}: already started`);
    this.started = true;
    const problem = checkDirectory(this.cwd);
    if (problem) {
      // Async like spawn failures, so callers see one ordering whatever went wrong.
      this.spawning = Promise.resolve().then(() => this.failToStart(problem));
      return;
    }
    const [file, ...args] = this.command;
    // Through a promise executor so a spawn function that throws synchronously still ends in onError.
    const spawned = new Promise<{ child: ChildProcess }>((resolve) => resolve(this.spawnFn({ file, args, cwd: this.cwd, env: this.env })));
    this.spawning = spawned.then(
      ({ child }) => this.attach(child),
      (err: unknown) => this.failToStart(describeSpawnError(err, file, this.cwd)),
    );
  }

  /**
   * SIGTERM to the whole process group (Windows: taskkill /T), SIGKILL (taskkill /T /F) after graceMs; resolves once the direct child and
   * every process in its group are gone. The same promise for every call.
   */
  stop(): Promise<void> {
    this.stopping ??= this.terminate().catch(() => undefined);
    return this.stopping;
  }

  /**
   * Stops reading the child's output for now (its pipe fills and it waits, as behind a terminal);
   * the reader uses this to yield the event loop during a flood.
   */
  pauseOutput(): void {
    this.child?.stdout?.pause();
    this.child?.stderr?.pause();
  }

  resumeOutput(): void {
    this.child?.stdout?.resume();
    this.child?.stderr?.resume();
  }

  /** Stops without waiting; SIGTERM goes out now and SIGKILL follows after the grace period regardless. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.stop().then(() => {
      this.stdoutEmitter.dispose();
      this.stderrEmitter.dispose();
      this.exitEmitter.dispose();
      this.errorEmitter.dispose();
    });
  }

  private attach(child: ChildProcess): void {
    this.child = child;
    this.childPid = child.pid;
    child.stdout?.on('data', (chunk: Buffer) => this.stdoutEmitter.fire(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.stderrEmitter.fire(chunk));
    child.stdin?.on('error', () => {}); // nothing is written; a child that closed its end is no error of ours
    child.on('error', (err) => {
      // After a successful spawn 'error' only reports failed kill()/send(), which we never call.
      if (this.childPid === undefined) this.failToStart(describeSpawnError(err, this.command[0], this.cwd));
    });
    child.once('exit', (exitCode, signal) => {
      this.childExit = { exitCode, signal };
    });
    // 'close' comes after 'exit' and after both pipes closed, so no output can arrive after onExit.
    child.once('close', (exitCode: number | null, signal: NodeJS.Signals | null) => {
      this.finish(this.childExit ?? { exitCode, signal });
    });
  }

  private failToStart(error: Error): void {
    if (this.finished) return;
    this.errorEmitter.fire(error);
    this.finish({ exitCode: null, signal: null });
  }

  private finish(info: ExitInfo): void {
    if (this.finished) return;
    this.finished = true;
    this.child?.stdin?.destroy();
    this.childExit ??= info;
    this.resolveExited(info);
    this.exitEmitter.fire(info);
  }

  private async terminate(): Promise<void> {
    // Only wait for a spawn in flight: with a known child the signal must go out synchronously (dispose).
    if (!this.child && this.spawning) await this.spawning;
    const pid = this.childPid;
    if (pid === undefined) return;
    if (this.childExit && !this.tree.alive(pid)) {
      this.groupGone = true;
      return this.waitForPipes();
    }
    this.tree.terminate(pid);
    const killTimer = this.clock.setTimeout(() => {
      if (!this.groupGone) this.tree.kill(pid, !this.childExit);
    }, this.graceMs);
    try {
      await this.pollUntilGone(pid, this.graceMs + AFTER_KILL_WAIT_MS);
    } finally {
      this.clock.clearTimeout(killTimer);
    }
    await this.waitForPipes();
  }

  private pollUntilGone(pid: number, limitMs: number): Promise<void> {
    const deadline = this.clock.now() + limitMs;
    return new Promise((resolve) => {
      const check = (): void => {
        const gone = this.childExit !== undefined && !this.tree.alive(pid);
        if (gone) this.groupGone = true;
        if (gone || this.clock.now() >= deadline) resolve();
        else this.clock.setTimeout(check, POLL_MS);
      };
      check();
    });
  }

  private async waitForPipes(): Promise<void> {
    if (this.finished || !this.child) return;
    let timer: unknown;
    const drained = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((resolve) => (timer = this.clock.setTimeout(() => resolve(false), PIPE_DRAIN_MS))),
    ]);
    this.clock.clearTimeout(timer);
    if (drained || !this.childExit) return;
    // Someone outside the group still holds our pipes; drop them so 'close' (and onExit) can fire.
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    await this.exited;
  }

  private describe(): string {
    return JSON.stringify(this.command.join(' '));
  }
}

/**
 * Kills the whole tree of `pid` before returning (SIGKILL to its group; Windows: taskkill /T /F);
 * for last-resort cleanup at process exit. True if the kill was delivered.
 */
export function killProcessGroupSync(pid: number, tree: ProcessTree = processTree()): boolean {
  return tree.killSync(pid);
}

function checkDirectory(cwd: string): Error | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(cwd);
  } catch {
    return new Error(`working directory does not exist: ${cwd}`);
  }
  return stat.isDirectory() ? undefined : new Error(`working directory is not a directory: ${cwd}`);
}

function describeSpawnError(err: unknown, file: string, cwd: string): Error {
  const cause = err instanceof Error ? err : new Error(String(err));
  const code = (cause as NodeJS.ErrnoException).code;
  // Node reports a vanished cwd as ENOENT too, naming the program; tell the two apart.
  if (code === 'ENOENT') return checkDirectory(cwd) ?? new Error(`command not found: ${file}`, { cause });
  if (code === 'EACCES') return new Error(`command is not executable: ${file}`, { cause });
  return new Error(`could not start ${file}: ${cause.message}`, { cause });
}
