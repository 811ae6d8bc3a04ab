import type { LogLine, PreviewInfo, PreviewState, StatusEvent, StreamName } from '../shared/protocol';
import { ChildProcessRunner } from './childProcess';
import { systemClock, type Clock } from './clock';
import { DisposableStore, Emitter, type Disposable } from './disposable';
import type { RunHistory } from './history';
import { LevelTagger } from './levels';
import { LineSplitter } from './lineSplitter';
import { OutputPacer } from './outputPacer';
import { findFreePort } from './ports';
import { waitForReady, type ReadyResult } from './readiness';
import { LogRing, type LogRingOptions, type NewLine } from './ring';

/** How to tell that the app is up. Default: its port accepts a TCP connection. */
export type ReadyCheck =
  | { kind: 'tcp' }
  | { kind: 'http'; path: string }
  | { kind: 'line'; pattern: string }
  | { kind: 'none' };

/** What to run. `{port}` in the command is replaced by the app's port. */
export interface PreviewSpec {
  name?: string;
  command: string[];
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
  private readonly lineTextEmitter = this.disposables.add(new Emitter<string>());
  private readonly readyAbort = new AbortController();
  private runner?: ChildProcessRunner;
  private status: StatusEvent;
  private port = 0;
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

  /** Every state move, in order. */
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(private readonly options: PreviewOptions) {
    this.id = options.id;
    this.spec = options.spec;
    this.name = options.spec.name ?? options.spec.command.join(' ');
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
    this.pacer = this.disposables.add(new OutputPacer({
      deliver: (stream, texts) => this.appendLines(stream, texts),
      pause: () => this.runner?.pauseOutput(),
      resume: () => this.runner?.resumeOutput(),
    }));
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

  info(): PreviewInfo {
    return {
      id: this.id,
      name: this.name,
      command: this.command,
      cwd: this.spec.cwd,
      pid: this.runner?.pid ?? null,
      port: this.port,
      state: this.status.state,
      exitCode: this.status.exitCode ?? null,
      signal: this.status.signal ?? null,
      reason: this.status.reason ?? null,
      startedAt: this.startedAt,
      lastSeq: this.ring.lastSeq,
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
    this.command = this.spec.command.map((part) => part.replaceAll('{port}', String(this.port)));
    this.beginHistoryRun();
    const runner = new ChildProcessRunner({
      command: this.command,
      cwd: this.spec.cwd,
      env: { PYTHONUNBUFFERED: '1', FORCE_COLOR: '1', ...this.spec.env, PORT: String(this.port) },
      graceMs: this.spec.graceMs,
    });
    this.runner = this.disposables.add(runner);
    runner.onStdout((chunk) => this.pacer.push('stdout', this.streams.stdout.splitter.push(chunk)));
    runner.onStderr((chunk) => this.pacer.push('stderr', this.streams.stderr.splitter.push(chunk)));
    runner.onError((err) => this.failToStart(err.message));
    runner.onExit(({ exitCode, signal }) => this.onProcessExit(exitCode, signal));
    runner.start();
    void this.checkReadiness();
    await runner.spawned;
  }

  /** Stops the whole process tree (SIGTERM, then SIGKILL after the grace period). */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.readyAbort.abort();
    if (this.runner) await this.runner.stop();
    await this.exitedPromise;
  }

  dispose(): void {
    this.readyAbort.abort();
    this.disposables.dispose();
    this.resolveExited();
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
    this.toHistory(lines);
    if (this.status.state === 'starting') for (const text of texts) this.lineTextEmitter.fire(text);
  }

  private async checkReadiness(): Promise<void> {
    const check = this.spec.ready ?? { kind: 'tcp' };
    if (check.kind === 'none') return;
    let result: ReadyResult;
    try {
      result = await waitForReady({
        probe:
          check.kind === 'line'
            ? { kind: 'line', pattern: new RegExp(check.pattern), lines: this.lineTextEmitter.event }
            : check.kind === 'http'
              ? { kind: 'http', port: this.port, path: check.path }
              : { kind: 'tcp', port: this.port },
        timeoutMs: this.spec.readyTimeoutMs,
        signal: this.readyAbort.signal,
        clock: this.clock,
      });
    } catch (err) {
      result = { ready: false, reason: (err as Error).message };
    }
    if (this.status.state !== 'starting') return;
    if (result.ready) this.setStatus({ state: 'ready', ts: this.isoNow() });
    else if (!this.readyAbort.signal.aborted) this.setStatus({ state: 'failed', reason: result.reason, ts: this.isoNow() });
  }

  private onProcessExit(exitCode: number | null, signal: string | null): void {
    if (this.startFailed) return;
    this.pacer.flush();
    for (const stream of ['stdout', 'stderr'] as const) this.appendLines(stream, this.streams[stream].splitter.end());
    this.readyAbort.abort();
    this.ended = true; // before the event, so listeners already see the preview as ended
    this.setStatus({ state: this.stopRequested ? 'stopped' : 'exited', exitCode, signal, ts: this.isoNow() });
    void this.endHistoryRun(exitCode, signal);
    this.resolveExited();
  }

  /** The process could not be started at all (not found, bad cwd, no port). */
  private failToStart(reason: string): void {
    if (this.startFailed) return;
    this.startFailed = true;
    this.ended = true;
    this.readyAbort.abort();
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
