/**
 * The views over the run as events rather than lines: the error summary in the header, the
 * Requests view over the log and Export. Builds them, keeps them fed from the host (throttled,
 * as lines arrive) and jumps from them to a line of the log. The app adds their elements and
 * tells this what happened (a frame, a new run, a reconnect).
 */
import type { Clock } from '../src/shared/clock';
import type { PreviewInfo, RequestRecord } from '../src/shared/protocol';
import type { TerminalConfig } from '../src/shared/webviewProtocol';
import type { Bridge } from './bridge';
import { pageClock } from './clock';
import { ErrorSummaryView } from './errorSummary';
import { ExportView } from './exportView';
import type { LogModel } from './logModel';
import type { Notices } from './notices';
import { RequestsView } from './requestsView';
import { RequestTable } from './requestTable';
import { RunApi } from './runApi';
import type { Selection } from './selection';
import { findSeq, missingText } from './seqJump';
import type { StatusHeader } from './statusHeader';
import { Throttle } from './throttle';
import type { Toolbar } from './toolbar';

export interface RunViewsOptions {
  config(): TerminalConfig;
  model: LogModel;
  /** Built after this (it needs the rows). */
  selection(): Pick<Selection, 'selectLine' | 'selectedLines'>;
  notices: Pick<Notices, 'announce' | 'flash'>;
  bridge: Pick<Bridge, 'mode' | 'saveExport'>;
  /** The log's row height (the table's rows are as tall); asked when the table is first shown. */
  rowHeight(): number;
  /** Timers (tests drive them); the page's by default. */
  clock?: Clock;
}

/**
 * Requests asked for per call: a flood of access lines brings ~100 000 in 2 s, whose JSON (parsed
 * in one task) and table update took ~450 ms at once; pages of this many take ~15 ms each.
 */
export const REQUESTS_PAGE = 5_000;
/** How often the request list is asked for while lines arrive... */
const REQUESTS_EVERY_MS = 2000;
/** ...and, from a host that sends the whole list each time (no `after=`), 1 s more per 10 000 requests. */
const WHOLE_LIST_MS_PER_REQUEST = 0.1;

export class RunViews {
  readonly api: RunApi;
  readonly errors: ErrorSummaryView;
  readonly requests: RequestsView;
  readonly exporter: ExportView;
  private readonly table = new RequestTable();
  private readonly requestRefresh: Throttle;
  private seenSeq = -1;
  private generation = 0;
  /** Whether the host sent requests we had asked to skip (it does not page by `after`). */
  private wholeLists = false;

  constructor(private readonly opts: RunViewsOptions) {
    const clock = opts.clock ?? pageClock;
    const announce = (text: string) => opts.notices.announce(text);
    const jump = (seq: number) => this.jumpToSeq(seq);
    this.api = new RunApi(opts.config);
    this.errors = new ErrorSummaryView({ api: this.api, clock, jump, announce });
    this.requests = new RequestsView({
      table: this.table,
      rowHeight: opts.rowHeight,
      jump,
      announce,
      onToggle: (open) => {
        if (open) this.requestRefresh.request();
      },
    });
    this.exporter = new ExportView({
      api: this.api,
      bridge: opts.bridge,
      announce,
      view: () => {
        const { store, view } = opts.model;
        const selectedSeqs: number[] = [];
        for (const abs of opts.selection().selectedLines()) {
          const e = store.at(abs);
          if (e?.kind === 'log') selectedSeqs.push(e.seq);
        }
        return { shownLevels: view.shownLevels, query: view.query, selectedSeqs };
      },
    });
    this.requestRefresh = new Throttle(
      () => this.loadRequests(),
      () => REQUESTS_EVERY_MS + (this.wholeLists ? this.table.size * WHOLE_LIST_MS_PER_REQUEST : 0),
      clock,
    );
  }

  /** Puts the parts in the page: summaries in the header, tools in the toolbar, the table over the log. */
  mount(at: {
    root: HTMLElement;
    viewport: HTMLElement;
    header: Pick<StatusHeader, 'addItems'>;
    toolbar: Pick<Toolbar, 'addTools'>;
  }): void {
    at.header.addItems(this.errors.button, this.requests.summaryButton);
    at.toolbar.addTools(this.requests.toggleButton, this.exporter.button);
    at.viewport.append(this.requests.element);
    at.root.append(this.errors.popover, this.exporter.panel);
  }

  /** After each frame: new lines may bring requests and errors. */
  afterRender(): void {
    const { store } = this.opts.model;
    this.errors.noteErrorCount(store.levelCounts.ERROR);
    if (store.lastSeq !== this.seenSeq) {
      this.seenSeq = store.lastSeq;
      this.requestRefresh.request();
    }
    if (this.exporter.isOpen) this.exporter.showScope();
  }

  /** The preview's details: once they say which run this is, ask again what earlier asks could not find. */
  setPreview(info: PreviewInfo): void {
    if (this.api.setPreview(info)) this.reload();
  }

  /** Another run is shown: forget the last one's errors and requests. */
  reset(): void {
    this.generation++;
    this.api.reset();
    this.table.clear();
    this.requestRefresh.reset();
    this.seenSeq = -1;
    this.wholeLists = false;
    this.errors.reset();
    this.requests.update();
  }

  /** Back after a reconnect: the host may have more to say. */
  reload(): void {
    this.errors.reload();
    this.requestRefresh.request();
  }

  dispose(): void {
    this.requestRefresh.dispose();
    this.errors.dispose();
  }

  /** Shows the line with `seq` selected in the log, or says why it cannot. */
  jumpToSeq(seq: number): void {
    this.requests.close();
    const place = findSeq(this.opts.model.store, seq);
    if ('abs' in place) {
      this.opts.selection().selectLine(place.abs);
      this.opts.notices.announce(`Line ${seq}`);
    } else {
      this.opts.notices.flash(missingText(seq, place.missing));
    }
  }

  private async loadRequests(): Promise<void> {
    const generation = this.generation;
    // Page by page, each its own task; a host that does not page (no `limit`) sends all at once.
    for (;;) {
      let records: RequestRecord[];
      const after = this.table.lastSeq;
      try {
        records = await this.api.requests(after, REQUESTS_PAGE);
      } catch (err) {
        if (generation === this.generation) this.requests.showProblem(`Could not read the requests: ${(err as Error).message}`);
        return;
      }
      if (generation !== this.generation) return;
      this.requests.showProblem(undefined);
      const firstSeq = (records[0] as Partial<RequestRecord> | null | undefined)?.seq;
      if (after > 0 && typeof firstSeq === 'number' && firstSeq <= after) this.wholeLists = true;
      const added = this.table.add(records);
      if (added > 0 || this.requests.isOpen) this.requests.update();
      if (records.length !== REQUESTS_PAGE || added === 0) return;
    }
  }
}
