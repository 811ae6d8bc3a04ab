/**
 * Runs an (async) refresh at most once per interval, however often it is asked for: the first ask
 * runs at once, asks during the interval or while a run is in flight make one more run after it.
 * The clock is injected, so tests drive it by hand.
 */
import type { Clock } from '../src/shared/clock';

export class Throttle {
  private lastStart = -Infinity;
  private running = false;
  private wanted = false;
  private timer: unknown;
  private disposed = false;

  constructor(
    private readonly run: () => Promise<void> | void,
    /** A number, or asked before each wait (it may grow with the work a run costs). */
    private readonly intervalMs: number | (() => number),
    private readonly clock: Clock,
  ) {}

  /** Asks for a run: now, or once the interval since the last one has passed. */
  request(): void {
    if (this.disposed) return;
    this.wanted = true;
    if (this.running || this.timer !== undefined) return;
    const interval = typeof this.intervalMs === 'number' ? this.intervalMs : this.intervalMs();
    const wait = this.lastStart + interval - this.clock.now();
    if (wait <= 0) void this.start();
    else this.timer = this.clock.setTimeout(() => this.fire(), wait);
  }

  /** Forgets a pending run and starts over (another run is shown); a run in flight still ends. */
  reset(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.wanted = false;
    this.lastStart = -Infinity;
  }

  dispose(): void {
    this.reset();
    this.disposed = true;
  }

  private fire(): void {
    this.timer = undefined;
    if (this.wanted && !this.disposed) void this.start();
  }

  private async start(): Promise<void> {
    this.wanted = false;
    this.running = true;
    this.lastStart = this.clock.now();
    try {
      await this.run();
    } catch {
      // The run reports its own failures; the next ask tries again.
    } finally {
      this.running = false;
      if (this.wanted) this.request();
    }
  }
}
