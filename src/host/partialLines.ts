import type { PartialLine, StreamName } from '../shared/protocol';
import type { Clock } from '../common/clock';
import { Emitter, type Disposable } from '../common/disposable';
import { stripAnsi } from '../shared/ansi';
import { levelOf } from './levels';

/**
 * How long text may stay without a newline before it is shown (a prompt waiting for input): under
 * 250 ms, so a prompt reaches the stream within a quarter second of being written.
 */
export const PARTIAL_LINE_DELAY_MS = 200;
/** Earlier lines still queued in the pacer go out within a few turns: look again this soon. */
const QUEUED_RETRY_MS = 50;

export interface PartialLineWatcherOptions {
  clock: Clock;
  /** The stream's unfinished text now (`LineSplitter.pending()`), read only when a timer fires. */
  pending(stream: StreamName): string | undefined;
  /** Whether the stream has unfinished bytes (`LineSplitter.hasPending()`): checked on every chunk. */
  hasPending(stream: StreamName): boolean;
  /** True while lines already read wait to be delivered: a partial shown now would overtake them. */
  hasQueued(): boolean;
  /** The seq the next finished line will get (the partial's hint). */
  nextSeq(): number;
  delayMs?: number;
}

export interface PartialLineChange {
  stream: StreamName;
  /** undefined: the stream's partial is gone (its line was finished). */
  partial: PartialLine | undefined;
}

interface StreamState {
  timer: unknown;
  shown: PartialLine | undefined;
}

/**
 * Shows a stream's unfinished line once it has waited `delayMs` for a newline, so a prompt without
 * one is seen before the process exits. A line that keeps changing (a progress bar's `\r`
 * restarts) is shown again at most once per `delayMs`. Never touches levels' state or the ring.
 */
export class PartialLineWatcher implements Disposable {
  private readonly streams: Record<StreamName, StreamState> = {
    stdout: { timer: undefined, shown: undefined },
    stderr: { timer: undefined, shown: undefined },
  };
  private readonly delayMs: number;
  private readonly changed = new Emitter<PartialLineChange>();
  private disposed = false;
  /** A stream's partial was shown, replaced, or superseded by its finished line. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly options: PartialLineWatcherOptions) {
    this.delayMs = options.delayMs ?? PARTIAL_LINE_DELAY_MS;
  }

  /** Call after each chunk of `stream` went through its splitter; `finishedLines`: lines it ended. */
  chunkRead(stream: StreamName, finishedLines: number): void {
    if (this.disposed) return;
    const state = this.streams[stream];
    // A finished line means the unfinished text is a new line: its wait starts now. Text added to
    // the same line (or a `\r` restart) keeps the running wait, so a progress bar still shows.
    const unfinished = this.options.hasPending(stream);
    if (finishedLines > 0 || !unfinished) this.cancel(state);
    if (state.timer === undefined && unfinished) this.arm(stream, this.delayMs);
  }

  /** Call when finished lines of `stream` reached the ring: the first of them is the shown line, finished. */
  linesDelivered(stream: StreamName): void {
    const state = this.streams[stream];
    if (this.disposed || !state.shown) return;
    state.shown = undefined;
    this.changed.fire({ stream, partial: undefined });
  }

  /** The partials shown now, stdout first. */
  current(): PartialLine[] {
    const out: PartialLine[] = [];
    for (const state of Object.values(this.streams)) if (state.shown) out.push(state.shown);
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const state of Object.values(this.streams)) this.cancel(state);
    this.changed.dispose();
  }

  private arm(stream: StreamName, ms: number): void {
    this.streams[stream].timer = this.options.clock.setTimeout(() => this.show(stream), ms);
  }

  private show(stream: StreamName): void {
    const state = this.streams[stream];
    state.timer = undefined;
    if (this.disposed) return;
    if (this.options.hasQueued()) {
      this.arm(stream, QUEUED_RETRY_MS);
      return;
    }
    const text = this.options.pending(stream);
    if (text === undefined || text === state.shown?.text) return;
    state.shown = {
      stream,
      ts: new Date(this.options.clock.now()).toISOString(),
      // levelOf, not the stream's LevelTagger: the tagger's traceback state must see only finished lines.
      level: levelOf(stripAnsi(text)) ?? 'INFO',
      text,
      seq: this.options.nextSeq(),
    };
    this.changed.fire({ stream, partial: state.shown });
  }

  private cancel(state: StreamState): void {
    if (state.timer === undefined) return;
    this.options.clock.clearTimeout(state.timer);
    state.timer = undefined;
  }
}
