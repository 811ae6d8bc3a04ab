/**
 * The terminal view: builds the parts (stream feed, store and index, rows, render loop, follow,
 * toolbar, search, selection, notices) and wires them to each other, the page's keys and the
 * host. Runs in a VS Code webview or a browser tab.
 */
import { LOG_LEVELS } from '../src/shared/protocol';
import { effectiveMaxLines, type TerminalConfig } from '../src/shared/webviewProtocol';
import { listenToHost, openLink, type Bridge } from './bridge';
import { h } from './dom';
import { EntryActions } from './entryActions';
import { Follow } from './follow';
import { HistoryPager } from './historyPager';
import { createScroller, LogList } from './logList';
import { LogModel } from './logModel';
import { Notices } from './notices';
import { PartialRows } from './partialRows';
import { RenderLoop } from './renderLoop';
import { RunViews } from './runViews';
import { SearchBar } from './search';
import { isEditable, Selection } from './selection';
import { StatusHeader } from './statusHeader';
import { StreamFeed } from './streamFeed';
import { installTestHooks } from './testHooks';
import { Toolbar } from './toolbar';
import { ViewOptions } from './viewOptions';

export type { TestHooks } from './testHooks';

/** The whole terminal view in `mount`. */
export class TerminalApp {
  private config: TerminalConfig;
  private readonly model: LogModel;
  private readonly partialRows = new PartialRows();
  private readonly header: StatusHeader;
  /** Error summary, Requests view and Export: the run as events. */
  private readonly runViews: RunViews;
  private readonly notices = new Notices();
  private readonly toolbar: Toolbar;
  private readonly scroller = createScroller();
  private readonly rows: LogList;
  private readonly loop: RenderLoop;
  private readonly follow: Follow;
  private readonly search: SearchBar;
  private readonly selection: Selection;
  private readonly viewOptions: ViewOptions;
  private readonly feed: StreamFeed;
  private readonly entries: EntryActions;
  private readonly pager: HistoryPager;

  constructor(
    private readonly root: HTMLElement,
    config: TerminalConfig,
    private readonly bridge: Bridge,
  ) {
    this.config = config;
    const prefs = bridge.loadPrefs();
    const levels = (prefs.levels ?? config.levels ?? LOG_LEVELS).filter((l) => LOG_LEVELS.includes(l));
    this.model = new LogModel(effectiveMaxLines(config), levels);
    this.header = new StatusHeader({
      mode: bridge.mode,
      title: config.title,
      openExternal: (url) => bridge.openExternal(url),
      onPreview: (info) => this.runViews.setPreview(info),
    });
    this.toolbar = new Toolbar({
      toggleLevel: (level) => this.viewOptions.toggleLevel(level),
      find: () => this.search.open(),
      firstError: () => this.selection.jumpToFirstError(),
      nextError: () => this.selection.jumpToError('next'),
      toggleTime: () => this.viewOptions.toggleTime(),
      copySelected: () => void this.selection.copy('selected'),
      copyAll: () => void this.selection.copy('all'),
      clear: () => this.clear(),
    });

    root.classList.add(`mode-${bridge.mode}`);
    const viewport = h('div', { class: 'viewport' }, this.scroller, this.notices.flashNote);
    root.replaceChildren(this.header.element, this.toolbar.element, this.notices.banner, viewport, this.notices.liveRegion);
    this.runViews = new RunViews({
      config: () => this.config,
      model: this.model,
      selection: () => this.selection,
      notices: this.notices,
      bridge,
      rowHeight: () => this.rows.list.rowHeight,
    });
    this.runViews.mount({ root, viewport, header: this.header, toolbar: this.toolbar });
    // Rows are measured in place, so the list comes after the layout; the parts that need the
    // list add their elements after it (both hidden until used).
    const { model, partialRows, notices } = this;
    this.rows = new LogList({ root, scroller: this.scroller, model, partialRows, bridge, isSelected: (abs) => this.selection.has(abs) });
    const { list, rowCtx } = this.rows;
    const announce = (text: string) => notices.announce(text);
    this.loop = new RenderLoop({
      model,
      list,
      partialRows,
      rowCtx,
      following: () => this.follow.following,
      placeRows: (added, removed, before) => this.follow.placeRows(added, removed, before),
      afterRender: () => this.updateCounts(),
    });
    this.pager = new HistoryPager({
      config: () => this.config,
      model,
      list,
      loop: this.loop,
      resumeStream: () => this.feed.connect(),
      announce,
    });
    this.pager.reset();
    this.follow = new Follow({
      scroller: this.scroller,
      list,
      model,
      loop: this.loop,
      announce,
      detached: () => model.store.detached,
      toNewest: () => this.pager.toNewest(),
    });
    this.search = new SearchBar({ model, list, rowCtx, loop: this.loop, follow: this.follow, scroller: this.scroller, announce });
    this.scroller.after(this.follow.newLinesButton);
    this.toolbar.element.after(this.search.element);
    this.selection = new Selection({
      model,
      rows: this.rows,
      loop: this.loop,
      follow: this.follow,
      toolbar: this.toolbar,
      levels: () => this.viewOptions,
      bridge,
      notices,
    });
    this.entries = new EntryActions({ model, rows: this.rows, loop: this.loop, follow: this.follow, announce });
    const showTime = prefs.showTime ?? false;
    const { loop, follow, toolbar, search } = this;
    this.viewOptions = new ViewOptions({ root, model, list, rowCtx, loop, follow, toolbar, search, bridge, showTime });
    this.feed = new StreamFeed({
      config: () => this.config,
      model,
      partialRows,
      header: this.header,
      schedule: () => loop.schedule(),
      announce,
      bridge,
      onPreview: (info) => this.pager.setRun(info.runId),
    });

    this.bindEvents();
    this.updateCounts();
    installTestHooks({ model, list, follow, partialRows, feed: this.feed, pager: this.pager, renderNow: () => loop.renderNow() });
  }

