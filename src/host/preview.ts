import { stripAnsi } from '../shared/ansi';
import { portNamedIn } from './appUrl';
import { RELOADER_CRASHED } from './levelRules';
import type { LogLine, PartialLine, PreviewInfo, PreviewState, StatusEvent, StreamName } from '../shared/protocol';
import { systemClock, type Clock } from './clock';
import { DisposableStore, Emitter, type Disposable, type Event } from './disposable';
import { LineSplitter } from './lineSplitter';
import { LineTagger } from './lineTagger';
import { OutputPacer } from './outputPacer';
import { PartialLineWatcher, type PartialLineChange } from './partialLines';
import type { AppStartup } from './appStartup';
import { findFreePort } from './ports';
import { Redaction, type StreamRedactor } from './redact';
import { LogRing, type NewLine } from './ring';
import { CrashRestarts } from './crashRestarts';
import { Launch } from './launch';
import { isFailedExit } from './restartPolicy';
import { RunRecorder } from './runRecorder';
import type { LineQuery } from './history';
import type { PreviewOptions, PreviewSpec } from './previewSpec';

export type { PreviewOptions, PreviewSpec, ReadyCheck } from './previewSpec';

/**
 * One running dev server: its process tree, its lines (split, levelled, in the ring and in
 * history) and its state (starting → ready → exited/stopped, or failed; with `restart:
 * on-failure`, a crash goes to restarting → starting, on the same stream, as a new history run).
 */
export class Preview implements Disposable {
  readonly id: string;
  readonly name: string;
  readonly ring: LogRing;
  private readonly spec: PreviewSpec;
  private readonly clock: Clock;
  private readonly disposables = new DisposableStore();
  private readonly stateEmitter = this.disposables.add(new Emitter<StatusEvent>());
  private readonly spawnEmitter = this.disposables.add(new Emitter<number>());
  /** The current spawn of the command (a port collision or a crash makes the next). */
  private current?: Launch;
  private status: StatusEvent;
  private port = 0;
  private retriedPort = false;
  private readonly startedAt: string;
  private readonly runs: RunRecorder;
  private readonly restarts?: CrashRestarts;
  private stopRequested = false;
  private readonly pacer: OutputPacer;
  private startFailed = false;
  private ended = false;
  private exitedPromise: Promise<void>;
  private resolveExited!: () => void;
  private readonly streams: Record<StreamName, { splitter: LineSplitter; tagger: LineTagger; redactor: StreamRedactor }>;
  private readonly partialLines: PartialLineWatcher;
  /** A stream's unfinished line was shown or replaced (`partial`), or finished (undefined). */
  readonly onDidChangePartial: Event<PartialLineChange>;

  /** Every state move, in order. */
  readonly onDidChangeState = this.stateEmitter.event;
  /** A launch's process started, with its pid (its group's id): the first, and each after a port collision or a crash. */
  readonly onDidSpawn = this.spawnEmitter.event;

