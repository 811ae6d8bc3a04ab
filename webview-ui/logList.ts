/**
 * The log's rows: a virtual list over the filtered lines and, after them, the partial rows, with
 * what each drawn row stands for (its line, its links) for the click handlers.
 */
import type { Bridge } from './bridge';
import { h } from './dom';
import type { Link } from './links';
import type { LogModel } from './logModel';
import type { PartialRows } from './partialRows';
import { decorate } from './rowDecor';
import { renderRow, type RowContext } from './rowView';
import { VirtualList } from './virtualList';

const OVERSCAN = 10;
const MAX_DOM_ROWS = 400;

/** The scrolling element the rows live in (it must be in the page before LogList measures rows). */
export function createScroller(): HTMLElement {
  return h('div', {
    class: 'scroller',
    role: 'log',
    'aria-label': 'Log output',
    // Rows are recycled as you scroll: announcing them would be noise. The status region speaks instead.
    'aria-live': 'off',
    tabindex: '0',
  });
}

export interface LogListOptions {
  root: HTMLElement;
  scroller: HTMLElement;
  model: LogModel;
  partialRows: PartialRows;
  bridge: Pick<Bridge, 'mode' | 'canOpenLocations'>;
  isSelected(abs: number): boolean;
}

/** The virtual list and the row context it draws with. */
export class LogList {
  readonly list: VirtualList;
  /** Query, current match and selection as rows show them; updated by search and selection. */
  readonly rowCtx: RowContext;
  /** Structured lines shown raw (their `{}` button pressed), by absolute index. */
  readonly rawRows = new Set<number>();
  private readonly rowAbs = new WeakMap<Element, number>();
  private readonly linkTargets = new WeakMap<Element, Link>();

  constructor({ root, scroller, model, partialRows, bridge, isSelected }: LogListOptions) {
    const rowHeight = measureRowHeight(scroller);
    root.style.setProperty('--ph-row-height', `${rowHeight}px`);
    this.rowCtx = {
      query: '',
      locations: bridge.canOpenLocations,
      mode: bridge.mode,
      isSelected,
      currentMatchAbs: -1,
      links: this.linkTargets,
      decorate: (abs, entry) => decorate(model.store, abs, entry, (seq) => model.view.isExpanded(seq)),
      showRaw: (abs) => this.rawRows.has(abs),
    };
    this.list = new VirtualList({
      scroller,
      rowHeight,
      overscan: OVERSCAN,
      maxRows: MAX_DOM_ROWS,
      // Positions past the filtered lines are the partial rows, always last.
      keyOf: (p) => (p < model.view.count ? model.view.rowAt(p) : partialRows.keyAt(p - model.view.count)),
      renderRow: (el, p) => {
        if (p >= model.view.count) {
          this.rowAbs.delete(el); // not a line: nothing to select
          partialRows.render(el, p - model.view.count, this.rowCtx);
          return;
        }
        const abs = model.view.rowAt(p);
        this.rowAbs.set(el, abs);
        renderRow(el, model.store.at(abs), abs, this.rowCtx);
      },
    });
  }

  /** The line (absolute index) a drawn row shows; undefined for a partial row. */
  lineOf(row: Element): number | undefined {
    return this.rowAbs.get(row);
  }

  /** Where a drawn link points. */
  linkOf(anchor: Element): Link | undefined {
    return this.linkTargets.get(anchor);
  }
}

/** The row height, from the log font's size (rows must all be this tall for virtualization). */
function measureRowHeight(scroller: HTMLElement): number {
  const probe = h('div', { class: 'row probe' }, h('span', { class: 'msg' }, 'Mg'));
  scroller.append(probe);
  const height = Math.ceil(probe.getBoundingClientRect().height);
  probe.remove();
  return height >= 8 && height <= 100 ? height : 18;
}
