import type { Clock } from '../common/clock';

export interface PageWatchdogOptions {
  clock: Clock;
  /** How long a page may take to answer (`ready` after a load, `alive` after being shown). */
  timeoutMs: number;
  /** Loads the page again: `attempt` counts from 1 since the page last answered. */
  reload(attempt: number): void;
  /** Loads after which a page that never answered is left as it is. */
  maxReloads: number;
  /** The last load went unanswered too: the page is left as it is. */
  onGiveUp?(): void;
}

/**
 * Notices a panel whose page never came up. In web VS Code (code-server, vscode.dev) a webview
 * moved to another editor group is loaded afresh, and once in a while its page stayed blank: its
 * script never ran, so nothing in it can notice. The panel expects an answer from the page after
 * loading it and each time it is shown; when none comes in time, it loads the page again (a few
 * times at most, so a page that cannot load is not reloaded forever).
 */
export class PageWatchdog {
  private timer: unknown;
  private silentReloads = 0;
  private disposed = false;

  constructor(private readonly options: PageWatchdogOptions) {}

  /** An answer is due (the page was loaded or shown); a wait already running goes on. */
  expect(): void {
    if (this.disposed || this.timer !== undefined) return;
    this.timer = this.options.clock.setTimeout(() => this.expired(), this.options.timeoutMs);
  }

  /** The page answered: it runs. */
  answered(): void {
    this.silentReloads = 0;
    this.stop();
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
  }

  private expired(): void {
    this.timer = undefined;
    if (this.disposed) return;
    if (this.silentReloads >= this.options.maxReloads) return void this.options.onGiveUp?.();
    this.silentReloads++;
    this.options.reload(this.silentReloads);
    this.expect();
  }

  private stop(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
