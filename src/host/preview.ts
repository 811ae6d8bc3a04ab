import type { LogLine, PartialLine, PreviewInfo, PreviewState, StatusEvent, StreamName } from '../shared/protocol';
import { ChildProcessRunner, type SpawnFn } from './childProcess';
import { systemClock, type Clock } from './clock';
import { DisposableStore, Emitter, type Disposable, type Event } from './disposable';
import type { RunHistory } from './history';
import { LevelTagger } from './levels';
import { LineSplitter } from './lineSplitter';
import { OutputPacer } from './outputPacer';
import { PartialLineWatcher, type PartialLineChange } from './partialLines';
import { AppStartup } from './appStartup';
import { findFreePort } from './ports';
import { LogRing, type LogRingOptions, type NewLine } from './ring';

/** How to tell that the app is up. Default: its port accepts a TCP connection. */
export type ReadyCheck = { kind: 'tcp' } | { kind: 'http'; path: string } | { kind: 'line'; pattern: string } | { kind: 'none' };

/** What to run. `{port}` in the command is replaced by the app's port. */
export interface PreviewSpec {
  name?: string;
  command: string[];
  /** Shown to the user instead of `command` (e.g. the line a `/bin/sh -c` runs); default: command joined. */
  displayCommand?: string;
  cwd: string;
  env?: Record<string, string>;
  /** The app's port; a free one is picked when absent. */
  port?: number;
  ready?: ReadyCheck;
  readyTimeoutMs?: number;
  /** SIGTERM → SIGKILL delay on stop. */
  graceMs?: number;
}

export interface PreviewOptions {
  id: string;
  spec: PreviewSpec;
  clock?: Clock;
  ring?: LogRingOptions;
  history?: RunHistory;
  maxLineBytes?: number;
  /** Injected for tests; defaults to a free loopback port. */
  pickPort?: () => Promise<number>;
  /** Starts the process; injected for tests (a fake child), default cross-spawn in its own process group. */
  spawn?: SpawnFn;
}

/**
 * One running dev server: its process tree, its lines (split, levelled, in the ring and in
 * history) and its state (starting → ready → exited/stopped, or failed).
 */
export class Preview implements Disposable {
  readonly id: string;
  readonly name: string;
  readonly ring: LogRing;
  private readonly spec: PreviewSpec;
  private readonly clock: Clock;
  private readonly history?: RunHistory;
  private readonly disposables = new DisposableStore();
  private readonly stateEmitter = this.disposables.add(new Emitter<StatusEvent>());
  private runner?: ChildProcessRunner;
  private status: StatusEvent;
  private port = 0;
  private readonly startup: AppStartup;
  private retriedPort = false;
  private command: string[];
  private readonly startedAt: string;
  private runId?: number;
  private pendingHistory: LogLine[] | undefined = [];
  private stopRequested = false;
  private readonly pacer: OutputPacer;
  private waitingForHistory = false;
  private startFailed = false;
  private ended = false;
  private runIdPromise?: Promise<number | undefined>;
  private exitedPromise: Promise<void>;
  private resolveExited!: () => void;
  private readonly streams: Record<StreamName, { splitter: LineSplitter; tagger: LevelTagger }>;
  private readonly partialLines: PartialLineWatcher;
  /** A stream's unfinished line was shown or replaced (`partial`), or finished (undefined). */
  readonly onDidChangePartial: Event<PartialLineChange>;

  /** Every state move, in order. */
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(private readonly options: PreviewOptions) {
    this.id = options.id;
    this.spec = options.spec;
    this.name = options.spec.name ?? options.spec.displayCommand ?? options.spec.command.join(' ');
    this.command = [...options.spec.command];
    this.clock = options.clock ?? systemClock;
    this.history = options.history;
    this.ring = new LogRing(options.ring);
    this.disposables.add(this.ring);
    const maxLineBytes = options.maxLineBytes;
    this.streams = {
      stdout: { splitter: new LineSplitter({ maxLineBytes }), tagger: new LevelTagger() },
      stderr: { splitter: new LineSplitter({ maxLineBytes }), tagger: new LevelTagger() },
    };
    this.pacer = this.disposables.add(
      new OutputPacer({
        deliver: (stream, texts) => this.appendLines(stream, texts),
        pause: () => this.runner?.pauseOutput(),
        resume: () => this.runner?.resumeOutput(),
      }),
    );
    this.partialLines = this.disposables.add(
      new PartialLineWatcher({
        clock: this.clock,
        pending: (stream) => this.streams[stream].splitter.pending(),
        hasPending: (stream) => this.streams[stream].splitter.hasPending(),
        hasQueued: () => this.pacer.pending > 0,
        nextSeq: () => this.ring.lastSeq + 1,
      }),
    );
    this.onDidChangePartial = this.partialLines.onDidChange;
    this.startup = this.disposables.add(
      new AppStartup({
        check: options.spec.ready ?? { kind: 'tcp' },
        clock: this.clock,
        timeoutMs: options.spec.readyTimeoutMs,
        onReady: (appUrl) => this.setStatus({ state: 'ready', appUrl, ts: this.isoNow() }),
        onFail: (reason) => this.status.state === 'starting' && this.setStatus({ state: 'failed', reason, ts: this.isoNow() }),
        onStuckOnTakenPort: () => void this.runner?.stop(), // its exit then retries or fails
      }),
    );
    this.startedAt = this.isoNow();
    this.status = { state: 'starting', ts: this.startedAt };
    this.exitedPromise = new Promise((resolve) => (this.resolveExited = () => ((this.ended = true), resolve())));
  }

