/**
 * Follow or pause: the view sticks to the newest line until the reader scrolls up, and then keeps
 * their place, counting new lines on the "↓ N new lines" button.
 */
import { h, setText } from './dom';
import { formatCount } from './format';
import type { LogModel } from './logModel';
import type { RenderLoop } from './renderLoop';
import type { VirtualList } from './virtualList';

export interface FollowOptions {
  scroller: HTMLElement;
  list: VirtualList;
  model: LogModel;
  loop: Pick<RenderLoop, 'pending' | 'renderNow'>;
  announce(text: string): void;
  /** The view holds older lines without the live tail (scrolled back): following first brings the newest back. */
  detached?(): boolean;
  toNewest?(): void;
}

/** The follow state, its button and the scroll input that changes it. */
export class Follow {
  readonly newLinesButton = h('button', { type: 'button', class: 'new-lines', hidden: true });
  private on = true;
  private newCount = 0;

  constructor(private readonly opts: FollowOptions) {
    const { scroller, list } = opts;
    new ResizeObserver(() => {
      if (this.on) list.scrollTop = list.maxScrollTop;
    }).observe(scroller);
    scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
    scroller.addEventListener(
      'wheel',
      (e) => {
        if (e.deltaY < 0 && this.on && list.maxScrollTop > 0) this.set(false);
      },
      { passive: true },
    );
    scroller.addEventListener('keydown', (e) => {
      if (['ArrowUp', 'PageUp', 'Home'].includes(e.key) && this.on && list.maxScrollTop > 0) this.set(false);
      if (e.key === 'Home') {
        list.scrollTop = 0;
        e.preventDefault();
      }
    });
    this.newLinesButton.addEventListener('click', () => {
      this.set(true);
      scroller.focus();
    });
  }

  /** Whether the view sticks to the newest line. */
  get following(): boolean {
    return this.on;
  }

  /** Lines that arrived while paused. */
  get newLines(): number {
    return this.newCount;
  }

  /** Follows (applying held-back lines) or pauses. */
  set(on: boolean, announce = true): void {
    if (on) {
      if (this.opts.detached?.()) this.opts.toNewest?.();
      this.on = true;
      this.newCount = 0;
      this.opts.loop.renderNow(); // applies held-back lines, then scrolls to the bottom
      if (announce) this.opts.announce('Following new lines');
    } else if (this.on) {
      this.on = false;
      this.newCount = 0;
      if (announce) this.opts.announce('Paused. Press End to follow new lines.');
    }
    this.updateButton();
  }

  /** Back to following with nothing counted (the view was cleared); the caller renders. */
  reset(): void {
    this.on = true;
    this.newCount = 0;
  }

  /** After new lines are in: to the end when following, else keep the lines being read in place. */
  placeRows(added: number, removed: number, scrollTopBefore: number): void {
    const { list } = this.opts;
    if (this.on) {
      list.scrollTop = list.maxScrollTop;
    } else {
      this.newCount += added;
      // Rows left at the top: keep the lines being read where they are.
      if (removed > 0) list.scrollTop = scrollTopBefore - removed * list.rowHeight;
    }
  }

  /** Pauses follow and scrolls an entry into view. */
  reveal(abs: number): void {
    const { model, list } = this.opts;
    const position = model.view.positionOf(abs);
    if (position < 0) return;
    this.set(false, false);
    list.setCount(model.view.count);
    list.reveal(position);
  }

  /** Shows the button while paused, with the count of new lines. */
  updateButton(): void {
    const show = !this.on;
    this.newLinesButton.hidden = !show;
    if (show) {
      setText(
        this.newLinesButton,
        this.newCount > 0 ? `↓ ${formatCount(this.newCount)} new ${this.newCount === 1 ? 'line' : 'lines'}` : '↓ Follow',
      );
    }
  }

  private onScroll(): void {
    const { list, loop } = this.opts;
    const atBottom = list.isAtBottom();
    if (this.on) {
      // Our own scroll to the end (every flush makes one): the rows are already rendered.
      if (atBottom) return;
      this.set(false);
    } else if (atBottom && !this.opts.detached?.()) {
      this.set(true, false);
      return;
    }
    // Lines held back by flood throttling are applied before rows are laid out again.
    if (loop.pending) loop.renderNow();
    else list.render();
  }
}
