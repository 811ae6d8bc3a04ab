/**
 * Decides when the page's stream may rest: a page nobody can see (a background tab, a hidden VS Code
 * panel, a minimised window) for `graceMs` is paused, and resumed as soon as it is shown. Browsers
 * allow six connections per host, and each open stream holds one: without this, a seventh tab of
 * the page (or anything else from the host) would wait forever. The grace period keeps a quick
 * look at another tab from costing a reconnect.
 */
import type { Clock } from './clock';

/** How long a hidden page keeps its stream. */
export const HIDDEN_GRACE_MS = 2_000;

export interface HiddenPauseOptions {
  clock: Clock;
  graceMs?: number;
  /** Whether the document is hidden now (`document.hidden`). */
  documentHidden(): boolean;
  /** Subscribes to `visibilitychange`; returns the unsubscribe. */
  onDocumentVisibility(listener: () => void): () => void;
  /** Subscribes to the host's word on the panel's visibility (VS Code); returns the unsubscribe. */
  onHostVisibility(listener: (visible: boolean) => void): () => void;
  pause(): void;
  resume(): void;
}

export class HiddenPause {
  private hostVisible = true;
  private timer: unknown;
  private paused: boolean;
  private readonly unsubscribe: (() => void)[];

  constructor(private readonly opts: HiddenPauseOptions) {
    // A page that loads hidden (a tab opened in the background) waits until it is shown.
    this.paused = opts.documentHidden();
    this.unsubscribe = [
      opts.onDocumentVisibility(() => this.update()),
      opts.onHostVisibility((visible) => {
        this.hostVisible = visible;
        this.update();
      }),
    ];
  }

  /** Whether the stream should be closed now. */
  get isPaused(): boolean {
    return this.paused;
  }

  dispose(): void {
    this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const u of this.unsubscribe.splice(0)) u();
  }

  private get hidden(): boolean {
    return !this.hostVisible || this.opts.documentHidden();
  }

  private update(): void {
    if (!this.hidden) {
      this.opts.clock.clearTimeout(this.timer);
      this.timer = undefined;
      if (this.paused) {
        this.paused = false;
        this.opts.resume();
      }
    } else if (!this.paused && this.timer === undefined) {
      this.timer = this.opts.clock.setTimeout(() => {
        this.timer = undefined;
        if (!this.hidden || this.paused) return;
        this.paused = true;
        this.opts.pause();
      }, this.opts.graceMs ?? HIDDEN_GRACE_MS);
    }
  }
}