  constructor(private readonly options: PreviewOptions) {
    this.id = options.id;
    this.spec = options.spec;
    this.name = options.spec.name ?? options.spec.displayCommand ?? options.spec.command.join(' ');
    this.clock = options.clock ?? systemClock;
    this.ring = new LogRing(options.ring);
    this.disposables.add(this.ring);
    const maxLineBytes = options.maxLineBytes;
    const redaction = new Redaction(options.spec.redact);
    this.streams = {
      stdout: { splitter: new LineSplitter({ maxLineBytes }), tagger: new LineTagger(), redactor: redaction.forStream() },
      stderr: { splitter: new LineSplitter({ maxLineBytes }), tagger: new LineTagger(), redactor: redaction.forStream() },
    };
    this.pacer = this.disposables.add(
      new OutputPacer({
        deliver: (stream, texts) => this.appendLines(stream, texts),
        pause: () => this.current?.runner.pauseOutput(),
        resume: () => this.current?.runner.resumeOutput(),
      }),
    );
    this.partialLines = this.disposables.add(
      new PartialLineWatcher({
        clock: this.clock,
        pending: (stream) => this.streams[stream].redactor.maskPartial(this.streams[stream].splitter.pending()),
        hasPending: (stream) => this.streams[stream].splitter.hasPending(),
        hasQueued: () => this.pacer.pending > 0,
        nextSeq: () => this.ring.lastSeq + 1,
      }),
    );
    this.onDidChangePartial = this.partialLines.onDidChange;
    this.runs = new RunRecorder({ history: options.history, hold: (held) => this.pacer.hold(held), now: () => this.isoNow() });
    if (options.spec.restart === 'on-failure') this.restarts = new CrashRestarts(this.clock, options.restartLimits);
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

  /** The live process's pid; undefined before it starts, and while a restart waits (the crashed one is gone). */
  get pid(): number | undefined {
    return this.status.state === 'restarting' ? undefined : this.current?.runner.pid;
  }

  /** True once the process has ended for good (or never started): no restart is pending. */
  get hasEnded(): boolean {
    return this.ended;
  }

  /** True when the process could not be started at all (not found, bad cwd, no port). */
  get failedToStart(): boolean {
    return this.startFailed;
  }

  /** The history run this preview writes to (its current launch's), once the store has made it. */
  get historyRunId(): number | undefined {
    return this.runs.runId;
  }

  /** Lines after `query.after` from history (those the ring no longer holds), read across this preview's runs. */
  historyLines(query: LineQuery & { after: number; limit: number }): Promise<LogLine[]> {
    return this.runs.readLines(query);
  }

  /** Resolves when the process has ended for good (exited, stopped, failed, or failed to start). */
  get exited(): Promise<void> {
    return this.exitedPromise;
  }

  /** The URL the app serves on, once it is ready (see `StatusEvent.appUrl`). */
  get url(): string | undefined {
    return this.startup?.appUrl;
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
      command: this.current?.command ?? [...this.spec.command],
      displayCommand: this.displayCommand,
      cwd: this.spec.cwd,
      pid: this.pid ?? null,
      port: this.port,
      appUrl: this.url ?? null,
      state: this.status.state,
      exitCode: this.status.exitCode ?? null,
      signal: this.status.signal ?? null,
      reason: this.status.reason ?? null,
      startedAt: this.startedAt,
      lastSeq: this.ring.lastSeq,
      ...(this.historyRunId !== undefined && { runId: this.historyRunId }),
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
    this.launch(this.startedAt);
    await this.current!.runner.spawned;
  }

  private get startup(): AppStartup | undefined {
    return this.current?.startup;
  }

  /** Spawns the command on `this.port`; `newRunAt`: as a new history run started then (not after a port collision). */
  private launch(newRunAt?: string): void {
    const launch = new Launch({
      spec: this.spec,
      port: this.port,
      clock: this.clock,
      spawn: this.options.spawn,
      firstSeq: this.ring.lastSeq + 1,
      output: (stream, chunk) => this.readOutput(stream, chunk),
      spawnError: (err) => this.failToStart(err.message),
      exit: ({ exitCode, signal }) => launch === this.current && this.onProcessExit(exitCode, signal),
      ready: (appUrl) => this.setStatus({ state: 'ready', appUrl, ts: this.isoNow() }),
      readyFailed: (reason) => this.status.state === 'starting' && this.setStatus({ state: 'failed', reason, ts: this.isoNow() }),
    });
    this.current = launch;
    const { command, port } = launch;
    if (newRunAt) this.runs.begin({ previewName: this.name, command, cwd: this.spec.cwd, port, startedAt: newRunAt });
    this.restarts?.launched();
    launch.start();
    void launch.runner.spawned.then(() => launch.runner.pid !== undefined && this.spawnEmitter.fire(launch.runner.pid));
  }

  /** Stops the whole process tree (SIGTERM, then SIGKILL after the grace period). */
  async stop(): Promise<void> {
    this.stopRequested = true;
    if (this.restarts?.cancel()) this.endStopped();
    await this.current?.stop();
    await this.exitedPromise;
  }

  dispose(): void {
    this.restarts?.dispose();
    this.current?.dispose();
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
    const { tagger, redactor } = this.streams[stream];
    texts = redactor.maskLines(texts); // before anything keeps or sends them
    const batch = tagger.lines(texts, ts, stream, this.ring.lastSeq + 1); // the ring numbers the batch from there
    const lines = this.ring.append(batch);
    this.partialLines.linesDelivered(stream);
    this.runs.append(lines);
    if (this.startup?.watching) for (const text of texts) this.startup.watch(text);
    if (this.status.state === 'ready') this.noticeReloaderCrash(batch);
  }

  /**
   * A reloader that outlives its app (nodemon's `[nodemon] app crashed - waiting for file changes…`,
   * `node --watch`, Django's and uvicorn's reloaders: RELOADER_CRASHED) leaves nothing serving while
   * the process the host watches runs on: back to starting (for as long as the reloader waits, up to
   * LATE_READY_MS), and ready again once the fixed app answers.
   */
  private noticeReloaderCrash(batch: readonly NewLine[]): void {
    for (const line of batch) {
      if (line.level !== 'ERROR' || !RELOADER_CRASHED.test(stripAnsi(line.text))) continue;
      this.appendHostLine('WARN', 'the app crashed; its reloader waits for a change: waiting for the app to be ready again');
      this.setStatus({ state: 'starting', ts: this.isoNow() });
      this.startup?.awaitRestart();
      return;
    }
  }

  /** A line said as the preview's own (a retry, a reason), so the user sees what the host did. */
  private appendHostLine(level: LogLine['level'], text: string): void {
    this.runs.append(this.ring.append([{ ts: this.isoNow(), level, stream: 'stderr', text: `[preview-host] ${text}` }]));
  }

  /**
   * The app exited saying its port is taken. A port the host chose gets one retry on a new free
   * port; a port the user fixed fails now with that reason instead of after the ready timeout.
   * Returns false when this exit is not a port collision to handle.
   */
  private handlePortInUse(exitCode: number | null, signal: string | null): boolean {
    const line = this.startup?.takePortInUse();
    if (line === undefined || this.stopRequested) return false;
    // An app that binds a port of its own (`--port 8000` in the command) gains nothing from another of ours.
    const named = portNamedIn(line);
    const own = named !== undefined && named !== this.port;
    const port = own ? named : this.port;
    if (this.spec.port !== undefined || this.retriedPort || own) {
      const why = own
        ? 'the app chose that port itself'
        : this.spec.port !== undefined
          ? 'the port was set for this preview'
          : 'already retried once';
      this.appendHostLine('ERROR', `port ${port} is already in use (${why}): ${line}`);
      this.endRun({ state: 'failed', reason: `port ${port} is already in use: ${line}`, ts: this.isoNow() }, exitCode, signal);
      return true;
    }
    this.retriedPort = true;
    void this.relaunchOnNewPort(port, line);
    return true;
  }

  private async relaunchOnNewPort(oldPort: number, line: string): Promise<void> {
    const old = this.current!;
    await old.stop(); // whatever it left in its group goes too
    let port: number;
    try {
      port = await (this.options.pickPort ?? findFreePort)();
    } catch (err) {
      const reason = `port ${oldPort} is already in use and no other port is free: ${(err as Error).message}`;
      return this.endRun({ state: 'failed', reason, ts: this.isoNow() }, null, null);
    }
    if (this.stopRequested) return this.endStopped();
    this.appendHostLine('WARN', `port ${oldPort} is already in use (${line}); retrying once on port ${port}`);
    this.relaunch(old, port);
  }

  /** After a crash's backoff: the next launch, as a new history run, once the crashed group is gone. */
  private async relaunchAfterFailure(crashed: Launch): Promise<void> {
    await crashed.stop();
    if (this.stopRequested) return this.endStopped();
    this.retriedPort = false; // each launch may move off a taken port once
    this.relaunch(crashed, this.port, this.isoNow());
  }

  private relaunch(old: Launch, port: number, newRunAt?: string): void {
    old.dispose();
    if (this.disposables.isDisposed) return; // disposed while the old group was stopping: start nothing
    this.port = port;
    if (this.status.state !== 'starting') this.setStatus({ state: 'starting', ts: this.isoNow() });
    this.launch(newRunAt);
  }

  private onProcessExit(exitCode: number | null, signal: string | null): void {
    if (this.startFailed) return;
    this.pacer.flush();
    for (const stream of ['stdout', 'stderr'] as const) this.appendLines(stream, this.streams[stream].splitter.end());
    if (this.handlePortInUse(exitCode, signal) || this.restartAfterFailure(exitCode, signal)) return;
    this.endRun({ state: this.stopRequested ? 'stopped' : 'exited', exitCode, signal, ts: this.isoNow() }, exitCode, signal);
  }

  /**
   * With `restart: on-failure`, a crash ends this launch's history run and starts the next launch
   * after the policy's backoff (state `restarting`), or ends the preview as a crash loop. Returns
   * false when this exit is not one to restart.
   */
  private restartAfterFailure(exitCode: number | null, signal: string | null): boolean {
    if (!this.restarts || !isFailedExit(exitCode, signal, this.stopRequested)) return false;
    const crashed = this.current!;
    const said = this.ring.slice(crashed.firstSeq - 1);
    const outcome = this.restarts.failed(exitCode, signal, said);
    this.appendHostLine(outcome.restart ? 'WARN' : 'ERROR', outcome.hostLine);
    if (!outcome.restart) {
      this.endRun({ state: 'failed', reason: outcome.reason, exitCode, signal, ts: this.isoNow() }, exitCode, signal);
      return true;
    }
    void crashed.stop(); // no more probing; whatever it left in its group goes too
    void this.runs.end(exitCode, signal);
    this.setStatus({ state: 'restarting', attempt: outcome.attempt, delayMs: outcome.delayMs, exitCode, signal, ts: this.isoNow() });
    this.restarts.schedule(outcome.delayMs, () => void this.relaunchAfterFailure(crashed)); // from when `restarting` was said
    return true;
  }

  /** The last state of this run: the process is gone (or is being stopped, for a failure). */
  private endRun(status: StatusEvent, exitCode: number | null, signal: string | null): void {
    void this.current?.stop(); // probing ends now; a no-op when the group is gone; leftovers of a failed run go too
    this.ended = true; // before the event, so listeners already see the preview as ended
    this.setStatus(status);
    void this.runs.end(exitCode, signal);
    this.resolveExited();
  }

  /** Stopped by the user while no process runs (a restart was pending, or the old group just went). */
  private endStopped(): void {
    this.endRun({ state: 'stopped', exitCode: null, signal: null, ts: this.isoNow() }, null, null);
  }

  /** The process could not be started at all (not found, bad cwd, no port). */
  private failToStart(reason: string): void {
    if (this.startFailed) return;
    this.startFailed = true;
    this.ended = true;
    this.startup?.stop();
    this.setStatus({ state: 'failed', reason, ts: this.isoNow() });
    void this.runs.end(null, null);
    this.resolveExited();
  }

  private setStatus(status: StatusEvent): void {
    this.status = status;
    this.stateEmitter.fire(status);
  }

  private isoNow(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
