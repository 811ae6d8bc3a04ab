/**
 * The Requests view: the run's access-log records as a sortable table (time, method, path,
 * status, duration) over the log, filtered by status class, virtual like the log itself so
 * 100 000 requests stay a few dozen DOM rows. A click (or Enter) on a row shows its line in the log.
 * A summary (count, 4xx, 5xx, p50/p95) goes in the header.
 */
import { h, setText } from './dom';
import { formatCount, formatTime } from './format';
import {
  formatMs,
  REQUEST_COLUMNS,
  statusClass,
  STATUS_CLASSES,
  type RequestColumn,
  type RequestSort,
  type RequestSummary,
  type RequestTable,
  type StatusClass,
} from './requestTable';
import { VirtualList } from './virtualList';

export interface RequestsViewOptions {
  table: RequestTable;
  /** The log's row height, asked when the table is first shown (the log has measured it by then). */
  rowHeight(): number;
  /** Shows the line with this seq in the log (the view has closed by then). */
  jump(seq: number): void;
  /** The view opened or closed. */
  onToggle(open: boolean): void;
  announce(text: string): void;
}

const COLUMN_LABELS: Record<RequestColumn, string> = {
  time: 'Time',
  method: 'Method',
  path: 'Path',
  status: 'Status',
  duration: 'Duration',
};

export class RequestsView {
  readonly element = h('section', { class: 'requests-view', 'aria-label': 'Requests', hidden: true });
  /** The toolbar's switch between the log and this view. */
  readonly toggleButton = h(
    'button',
    { type: 'button', class: 'tool requests-toggle', 'aria-pressed': 'false', title: 'Show the requests of this run as a table' },
    'Requests',
  );
  /** The header's summary; a click opens the view. */
  readonly summaryButton = h('button', { type: 'button', class: 'requests-summary', hidden: true, title: 'Show the Requests view' });
  private readonly classButtons = new Map<StatusClass | 'all', HTMLButtonElement>();
  private readonly headers = new Map<RequestColumn, HTMLElement>();
  private readonly shownEl = h('span', { class: 'req-shown' });
  private readonly emptyEl = h('div', { class: 'req-empty', hidden: true });
  private readonly problemEl = h('span', { class: 'req-problem', role: 'alert', hidden: true });
  private readonly scroller = h('div', { class: 'req-scroller', role: 'rowgroup', tabindex: '0' });
  private listOrUndefined: VirtualList | undefined;
  private sort: RequestSort = { column: 'time', direction: 'asc' };
  private readonly classes = new Set<StatusClass>();
  private order: Uint32Array = new Uint32Array(0);
  /** Rows are rebuilt when the records changed since the last build (cheap to ask, done once open). */
  private builtSize = -1;