  /** Connects and starts rendering. */
  start(): void {
    // Ready first: the extension then drops a previous page's relayed streams (a panel moved to
    // another group loads afresh) before this page opens its own.
    this.bridge.ready();
    this.startFeed();
  }

  /** The live stream and the preview's details, or a past run's newest lines. */
  private startFeed(): void {
    if (this.pager.past) {
      this.header.showPastRun(this.config.title);
      void this.pager.openPast();
      return;
    }
    this.feed.connect();
    this.feed.fetchPreview();
  }

  /** Empties the view; lines already received do not come back. */
  clear(announce = true): void {
    this.model.store.clear();
    this.model.view.rebuild();
    this.selection.reset();
    this.rows.rowCtx.currentMatchAbs = -1;
    this.rows.list.invalidate();
    this.follow.reset();
    this.loop.renderNow();
    this.follow.updateButton();
    this.search.updateCount();
    if (announce) this.notices.announce('Cleared');
  }

  private bindEvents(): void {
    this.scroller.addEventListener('click', (e) => this.onListClick(e));
    this.scroller.addEventListener('scroll', () => this.pager.onScroll(), { passive: true });
    document.addEventListener('keydown', (e) => this.onKey(e));
    // Frames stop while hidden; show what arrived meanwhile as soon as the page is back.
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) this.loop.renderNow();
    });
    listenToHost(this.bridge, {
      config: (next) => this.setConfig(next),
      clear: () => this.clear(),
      preview: (info) => {
        this.header.setPreview(info);
        this.pager.setRun(info.runId);
      },
      find: () => this.search.open(),
    });
  }

  /** Points the view at another config: another run or size starts from an empty view. */
  private setConfig(next: TerminalConfig): void {
    const capacity = effectiveMaxLines(next);
    if (next.previewId !== this.config.previewId || next.runId !== this.config.runId || capacity !== this.model.store.capacity) {
      // Another run (its seqs start at 1 again) or another size: start from an empty view.
      this.feed.disconnect();
      this.model.replace(capacity);
      this.header.reset(next.title);
      this.runViews.reset();
      this.clear(false);
    }
    this.config = next;
    this.pager.reset();
    this.startFeed();
  }

  private onListClick(e: MouseEvent): void {
    const target = e.target as Element;
    if (this.entries.click(target)) return;
    const linkEl = target.closest('a.link');
    if (linkEl) {
      const link = this.rows.linkOf(linkEl);
      if (link && openLink(this.bridge, link)) e.preventDefault();
      return;
    }
    this.selection.click(e, target.closest('.row'));
  }

  private onKey(e: KeyboardEvent): void {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && !e.altKey && e.key.toLowerCase() === 'f') {
      e.preventDefault();
      this.search.open();
    } else if (e.key === 'Escape') {
      if (this.search.isOpen) this.search.close();
      else if (this.selection.size > 0) this.selection.clear();
    } else if (e.key === 'F8') {
      e.preventDefault();
      this.selection.jumpToError(e.shiftKey ? 'previous' : 'next');
    } else if (this.onLog(e) && this.selection.only !== undefined && this.entries.key(e, this.selection.only)) {
      e.preventDefault();
    } else if (e.key === 'F3') {
      e.preventDefault();
      this.search.step(e.shiftKey ? -1 : 1);
    } else if (e.key === 'End' && !isEditable(e.target as Element)) {
      e.preventDefault();
      this.follow.set(true);
    }
  }

  /** Whether a key goes to the log (not to a field or a button, which Enter would press). */
  private onLog(e: KeyboardEvent): boolean {
    return e.target === this.scroller || e.target === document.body || (e.target as Element).closest?.('.scroller .row') !== null;
  }

  /** Counters outside the rows: header line count, level counts, dropped banner, follow button, matches. */
  private updateCounts(): void {
    const { store, view } = this.model;
    this.header.setLineCount(store.lastSeq);
    this.toolbar.showLevelCounts(store.levelCounts);
    this.notices.showDropped(store.dropped, store.capacity, this.pager.canGoBack());
    this.follow.updateButton();
    if (view.query) this.search.updateCount();
    this.runViews.afterRender();
  }
}
