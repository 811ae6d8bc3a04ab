import type { StreamName } from '../shared/protocol';
import type { Disposable } from '../common/disposable';

export interface OutputPacerOptions {
  /** Takes the next slice of one stream's lines; slices arrive in the order the lines were read. */
  deliver(stream: StreamName, texts: string[]): void;
  /** Stops reading the child's pipes: what it writes meanwhile waits in the OS pipe buffer. */
  pause(): void;
  resume(): void;
  /** Most time one event-loop turn spends delivering lines; default 2 ms. */
  budgetMs?: number;
  /** Lines per slice (the budget is checked between slices); default 128. */
  sliceLines?: number;
  now?: () => number;
  /** Runs `fn` after this turn's I/O (default setImmediate). */
  defer?: (fn: () => void) => void;
}

const DEFAULT_BUDGET_MS = 2;
/** Lines a slice delivers unless told otherwise (the warm-up runs batches of this size too). */
export const DEFAULT_SLICE_LINES = 128;

/**
 * Keeps a flood of output from holding the event loop: lines are delivered in slices until the
 * turn's budget is spent, the rest waits for the next turn with the pipes paused, so timers,
 * clients and the extension host's other work get the thread between slices. One 64 KiB pipe read
 * alone can hold ~700 lines, more than one turn should take.
 */
export class OutputPacer implements Disposable {
  private readonly queue: { stream: StreamName; texts: string[]; next: number }[] = [];
  private readonly budgetMs: number;
  private readonly sliceLines: number;
  private readonly now: () => number;
  private readonly defer: (fn: () => void) => void;
  private turnStart: number | undefined;
  private paused = false;
  private held = false;
  private disposed = false;

  constructor(private readonly options: OutputPacerOptions) {
    this.budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
    this.sliceLines = options.sliceLines ?? DEFAULT_SLICE_LINES;
    this.now = options.now ?? (() => performance.now());
    this.defer = options.defer ?? ((fn) => setImmediate(fn));
  }

  /** Lines not yet delivered. */
  get pending(): number {
    return this.queue.reduce((sum, item) => sum + item.texts.length - item.next, 0);
  }

  /** Queues lines just read and delivers what this turn's budget allows. */
  push(stream: StreamName, texts: string[]): void {
    if (this.disposed) return;
    if (texts.length > 0) this.queue.push({ stream, texts, next: 0 });
    this.deliverWithinBudget();
  }

  /** Delivers every queued line now, whatever the budget (the child has exited). */
  flush(): void {
    for (const item of this.queue.splice(0)) {
      this.options.deliver(item.stream, item.next === 0 ? item.texts : item.texts.slice(item.next));
    }
  }

  /** Keeps the pipes paused, queue or not, until `hold(false)` (a consumer that must catch up). */
  hold(held: boolean): void {
    this.held = held;
    this.updatePause();
  }

  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
  }

  private deliverWithinBudget(): void {
    if (this.turnStart === undefined) {
      this.turnStart = this.now();
      this.defer(() => this.nextTurn());
    }
    while (this.queue.length > 0 && this.now() - this.turnStart <= this.budgetMs) {
      const item = this.queue[0];
      const end = Math.min(item.texts.length, item.next + this.sliceLines);
      const slice = item.next === 0 && end === item.texts.length ? item.texts : item.texts.slice(item.next, end);
      item.next = end;
      if (end === item.texts.length) this.queue.shift();
      this.options.deliver(item.stream, slice);
    }
    this.updatePause();
  }

  private nextTurn(): void {
    this.turnStart = undefined;
    if (this.disposed) return;
    if (this.queue.length > 0) this.deliverWithinBudget();
    else this.updatePause();
  }

  private updatePause(): void {
    const pause = this.held || this.queue.length > 0;
    if (pause === this.paused || this.disposed) return;
    this.paused = pause;
    if (pause) this.options.pause();
    else this.options.resume();
  }
}