  constructor(private readonly opts: RequestsViewOptions) {
    const bar = h('div', { class: 'req-bar', role: 'toolbar', 'aria-label': 'Request filters' });
    const back = h('button', { type: 'button', class: 'tool', title: 'Back to the log (Esc)' }, '← Log');
    back.addEventListener('click', () => this.close());
    bar.append(back, h('span', { class: 'req-sep' }));
    for (const cls of ['all', ...STATUS_CLASSES] as const) {
      const label = cls === 'all' ? 'All' : `${cls}xx`;
      const title = cls === 'all' ? 'Show every status' : `Show ${cls}xx responses (with the other classes pressed)`;
      const b = h('button', { type: 'button', class: `tool req-class rc-${cls}`, 'aria-pressed': 'false', title }, label);
      b.addEventListener('click', () => this.toggleClass(cls));
      this.classButtons.set(cls, b);
      bar.append(b);
    }
    bar.append(h('span', { class: 'spacer' }), this.problemEl, this.shownEl);

    const head = h('div', { class: 'req-row req-head', role: 'row' });
    for (const column of REQUEST_COLUMNS) {
      const b = h('button', { type: 'button', class: `req-sort c-${column}`, title: `Sort by ${COLUMN_LABELS[column].toLowerCase()}` });
      b.addEventListener('click', () => this.sortBy(column));
      const cell = h('div', { class: `req-cell c-${column}`, role: 'columnheader', 'data-column': column }, b);
      this.headers.set(column, cell);
      head.append(cell);
    }
    const table = h('div', { class: 'req-table', role: 'table', 'aria-label': 'Requests of this run' }, head, this.scroller, this.emptyEl);
    this.element.append(bar, table);

    this.scroller.addEventListener('click', (e) => {
      const row = (e.target as Element).closest<HTMLElement>('.req-row');
      if (row?.dataset.seq) this.jump(Number(row.dataset.seq));
    });
    this.scroller.addEventListener('keydown', (e) => {
      const row = (e.target as Element).closest<HTMLElement>('.req-row');
      if (e.key === 'Enter' && row?.dataset.seq) this.jump(Number(row.dataset.seq));
    });
    this.scroller.addEventListener('scroll', () => this.listOrUndefined?.render(), { passive: true });
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.close();
      }
    });
    this.summaryButton.addEventListener('click', () => this.open());
    this.toggleButton.addEventListener('click', () => this.toggle());
    this.showControls();
  }

  /** The table's virtual rows, made when first needed. */
  private get list(): VirtualList {
    this.listOrUndefined ??= new VirtualList({
      scroller: this.scroller,
      rowHeight: this.opts.rowHeight(),
      overscan: 8,
      maxRows: 200,
      keyOf: (p) => this.order[p]!,
      renderRow: (el, p) => this.renderRow(el, this.order[p]!),
    });
    return this.listOrUndefined;
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  open(): void {
    if (this.isOpen) return;
    this.element.hidden = false;
    this.toggleButton.setAttribute('aria-pressed', 'true');
    this.opts.onToggle(true);
    this.builtSize = -1;
    this.update();
    this.scroller.focus();
    this.opts.announce(`Requests: ${this.shownEl.textContent ?? ''}`);
  }

  close(): void {
    if (!this.isOpen) return;
    this.element.hidden = true;
    this.toggleButton.setAttribute('aria-pressed', 'false');
    this.opts.onToggle(false);
  }

  /** After records arrived or were cleared: the header's summary, and the rows when open. */
  update(): void {
    this.showSummary(this.opts.table.summary());
    if (this.isOpen && this.builtSize !== this.opts.table.size) this.rebuild();
  }

  /** Says the list could not be read (cleared by the next successful read). */
  showProblem(text: string | undefined): void {
    this.problemEl.hidden = !text;
    setText(this.problemEl, text ?? '');
  }

  /** The rows shown, top to bottom, as the table orders them (tests read it). */
  shownSeqs(): number[] {
    return [...this.order].map((i) => this.opts.table.at(i)!.seq);
  }

  private jump(seq: number): void {
    this.close();
    this.opts.jump(seq);
  }

  private sortBy(column: RequestColumn): void {
    const direction = this.sort.column === column && this.sort.direction === 'asc' ? 'desc' : 'asc';
    this.sort = { column, direction };
    this.showControls();
    this.rebuild(true);
    this.opts.announce(`Sorted by ${COLUMN_LABELS[column].toLowerCase()}, ${direction === 'asc' ? 'ascending' : 'descending'}`);
  }

  /** "All" clears the filter; a class adds itself to the classes shown, or leaves them. */
  private toggleClass(cls: StatusClass | 'all'): void {
    if (cls === 'all') this.classes.clear();
    else if (this.classes.has(cls)) this.classes.delete(cls);
    else this.classes.add(cls);
    this.showControls();
    this.rebuild(true);
  }

  /** Orders the rows again; the view keeps to the end when it was there (new requests come in view). */
  private rebuild(toTop = false): void {
    const { table } = this.opts;
    const wasAtBottom = this.list.rowCount > 0 && this.list.isAtBottom();
    this.order = table.order(this.sort, this.classes);
    this.builtSize = table.size;
    this.list.setCount(this.order.length);
    this.list.invalidate();
    if (toTop) this.list.scrollTop = 0;
    else if (wasAtBottom) this.list.scrollTop = this.list.maxScrollTop;
    this.list.render();
    const total = table.size;
    setText(
      this.shownEl,
      this.order.length === total
        ? `${formatCount(total)} ${total === 1 ? 'request' : 'requests'}`
        : `${formatCount(this.order.length)} of ${formatCount(total)} requests`,
    );
    this.emptyEl.hidden = this.order.length > 0;
    setText(this.emptyEl, total === 0 ? 'No requests logged in this run yet.' : 'No request of the chosen status classes.');
    this.element.setAttribute('aria-rowcount', String(this.order.length + 1));
  }

  private renderRow(el: HTMLElement, index: number): void {
    const r = this.opts.table.at(index)!;
    el.className = `req-row sc-${statusClass(r.status)}xx`;
    el.setAttribute('role', 'row');
    el.tabIndex = 0;
    el.dataset.seq = String(r.seq);
    el.title = `Line ${r.seq}: click to show it in the log`;
    const cells: [RequestColumn, string][] = [
      ['time', formatTime(r.ts)],
      ['method', r.method],
      ['path', r.path],
      ['status', String(r.status)],
      ['duration', r.durationMs == null ? '' : formatMs(r.durationMs)],
    ];
    // Text only, never HTML: paths come from the log.
    el.replaceChildren(...cells.map(([column, text]) => h('span', { class: `req-cell c-${column}`, role: 'cell', text })));
  }

  private showControls(): void {
    for (const [column, cell] of this.headers) {
      const sorted = this.sort.column === column;
      cell.setAttribute('aria-sort', sorted ? (this.sort.direction === 'asc' ? 'ascending' : 'descending') : 'none');
      const arrow = sorted ? (this.sort.direction === 'asc' ? ' ▲' : ' ▼') : '';
      setText(cell.firstElementChild as HTMLElement, `${COLUMN_LABELS[column]}${arrow}`);
    }
    for (const [cls, b] of this.classButtons) {
      b.setAttribute('aria-pressed', String(cls === 'all' ? this.classes.size === 0 : this.classes.has(cls)));
    }
  }

  private showSummary(s: RequestSummary): void {
    this.summaryButton.hidden = s.count === 0;
    const parts = [`${formatCount(s.count)} ${s.count === 1 ? 'request' : 'requests'}`];
    parts.push(`${formatCount(s.client4xx)} 4xx`, `${formatCount(s.server5xx)} 5xx`);
    if (s.p50Ms !== undefined && s.p95Ms !== undefined) parts.push(`p50 ${formatMs(s.p50Ms)}`, `p95 ${formatMs(s.p95Ms)}`);
    setText(this.summaryButton, parts.join(' · '));
    this.summaryButton.classList.toggle('has-5xx', s.server5xx > 0);
  }
}
