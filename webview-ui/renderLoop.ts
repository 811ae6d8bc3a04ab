/**
 * When the view catches up with the store: once per frame, at least every HIDDEN_FLUSH_MS when
 * frames do not come, and less often while following a flood.
 */
import type { LogModel } from './logModel';
import type { PartialRows } from './partialRows';
import type { RowContext } from './rowView';
import type { VirtualList } from './virtualList';

/** Flush at least this often when frames do not come (hidden panel or tab). */
const HIDDEN_FLUSH_MS = 250;
/**
 * While following a flood (a screenful or more of new lines per frame) nobody can read the rows
 * anyway: repaint at most this often, and leave the main thread to parsing and input.
 */
const FLOOD_RENDER_MS = 100;

/** What a change to the view touches: the lines, the list and how rows are drawn. */
export interface ViewParts {
  model: LogModel;
  list: VirtualList;
  rowCtx: RowContext;
}

export interface RenderLoopOptions extends ViewParts {
  partialRows: PartialRows;
  /** Whether the view follows new lines (only then is a flood throttled). */
  following(): boolean;
  /** Places the rows once new lines are in: at the end, or where the reader was. */
  placeRows(added: number, removed: number, scrollTopBefore: number): void;
  /** Updates what is counted outside the rows (header, toolbar, banner, search). */
  afterRender(): void;
}

/** Batches store changes into renders. */
export class RenderLoop {
  private scheduled = false;
  private dirty = false;
  private lastRenderAt = 0;
  private addedSinceRender = 0;
  private warming = false;
  private rafHandle = 0;
  private timerHandle: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly opts: RenderLoopOptions) {}

  /** Whether changes wait for a render (held back by flood throttling, or not yet framed). */
  get pending(): boolean {
    return this.dirty;
  }

  /** Renders on the next frame (or timer, when hidden). */
  schedule(): void {
    this.dirty = true;
    if (this.scheduled) return;
    this.scheduled = true;
    this.rafHandle = requestAnimationFrame(() => this.flush());
    // rAF does not fire in a hidden panel or tab; keep the view (and memory) current anyway.
    this.timerHandle = setTimeout(() => this.flush(), HIDDEN_FLUSH_MS);
  }

  /** Applies everything now (for user actions that must show within the same frame). */
  renderNow(): void {
    this.dirty = true;
    this.flush(true);
  }

  private flush(force = false): void {
    cancelAnimationFrame(this.rafHandle);
    clearTimeout(this.timerHandle);
    this.scheduled = false;
    if (!this.dirty) return;
    this.dirty = false;

    const { model, list, partialRows, rowCtx } = this.opts;
    const scrollTopBefore = list.scrollTop;
    const { added, removed } = model.view.sync();
    this.addedSinceRender += added;
    const now = performance.now();
    if (!force && this.opts.following() && this.addedSinceRender >= list.pageRows && now - this.lastRenderAt < FLOOD_RENDER_MS) {
      // Flood: render on a later flush; the store and index are already current.
      this.dirty = true;
      this.scheduled = true;
      this.timerHandle = setTimeout(() => this.flush(), FLOOD_RENDER_MS - (now - this.lastRenderAt));
      return;
    }
    this.lastRenderAt = now;
    this.addedSinceRender = 0;
    list.setCount(model.view.count + partialRows.count);
    this.opts.placeRows(added, removed, scrollTopBefore);
    if (model.view.takeRegrown()) list.invalidate();
    if (rowCtx.currentMatchAbs !== model.view.currentMatchAbs) {
      rowCtx.currentMatchAbs = model.view.currentMatchAbs;
      list.invalidate();
    }
    list.render();
    this.opts.afterRender();
    this.scheduleSearchWarmup();
  }

  /** In idle time, prepares new lines for search so that the first search on a big log is quick. */
  private scheduleSearchWarmup(): void {
    if (this.warming) return;
    this.warming = true;
    const run = (timeLeft: () => number) => {
      if (this.opts.model.store.warmSearch(timeLeft)) this.warming = false;
      else idle(run);
    };
    idle(run);
  }
}

/** requestIdleCallback where there is one (Chromium, Firefox), else a short timer slice. */
function idle(fn: (timeLeft: () => number) => void): void {
  if (typeof requestIdleCallback === 'function') {
    requestIdleCallback((deadline) => fn(() => deadline.timeRemaining()), { timeout: 2000 });
  } else {
    setTimeout(() => {
      const end = performance.now() + 5;
      fn(() => end - performance.now());
    }, 50);
  }
}
