/**
 * Scroll back: when the reader reaches the top of what the view holds, the lines before it come
 * from the run's history (`<runsUrl>/<runId>/logs?before=&limit=`), a page at a time, in front of
 * the others without a seam; the view keeps the line being read where it is. Going back past the
 * view's size lets the newest lines go; reaching the bottom again pages forward (`?after=`) and,
 * on a live run, takes the stream back once history has nothing newer. A past run (Show Log
 * History) is only ever read this way.
 */
import { MAX_PAGE } from '../src/shared/historyApi';
import { isLogLine, type LogLine } from '../src/shared/protocol';
import type { TerminalConfig } from '../src/shared/webviewProtocol';
import type { LogModel } from './logModel';
import type { RenderLoop } from './renderLoop';
import type { VirtualList } from './virtualList';

/** Lines per history request. */
export const PAGE_LINES = 10_000;
/** Start loading when the view is this many rows from the edge. */
const EDGE_ROWS = 200;

export interface HistoryPagerOptions {
  config(): TerminalConfig;
  model: LogModel;
  list: VirtualList;
  loop: Pick<RenderLoop, 'renderNow'>;
  /** Resumes the live stream after the store's lastSeq (once the window is attached again). */
  resumeStream(): void;
  announce(text: string): void;
  fetch?: typeof fetch;
}

export class HistoryPager {
  private runId: number | undefined;
  private loading: Promise<void> | undefined;
  /** Run of the current config (changes when the page is pointed elsewhere); stale answers are dropped. */
  private generation = 0;
  private noOlder = false;
  private noNewer = false;
  private pastLastSeq = 0;
  private lastError: string | undefined;

  constructor(private readonly opts: HistoryPagerOptions) {}

  /** Whether the page shows a past run (no stream). */
  get past(): boolean {
    return this.opts.config().runId !== undefined;
  }

  /** The run whose history pages are read (a live preview's, from its details). */
  setRun(runId: number | undefined): void {
    if (runId === this.runId) return;
    this.runId = runId;
    this.noOlder = false;
  }

  /** Forgets the run (the page is pointed at another one). */
  reset(): void {
    this.generation++;
    this.loading = undefined;
    this.runId = this.opts.config().runId;
    this.noOlder = false;
    this.noNewer = false;
  }

  /** Whether a page is being loaded (tests wait for it). */
  get busy(): boolean {
    return this.loading !== undefined;
  }

  /** Opens a past run at its newest lines. */
  async openPast(): Promise<void> {
    this.reset();
    const runId = this.runId;
    if (runId === undefined) return;
    const lines = await this.request({ before: Number.MAX_SAFE_INTEGER, limit: PAGE_LINES });
    if (!lines) return;
    const { store } = this.opts.model;
    this.pastLastSeq = lines.length ? lines[lines.length - 1]!.seq : 0;
    store.openPast(this.pastLastSeq);
    store.prependLines(lines);
    this.noOlder = lines.length < PAGE_LINES;
    this.noNewer = true;
    this.opts.model.view.rebuild();
    this.opts.list.setCount(this.opts.model.view.count);
    this.opts.list.scrollTop = this.opts.list.maxScrollTop;
    this.opts.list.invalidate();
    this.opts.loop.renderNow();
  }

  /** Called on every scroll: loads a page when the view nears an edge that history can extend. */
  onScroll(): void {
    if (this.loading || this.runId === undefined) return;
    const { list, model } = this.opts;
    const rh = list.rowHeight;
    if (list.scrollTop <= EDGE_ROWS * rh && this.canGoBack()) void this.run(() => this.loadOlder());
    else if (model.store.detached && !this.noNewer && list.scrollTop >= list.maxScrollTop - EDGE_ROWS * rh)
      void this.run(() => this.loadNewer());
  }

  /** Whether lines before the first one in view may be in history. */
  canGoBack(): boolean {
    const { store } = this.opts.model;
    return !this.noOlder && this.runId !== undefined && store.firstSeq > Math.max(1, store.floorSeq + 1);
  }

