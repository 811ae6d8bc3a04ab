/**
 * What the reader does to entries and structured lines: expand or collapse an entry (its ▸ button,
 * or → / ← / Enter on its selected line) and switch a structured line between fields and the raw
 * text (its `{}` button). The entry's head stays where it was on screen.
 */
import type { Follow } from './follow';
import type { LogList } from './logList';
import type { LogModel } from './logModel';
import type { RenderLoop } from './renderLoop';

export interface EntryActionsOptions {
  model: LogModel;
  rows: Pick<LogList, 'list' | 'lineOf' | 'rawRows'>;
  loop: Pick<RenderLoop, 'renderNow'>;
  follow: Pick<Follow, 'set' | 'following'>;
  announce(text: string): void;
}

export class EntryActions {
  constructor(private readonly opts: EntryActionsOptions) {}

  /** Handles a click on a row's ▸ or `{}` button; false when the click was not on one. */
  click(target: Element): boolean {
    const toggle = target.closest('.entry-toggle');
    const raw = target.closest('.raw-toggle');
    if (!toggle && !raw) return false;
    const row = target.closest('.row');
    const abs = row ? this.opts.rows.lineOf(row) : undefined;
    if (abs === undefined) return true;
    if (toggle) this.toggle(abs);
    else this.toggleRaw(abs);
    return true;
  }

  /** → expands, ← collapses, Enter toggles the entry of the line at `abs`; false for other keys. */
  key(e: KeyboardEvent, abs: number): boolean {
    const expand = e.key === 'ArrowRight' ? true : e.key === 'ArrowLeft' ? false : e.key === 'Enter' ? undefined : null;
    if (expand === null) return false;
    const head = this.opts.model.store.headOf(abs);
    if (!head?.block) return false;
    this.toggle(head.headAbs, expand);
    return true;
  }

  /** Expands (true), collapses (false) or toggles the entry headed at `headAbs`. */
  toggle(headAbs: number, expand?: boolean): void {
    const { model, rows, loop, follow } = this.opts;
    const { view } = model;
    const { list } = rows;
    view.sync();
    const head = model.store.at(headAbs);
    if (head?.kind !== 'log' || !head.block) return;
    const was = view.isExpanded(head.seq);
    if (expand === was) return;
    const offset = view.positionOf(headAbs) * list.rowHeight - list.scrollTop;
    // Reading an entry: the view must not jump to the newest line under the reader.
    if (follow.following) follow.set(false, false);
    view.toggleEntry(headAbs, expand);
    list.setCount(view.count);
    list.scrollTop = view.positionOf(headAbs) * list.rowHeight - offset;
    list.invalidate();
    loop.renderNow();
    this.opts.announce(was ? 'Entry collapsed' : `Entry expanded: ${head.block.lastAbs - headAbs + 1} lines`);
  }

  private toggleRaw(abs: number): void {
    const { rawRows, list } = this.opts.rows;
    if (rawRows.has(abs)) rawRows.delete(abs);
    else rawRows.add(abs);
    list.invalidate();
    list.render();
  }
}
