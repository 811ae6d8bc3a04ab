/**
 * Fixed-height virtual rows: only the rows in view plus an overscan live in the DOM, recycled by
 * key, so the DOM stays a few hundred nodes whatever the line count.
 */

export interface VirtualListOptions {
  /** The scrolling element; the list adds its canvas inside. */
  scroller: HTMLElement;
  rowHeight: number;
  /** Rows rendered beyond each edge of the view. */
  overscan: number;
  /** Hard cap on DOM rows, whatever the viewport height. */
  maxRows: number;
  /** Stable identity of the row at a position (the store's absolute index). */
  keyOf(position: number): number;
  /** Fills a (new or recycled) row element for a position. */
  renderRow(el: HTMLElement, position: number): void;
}

interface RowState {
  key: number;
  version: number;
  top: number;
}

export class VirtualList {
  readonly canvas: HTMLElement;
  private count = 0;
  private version = 0;
  private rows = new Map<number, HTMLElement>();
  private readonly state = new WeakMap<HTMLElement, RowState>();
  private viewportHeight = 0;

  constructor(private readonly opts: VirtualListOptions) {
    this.canvas = document.createElement('div');
    this.canvas.className = 'canvas';
    opts.scroller.append(this.canvas);
    this.viewportHeight = opts.scroller.clientHeight;
    new ResizeObserver(() => {
      this.viewportHeight = opts.scroller.clientHeight;
      this.render();
    }).observe(opts.scroller);
  }

  get rowHeight(): number {
    return this.opts.rowHeight;
  }

  get rowCount(): number {
    return this.count;
  }

  /** Rows currently in the DOM. */
  get domRowCount(): number {
    return this.rows.size;
  }

  /** Sets the number of rows (the canvas height). */
  setCount(count: number): void {
    if (count === this.count) return;
    this.count = count;
    this.canvas.style.height = `${count * this.opts.rowHeight}px`;
  }

  /** Makes every row re-render its content on the next `render()` (search, selection changed). */
  invalidate(): void {
    this.version++;
  }

  get maxScrollTop(): number {
    return Math.max(0, this.count * this.opts.rowHeight - this.viewportHeight);
  }

  get scrollTop(): number {
    return this.opts.scroller.scrollTop;
  }

  set scrollTop(value: number) {
    this.opts.scroller.scrollTop = Math.max(0, Math.min(value, this.maxScrollTop));
  }

  /** Whether the view shows the last row (within half a row). */
  isAtBottom(): boolean {
    return this.opts.scroller.scrollTop >= this.maxScrollTop - this.opts.rowHeight / 2;
  }

  /** First fully or partly visible row position. */
  firstVisible(): number {
    return Math.floor(this.opts.scroller.scrollTop / this.opts.rowHeight);
  }

  /** Number of rows that fit in the view. */
  get pageRows(): number {
    return Math.max(1, Math.floor(this.viewportHeight / this.opts.rowHeight));
  }

  /** Scrolls so that `position` is in view (centred when it was not). */
  reveal(position: number): void {
    const rh = this.opts.rowHeight;
    const top = position * rh;
    const st = this.opts.scroller.scrollTop;
    if (top >= st && top + rh <= st + this.viewportHeight) return;
    this.scrollTop = top - Math.floor((this.viewportHeight - rh) / 2);
  }

  /** Puts the rows in view into the DOM, reusing elements whose key is still in view. */
  render(): void {
    const { rowHeight: rh, overscan, maxRows } = this.opts;
    const scrollTop = Math.min(this.opts.scroller.scrollTop, this.maxScrollTop);
    let first = Math.max(0, Math.floor(scrollTop / rh) - overscan);
    let last = Math.min(this.count, Math.ceil((scrollTop + this.viewportHeight) / rh) + overscan);
    if (last - first > maxRows) {
      first = Math.max(0, Math.floor(scrollTop / rh) - Math.floor((maxRows - this.pageRows) / 2));
      last = Math.min(this.count, first + maxRows);
    }

    const next = new Map<number, HTMLElement>();
    const todo: number[] = [];
    for (let p = first; p < last; p++) {
      const key = this.opts.keyOf(p);
      const el = this.rows.get(key);
      if (el) {
        this.rows.delete(key);
        next.set(key, el);
        this.place(el, key, p);
      } else {
        todo.push(p);
      }
    }
    const free = [...this.rows.values()];
    for (const p of todo) {
      const key = this.opts.keyOf(p);
      let el = free.pop();
      if (!el) {
        el = document.createElement('div');
        this.canvas.append(el);
      }
      this.state.delete(el);
      next.set(key, el);
      this.place(el, key, p);
    }
    for (const el of free) el.remove();
    this.rows = next;
  }

  private place(el: HTMLElement, key: number, position: number): void {
    const top = position * this.opts.rowHeight;
    const s = this.state.get(el);
    if (!s || s.key !== key || s.version !== this.version) {
      this.opts.renderRow(el, position);
      this.state.set(el, { key, version: this.version, top: -1 });
    }
    const st = this.state.get(el)!;
    if (st.top !== top) {
      el.style.transform = `translateY(${top}px)`;
      st.top = top;
    }
  }
}