  get state(): PreviewState {
    return this.status.state;
  }

  get lastStatus(): StatusEvent {
    return this.status;
  }

  get appPort(): number {
    return this.port;
  }

  get pid(): number | undefined {
    return this.runner?.pid;
  }

  /** True once the process has ended (or never started). */
  get hasEnded(): boolean {
    return this.ended;
  }

  /** True when the process could not be started at all (not found, bad cwd, no port). */
  get failedToStart(): boolean {
    return this.startFailed;
  }

  /** The history run this preview writes to, once the store has made it. */
  get historyRunId(): number | undefined {
    return this.runId;
  }

  /** Resolves when the process has ended (exited, stopped or failed to start). */
  get exited(): Promise<void> {
    return this.exitedPromise;
  }

  /** The URL the app serves on, once it is ready (see `StatusEvent.appUrl`). */
  get url(): string | undefined {
    return this.startup.appUrl;
  }

  /** The command as the user wrote it or detection chose it, with `{port}` filled in. */
  get displayCommand(): string {
    const shown = this.spec.displayCommand ?? this.spec.command.join(' ');
    return this.port ? shown.replaceAll('{port}', String(this.port)) : shown;
  }

  info(): PreviewInfo {
    return {
      id: this.id,
      name: this.name,
      command: this.command,
      displayCommand: this.displayCommand,
      cwd: this.spec.cwd,
      pid: this.runner?.pid ?? null,
      port: this.port,
      appUrl: this.startup.appUrl ?? null,
      state: this.status.state,
      exitCode: this.status.exitCode ?? null,
      signal: this.status.signal ?? null,
      reason: this.status.reason ?? null,
      startedAt: this.startedAt,
      lastSeq: this.ring.lastSeq,
      ...(this.runId !== undefined && { runId: this.runId }),
    };
  }

  /**
   * Picks the port, starts the process and the readiness check; resolves once spawned (pid known)
   * or failed. Never throws: failures are a state.
   */
  async start(): Promise<void> {
    try {
      this.port = this.spec.port ?? (await (this.options.pickPort ?? findFreePort)());
    } catch (err) {
      this.failToStart(`no free port: ${(err as Error).message}`);
      return;
    }
    this.beginHistoryRun();
    this.launch();
    await this.runner!.spawned;
  }

  /** Spawns the command on `this.port` (again, after a port collision). */
  private launch(): void {
    this.command = this.spec.command.map((part) => part.replaceAll('{port}', String(this.port)));
    const runner = new ChildProcessRunner({
      command: this.command,
      cwd: this.spec.cwd,
      env: { PYTHONUNBUFFERED: '1', FORCE_COLOR: '1', ...this.spec.env, PORT: String(this.port) },
      graceMs: this.spec.graceMs,
      spawn: this.options.spawn,
    });
    this.runner = this.disposables.add(runner);
    runner.onStdout((chunk) => this.readOutput('stdout', chunk));
    runner.onStderr((chunk) => this.readOutput('stderr', chunk));
    runner.onError((err) => this.failToStart(err.message));
    runner.onExit(({ exitCode, signal }) => {
      if (runner === this.runner) this.onProcessExit(exitCode, signal);
    });
    runner.start();
    this.startup.launched(this.port);
  }

