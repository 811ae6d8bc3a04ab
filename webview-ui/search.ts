/** The search bar: a query that marks matching rows, stepping from match to match, and the match count. */
import { h } from './dom';
import { formatCount } from './format';
import type { Follow } from './follow';
import type { RenderLoop, ViewParts } from './renderLoop';

export interface SearchBarOptions extends ViewParts {
  loop: Pick<RenderLoop, 'renderNow'>;
  follow: Pick<Follow, 'reveal'>;
  /** Gets the focus back when the bar closes. */
  scroller: HTMLElement;
  announce(text: string): void;
}

/** The bar's elements and the search they drive. */
export class SearchBar {
  readonly element = h('div', { class: 'searchbar', role: 'search', hidden: true });
  private readonly input = h('input', {
    type: 'text',
    class: 'search-input',
    placeholder: 'Find',
    'aria-label': 'Find in log',
    spellcheck: 'false',
  });
  private readonly count = h('span', { class: 'search-count', 'aria-live': 'off' });

  constructor(private readonly opts: SearchBarOptions) {
    const prev = h('button', { type: 'button', class: 'tool', title: 'Previous match (Shift+Enter)', 'aria-label': 'Previous match' }, '↑');
    const next = h('button', { type: 'button', class: 'tool', title: 'Next match (Enter)', 'aria-label': 'Next match' }, '↓');
    const close = h('button', { type: 'button', class: 'tool', title: 'Close (Esc)', 'aria-label': 'Close search' }, '✕');
    prev.addEventListener('click', () => this.step(-1));
    next.addEventListener('click', () => this.step(1));
    close.addEventListener('click', () => this.close());
    this.element.append(this.input, this.count, prev, next, close);
    this.input.addEventListener('input', () => this.apply(this.input.value));
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.step(e.shiftKey ? -1 : 1);
      }
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** Shows the bar with the query selected, ready to type over. */
  open(): void {
    this.element.hidden = false;
    this.input.focus();
    this.input.select();
  }

  /** Hides the bar and drops the query. */
  close(): void {
    this.element.hidden = true;
    if (this.opts.model.view.query) this.apply('');
    this.opts.scroller.focus();
  }

  /** Goes to the next (1) or previous (-1) match. */
  step(direction: 1 | -1): void {
    if (this.element.hidden) this.element.hidden = false;
    const { model, list, rowCtx } = this.opts;
    const position = model.view.step(direction);
    if (position < 0) return;
    rowCtx.currentMatchAbs = model.view.currentMatchAbs;
    list.invalidate();
    this.opts.follow.reveal(model.view.currentMatchAbs);
    this.opts.loop.renderNow();
    this.updateCount(true);
  }

  /** Shows "N of M" (or "No results"); `announce` also says it. */
  updateCount(announce = false): void {
    const { view } = this.opts.model;
    const n = view.matchCount;
    const text = !view.query ? '' : n === 0 ? 'No results' : `${formatCount(view.currentMatch + 1)} of ${formatCount(n)}`;
    if (this.count.textContent !== text) this.count.textContent = text;
    this.element.classList.toggle('no-results', !!view.query && n === 0);
    if (announce && text) this.opts.announce(n === 0 ? 'No results' : `Match ${text}`);
  }

  private apply(query: string): void {
    const { model, list, rowCtx } = this.opts;
    model.view.sync();
    model.view.setQuery(query, list.firstVisible());
    rowCtx.query = model.view.query;
    rowCtx.currentMatchAbs = model.view.currentMatchAbs;
    list.invalidate();
    if (model.view.currentMatch >= 0) this.opts.follow.reveal(model.view.currentMatchAbs);
    this.opts.loop.renderNow();
    this.updateCount(true);
  }
}