  /** Loads the page before the first line in view, keeping the rows in view in place. */
  async loadOlder(): Promise<void> {
    const { model, list, loop } = this.opts;
    const { store, view } = model;
    const before = store.firstSeq;
    const lines = await this.request({ before, limit: PAGE_LINES });
    if (!lines || store.firstSeq !== before) return;
    if (lines.length === 0) {
      this.noOlder = true;
      return;
    }
    view.sync();
    const anchor = this.anchor();
    const newestBefore = store.keptLastSeq;
    store.prependLines(lines);
    if (store.keptLastSeq < newestBefore) this.noNewer = false; // the newest left: forward pages bring them back
    if (lines[0]!.seq <= Math.max(1, store.floorSeq + 1)) this.noOlder = true;
    view.rebuild();
    this.place(anchor);
    list.invalidate();
    loop.renderNow();
    this.opts.announce(`Loaded ${lines.length} older lines`);
  }

  /** Loads the page after the newest line in view (the window is detached from the live tail). */
  async loadNewer(): Promise<void> {
    const { store } = this.opts.model;
    const after = store.keptLastSeq;
    const lines = await this.request({ after, limit: PAGE_LINES });
    if (!lines || store.keptLastSeq !== after) return;
    store.appendNewer(lines);
    if (lines.length < PAGE_LINES) {
      if (this.past) this.noNewer = true;
      else {
        // History has nothing newer yet: the stream brings the rest, from the newest line kept.
        store.attach();
        this.opts.resumeStream();
      }
    }
    this.opts.loop.renderNow(); // rows at the front that left are taken off the scroll position
  }

  /** Back to the newest lines (End, ↓ Follow) from a window scrolled far back. */
  toNewest(): void {
    const { model } = this.opts;
    if (this.past) {
      void this.openPast();
      return;
    }
    // The stream sends the newest lines again, as at the start: the view refills with them.
    model.store.restartAfter(Math.max(0, model.store.lastSeq - model.store.capacity));
    this.noOlder = false;
    model.view.rebuild();
    this.opts.resumeStream();
  }

  private async run(load: () => Promise<void>): Promise<void> {
    const p = load().finally(() => {
      if (this.loading === p) this.loading = undefined;
    });
    this.loading = p;
    await p;
  }

  /** The first row in view and how far above the top it starts. */
  private anchor(): { abs: number; offset: number } | undefined {
    const { model, list } = this.opts;
    if (model.view.count === 0) return undefined;
    const p = Math.min(list.firstVisible(), model.view.count - 1);
    return { abs: model.view.rowAt(p), offset: list.scrollTop - p * list.rowHeight };
  }

  private place(anchor: { abs: number; offset: number } | undefined): void {
    const { model, list } = this.opts;
    list.setCount(model.view.count);
    if (anchor) list.scrollTop = model.view.positionAtOrAfter(anchor.abs) * list.rowHeight + anchor.offset;
  }

  /** One page of the run's lines, or undefined (and said once) when history cannot answer. */
  private async request(query: { before?: number; after?: number; limit: number }): Promise<LogLine[] | undefined> {
    const config = this.opts.config();
    const runId = this.runId;
    if (!config.runsUrl || runId === undefined) return undefined;
    const generation = this.generation;
    const url = new URL(`${config.runsUrl.replace(/\/$/, '')}/${runId}/logs`, location.href);
    if (config.token) url.searchParams.set('token', config.token);
    if (query.before !== undefined) url.searchParams.set('before', String(query.before));
    if (query.after !== undefined) url.searchParams.set('after', String(query.after));
    url.searchParams.set('limit', String(Math.min(query.limit, MAX_PAGE)));
    try {
      const res = await (this.opts.fetch ?? fetch)(url, { cache: 'no-store', credentials: 'omit' });
      const body = (await res.json().catch(() => undefined)) as { lines?: unknown; error?: string } | undefined;
      if (!res.ok || !body || !Array.isArray(body.lines)) throw new Error(body?.error ?? `HTTP ${res.status}`);
      if (generation !== this.generation) return undefined;
      this.lastError = undefined;
      return body.lines.filter(isLogLine);
    } catch (err) {
      const message = `Older lines could not be loaded from history: ${(err as Error).message}`;
      if (message !== this.lastError) this.opts.announce(message);
      this.lastError = message;
      if (query.before !== undefined) this.noOlder = true;
      else this.noNewer = true;
      return undefined;
    }
  }
}