  /** Stops the whole process tree (SIGTERM, then SIGKILL after the grace period). */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.startup.stop();
    if (this.runner) await this.runner.stop();
    await this.exitedPromise;
  }

  dispose(): void {
    this.disposables.dispose();
    this.resolveExited();
  }

  /** The streams' unfinished lines shown now (see `PartialLine`); never in the ring or history. */
  partials(): PartialLine[] {
    return this.partialLines.current();
  }

  private readOutput(stream: StreamName, chunk: Buffer): void {
    const lines = this.streams[stream].splitter.push(chunk);
    this.pacer.push(stream, lines);
    this.partialLines.chunkRead(stream, lines.length);
  }

  private appendLines(stream: StreamName, texts: string[]): void {
    if (texts.length === 0) return;
    const ts = this.isoNow();
    const tagger = this.streams[stream].tagger;
    const batch: NewLine[] = new Array(texts.length);
    for (let i = 0; i < texts.length; i++) {
      batch[i] = { ts, level: tagger.tag(texts[i]), stream, text: texts[i] };
    }
    const lines = this.ring.append(batch);
    this.partialLines.linesDelivered(stream);
    this.toHistory(lines);
    if (this.startup.watching) for (const text of texts) this.startup.watch(text);
  }

  /** A line said as the preview's own (a retry, a reason), so the user sees what the host did. */
  private appendHostLine(level: LogLine['level'], text: string): void {
    this.toHistory(this.ring.append([{ ts: this.isoNow(), level, stream: 'stderr', text: `[preview-host] ${text}` }]));
  }

  /**
   * The app exited saying its port is taken. A port the host chose gets one retry on a new free
   * port; a port the user fixed fails now with that reason instead of after the ready timeout.
   * Returns false when this exit is not a port collision to handle.
   */
  private handlePortInUse(exitCode: number | null, signal: string | null): boolean {
    const line = this.startup.takePortInUse();
    if (line === undefined || this.stopRequested) return false;
    const port = this.port;
    if (this.spec.port !== undefined || this.retriedPort) {
      const why = this.spec.port !== undefined ? 'the port was set for this preview' : 'already retried once';
      this.appendHostLine('ERROR', `port ${port} is already in use (${why}): ${line}`);
      this.endRun({ state: 'failed', reason: `port ${port} is already in use: ${line}`, ts: this.isoNow() }, exitCode, signal);
      return true;
    }
    this.retriedPort = true;
    void this.relaunchOnNewPort(port, line);
    return true;
  }

  private async relaunchOnNewPort(oldPort: number, line: string): Promise<void> {
    const old = this.runner!;
    await old.stop(); // whatever it left in its group goes too
    let port: number;
    try {
      port = await (this.options.pickPort ?? findFreePort)();
    } catch (err) {
      const reason = `port ${oldPort} is already in use and no other port is free: ${(err as Error).message}`;
      return this.endRun({ state: 'failed', reason, ts: this.isoNow() }, null, null);
    }
    if (this.stopRequested) return this.endRun({ state: 'stopped', exitCode: null, signal: null, ts: this.isoNow() }, null, null);
    this.appendHostLine('WARN', `port ${oldPort} is already in use (${line}); retrying once on port ${port}`);
    old.dispose();
    this.port = port;
    if (this.status.state !== 'starting') this.setStatus({ state: 'starting', ts: this.isoNow() });
    this.launch();
  }

  private onProcessExit(exitCode: number | null, signal: string | null): void {
    if (this.startFailed) return;
    this.pacer.flush();
    for (const stream of ['stdout', 'stderr'] as const) this.appendLines(stream, this.streams[stream].splitter.end());
    if (this.handlePortInUse(exitCode, signal)) return;
    this.endRun({ state: this.stopRequested ? 'stopped' : 'exited', exitCode, signal, ts: this.isoNow() }, exitCode, signal);
  }

  /** The last state of this run: the process is gone (or is being stopped, for a failure). */
  private endRun(status: StatusEvent, exitCode: number | null, signal: string | null): void {
    this.startup.stop();
    this.ended = true; // before the event, so listeners already see the preview as ended
    this.setStatus(status);
    void this.runner?.stop(); // a no-op when the group is gone; leftovers of a failed run go too
    void this.endHistoryRun(exitCode, signal);
    this.resolveExited();
  }

  /** The process could not be started at all (not found, bad cwd, no port). */
  private failToStart(reason: string): void {
    if (this.startFailed) return;
    this.startFailed = true;
    this.ended = true;
    this.startup.stop();
    this.setStatus({ state: 'failed', reason, ts: this.isoNow() });
    void this.endHistoryRun(null, null);
    this.resolveExited();
  }

  private setStatus(status: StatusEvent): void {
    this.status = status;
    this.stateEmitter.fire(status);
  }

  private beginHistoryRun(): void {
    if (!this.history) return;
    const history = this.history;
    this.runIdPromise = history
      .beginRun({ previewName: this.name, command: this.command, cwd: this.spec.cwd, port: this.port, startedAt: this.startedAt })
      .then((runId) => {
        this.runId = runId;
        if (this.pendingHistory?.length && !history.append(runId, this.pendingHistory)) this.waitForHistory(history);
        this.pendingHistory = undefined;
        return runId;
      })
      .catch(() => {
        this.pendingHistory = undefined; // history unavailable: the stream still works from the ring
        return undefined;
      });
  }

  private toHistory(lines: LogLine[]): void {
    if (!this.history) return;
    if (this.runId !== undefined) {
      if (!this.history.append(this.runId, lines)) this.waitForHistory(this.history);
    } else if (this.pendingHistory) for (const line of lines) this.pendingHistory.push(line);
  }

  // The store is behind by more than it may queue: stop reading the child (its writes wait in the
  // pipe, as with a slow terminal) rather than grow memory or drop lines.
  private waitForHistory(history: RunHistory): void {
    if (this.waitingForHistory) return;
    this.waitingForHistory = true;
    this.pacer.hold(true);
    void history.whenDrained().then(() => {
      this.waitingForHistory = false;
      this.pacer.hold(false);
    });
  }

  private async endHistoryRun(exitCode: number | null, signal: string | null): Promise<void> {
    const runId = await this.runIdPromise;
    this.runIdPromise = undefined; // ends once
    if (runId === undefined || !this.history) return;
    try {
      await this.history.endRun(runId, { endedAt: this.isoNow(), exitCode, signal });
    } catch {
      // The run stays open in history and is marked abnormal when the store is next opened.
    }
  }

  private isoNow(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
