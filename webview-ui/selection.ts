/** Selected lines (click, Shift+click, Ctrl/Cmd+click), jumping to the first error, and copying lines. */
import type { Bridge } from './bridge';
import type { Follow } from './follow';
import { formatCount } from './format';
import { LineStore, type Entry } from './lineStore';
import type { LogList } from './logList';
import type { LogModel } from './logModel';
import type { Notices } from './notices';
import type { RenderLoop } from './renderLoop';
import type { Toolbar } from './toolbar';
import type { ViewOptions } from './viewOptions';

export interface SelectionOptions {
  model: LogModel;
  rows: Pick<LogList, 'list' | 'lineOf'>;
  loop: Pick<RenderLoop, 'renderNow'>;
  follow: Pick<Follow, 'reveal'>;
  toolbar: Pick<Toolbar, 'showSelectedCount'>;
  /** Set once built (it needs the level filter, which is built after). */
  levels: () => Pick<ViewOptions, 'showLevel'>;
  bridge: Pick<Bridge, 'copy'>;
  notices: Pick<Notices, 'announce' | 'flash'>;
}

/** The selected lines, by absolute index. */
export class Selection {
  private selected = new Set<number>();
  private anchor = -1;

  constructor(private readonly opts: SelectionOptions) {
    document.addEventListener('copy', (e) => {
      // Ctrl+C with lines selected and no text selection copies the lines.
      const native = window.getSelection();
      if ((native && !native.isCollapsed) || this.selected.size === 0 || isEditable(document.activeElement)) return;
      e.preventDefault();
      void this.copy('selected');
    });
  }

  has(abs: number): boolean {
    return this.selected.has(abs);
  }

  get size(): number {
    return this.selected.size;
  }

  /** The selected lines' absolute indices, in order (Export takes their seq range). */
  selectedLines(): number[] {
    return [...this.selected].sort((a, b) => a - b);
  }

  /** Selects one line and scrolls to it, showing its level if it was hidden (jumps from the error list and Requests). */
  selectLine(abs: number): void {
    this.opts.model.view.sync();
    const entry = this.opts.model.store.at(abs);
    if (entry?.kind === 'log') this.opts.levels().showLevel(entry.level);
    this.selected = new Set([abs]);
    this.anchor = abs;
    this.redraw();
    this.opts.follow.reveal(abs);
    this.opts.loop.renderNow();
  }

  /** Selects by a click on a row: one line, a range (Shift) or one more (Ctrl/Cmd). */
  click(e: MouseEvent, row: Element | null): void {
    const native = window.getSelection();
    if (native && !native.isCollapsed) return; // the user selected text, not lines
    const abs = row ? this.opts.rows.lineOf(row) : undefined;
    if (abs === undefined) return;
    const { view } = this.opts.model;
    if (e.shiftKey && this.anchor >= 0) {
      const a = view.positionAtOrAfter(Math.min(abs, this.anchor));
      const b = view.positionAtOrAfter(Math.max(abs, this.anchor));
      this.selected = new Set();
      for (let p = a; p <= b && p < view.count; p++) this.selected.add(view.rowAt(p));
    } else if (e.ctrlKey || e.metaKey) {
      if (this.selected.has(abs)) this.selected.delete(abs);
      else this.selected.add(abs);
      this.anchor = abs;
    } else {
      this.selected = this.selected.size === 1 && this.selected.has(abs) ? new Set() : new Set([abs]);
      this.anchor = abs;
    }
    this.redraw();
  }

  /** Unselects every line (Escape). */
  clear(): void {
    this.selected.clear();
    this.redraw();
  }

  /** Forgets the selection without drawing (the view is being cleared). */
  reset(): void {
    this.selected.clear();
    this.anchor = -1;
  }

  /** The one selected line, if exactly one is selected. */
  get only(): number | undefined {
    return this.selected.size === 1 ? [...this.selected][0] : undefined;
  }

  /** Selects the first ERROR entry and scrolls to it (showing ERROR lines if they were hidden). */
  jumpToFirstError(): void {
    this.jumpToError('first');
  }

  /**
   * Selects an ERROR entry (its head: an entry counts once) and scrolls to it: the first one, or
   * the next / previous one after the selected line (or the top row), wrapping.
   */
  jumpToError(which: 'first' | 'next' | 'previous'): void {
    const { model, rows, notices } = this.opts;
    model.view.sync();
    const { store, view } = model;
    const isError = (e: Entry, abs: number) => e.kind === 'log' && store.startsEntry(abs) && LineStore.entryLevel(e) === 'ERROR';
    const from =
      this.anchor >= store.start ? this.anchor : view.count > 0 ? view.rowAt(Math.min(rows.list.firstVisible(), view.count - 1)) : -1;
    let abs: number;
    if (which === 'first' || from < 0) abs = store.findFirst(isError);
    else if (which === 'next') {
      abs = store.findFirst(isError, from + 1);
      if (abs < 0) abs = store.findFirst(isError);
    } else {
      abs = store.findLast(isError, from);
      if (abs < 0) abs = store.findLast(isError);
    }
    if (abs < 0) {
      notices.announce('No errors');
      notices.flash('No errors in view');
      return;
    }
    this.opts.levels().showLevel('ERROR');
    this.selected = new Set([abs]);
    this.anchor = abs;
    rows.list.invalidate();
    this.opts.follow.reveal(abs);
    this.opts.loop.renderNow();
    this.opts.toolbar.showSelectedCount(this.selected.size);
    notices.announce(which === 'first' ? 'First error' : which === 'next' ? 'Next error' : 'Previous error');
  }

  /** Copies the selected lines (or the selected text), or every line shown; a collapsed entry copies whole. */
  async copy(which: 'selected' | 'all'): Promise<void> {
    const { model, bridge, notices } = this.opts;
    model.view.sync();
    const { store, view } = model;
    const picked: number[] = [];
    if (which === 'all') {
      for (let p = 0; p < view.count; p++) picked.push(view.rowAt(p));
    } else {
      const native = window.getSelection();
      if (this.selected.size === 0 && native && !native.isCollapsed) {
        const text = native.toString();
        await bridge.copy(text, text.split('\n').length);
        notices.flash('Copied selection');
        return;
      }
      picked.push(...[...this.selected].sort((a, b) => a - b));
    }
    const lines: string[] = [];
    let through = -Infinity;
    for (const abs of picked) {
      if (abs <= through) continue;
      // A collapsed entry's head stands for all of its lines.
      const head = store.at(abs);
      const [from, to] = head?.kind === 'log' && head.block && !view.isExpanded(head.seq) ? store.entryRange(abs) : [abs, abs];
      for (let a = from; a <= to; a++) lines.push(entryText(store.at(a)));
      through = to;
    }
    if (lines.length === 0) {
      notices.flash(which === 'selected' ? 'Select lines first (click a line)' : 'Nothing to copy');
      return;
    }
    await bridge.copy(lines.join('\n'), lines.length);
    notices.flash(`Copied ${formatCount(lines.length)} ${lines.length === 1 ? 'line' : 'lines'}`);
  }

  private redraw(): void {
    this.opts.rows.list.invalidate();
    this.opts.rows.list.render();
    this.opts.toolbar.showSelectedCount(this.selected.size);
  }
}

function entryText(entry: Entry | undefined): string {
  if (!entry) return '';
  return entry.kind === 'log' ? entry.plain : `… ${entry.count} lines not available (${entry.from}–${entry.to})`;
}

/** Whether keys and copy belong to a text field rather than to the log. */
export function isEditable(el: Element | null): boolean {
  return !!el && (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || (el as HTMLElement).isContentEditable);
}
