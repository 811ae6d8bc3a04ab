/**
 * The terminal view: wires the stream, the bounded store, the filtered index and the virtual list
 * to the header, toolbar, search bar and keyboard. Runs in a VS Code webview or a browser tab.
 */
import { LOG_LEVELS, type GapEvent, type LogLevel, type LogLine, type PreviewInfo, type StatusEvent } from '../src/shared/protocol';
import {
  ClearMessage,
  ConfigMessage,
  effectiveMaxLines,
  FindMessage,
  PreviewMessage,
  type TerminalConfig,
} from '../src/shared/webviewProtocol';
import type { Bridge } from './bridge';
import { h, setText } from './dom';
import { describeState, formatCount } from './format';
import { LineStore, type Entry, type GapEntry } from './lineStore';
import { PartialRows } from './partialRows';
import type { Link } from './links';
import { renderRow, type RowContext } from './rowView';
import { StatusHeader } from './statusHeader';
import { createStreamClient, type ConnectionState, type StreamClient } from './stream';
import { ViewIndex } from './viewIndex';
import { VirtualList } from './virtualList';

const OVERSCAN = 10;
const MAX_DOM_ROWS = 400;
/** Flush at least this often when frames do not come (hidden panel or tab). */
const HIDDEN_FLUSH_MS = 250;
/**
 * While following a flood (a screenful or more of new lines per frame) nobody can read the rows
 * anyway: repaint at most this often, and leave the main thread to parsing and input.
 */
const FLOOD_RENDER_MS = 100;

/** Read-only hooks for tests and benchmarks (`window.__previewHost`). */
export interface TestHooks {
  seqs(): number[];
  gaps(): GapEntry[];
  domRows(): number;
  following(): boolean;
  newLines(): number;
  matchCount(): number;
  shownRows(): number;
  lastSeq(): number;
  /** Texts of the unfinished-line rows shown after the lines. */
  partials(): string[];
  connection(): ConnectionState | undefined;
  /** Resolves after pending lines are applied and a frame has rendered. */
  settled(): Promise<void>;
}

declare global {
  interface Window {
    __previewHost?: TestHooks;
  }
}

export class TerminalApp {
  private config: TerminalConfig;
  // Replaced (not mutated) when the panel is pointed at another run.
  private store: LineStore;
  private view: ViewIndex;
  private readonly partialRows = new PartialRows();
  private readonly list: VirtualList;
  private stream: StreamClient | undefined;
  private connection: ConnectionState | undefined;

  private follow = true;
  private newCount = 0;
  private showTime: boolean;
  private selected = new Set<number>();
  private selectionAnchor = -1;
  private readonly rowAbs = new WeakMap<Element, number>();
  private readonly linkTargets = new WeakMap<Element, Link>();
  private readonly rowCtx: RowContext;
  private scheduled = false;
  private dirty = false;
  private lastRenderAt = 0;
  private addedSinceRender = 0;
  private warming = false;
  private rafHandle = 0;
  private timerHandle: ReturnType<typeof setTimeout> | undefined;
  private readonly header: StatusHeader;
  private previewsFetch = 0;

  // Elements.
  private readonly root: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly levelButtons = new Map<LogLevel, HTMLButtonElement>();
  private readonly timeButton = h('button', { type: 'button', class: 'tool', 'aria-pressed': 'false', title: 'Show the time of each line' }, 'Time');
  private readonly copySelButton = h('button', { type: 'button', class: 'tool', title: 'Copy the selected lines (click, Shift+click, Ctrl+click to select)' }, 'Copy selected');
  private readonly searchBar = h('div', { class: 'searchbar', role: 'search', hidden: true });
  private readonly searchInput = h('input', { type: 'text', class: 'search-input', placeholder: 'Find', 'aria-label': 'Find in log', spellcheck: 'false' });
  private readonly searchCount = h('span', { class: 'search-count', 'aria-live': 'off' });
  private readonly banner = h('div', { class: 'banner', hidden: true });
  private readonly newLinesButton = h('button', { type: 'button', class: 'new-lines', hidden: true });
  private readonly liveRegion = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  /** A short visual note over the log (copy done, nothing to jump to); the live region speaks it. */
  private readonly flashNote = h('div', { class: 'flash', 'aria-hidden': 'true', hidden: true });

  constructor(
    mount: HTMLElement,
    config: TerminalConfig,
    private readonly bridge: Bridge,
  ) {
    this.config = config;
    this.store = new LineStore(effectiveMaxLines(config));
    const prefs = bridge.loadPrefs();
    this.showTime = prefs.showTime ?? false;
    const levels = (prefs.levels ?? config.levels ?? LOG_LEVELS).filter((l) => LOG_LEVELS.includes(l));
    this.view = new ViewIndex(this.store, levels);
    this.header = new StatusHeader({ mode: bridge.mode, title: config.title, openExternal: (url) => bridge.openExternal(url) });

    this.root = mount;
    this.root.classList.add(`mode-${bridge.mode}`);
    this.scroller = h('div', {
      class: 'scroller',
      role: 'log',
      'aria-label': 'Log output',
      // Rows are recycled as you scroll: announcing them would be noise. The status region speaks instead.
      'aria-live': 'off',
      tabindex: '0',
    });
    this.buildLayout();

    const rowHeight = measureRowHeight(this.scroller);
    this.root.style.setProperty('--ph-row-height', `${rowHeight}px`);
    this.rowCtx = {
      query: '',
      locations: bridge.canOpenLocations,
      mode: bridge.mode,
      isSelected: (abs) => this.selected.has(abs),
      currentMatchAbs: -1,
      links: this.linkTargets,
    };
    this.list = new VirtualList({
      scroller: this.scroller,
      rowHeight,
      overscan: OVERSCAN,
      maxRows: MAX_DOM_ROWS,
      // Positions past the filtered lines are the partial rows, always last.
      keyOf: (p) => (p < this.view.count ? this.view.rowAt(p) : this.partialRows.keyAt(p - this.view.count)),
      renderRow: (el, p) => {
        if (p >= this.view.count) {
          this.rowAbs.delete(el); // not a line: nothing to select
          this.partialRows.render(el, p - this.view.count, this.rowCtx);
          return;
        }
        const abs = this.view.rowAt(p);
        this.rowAbs.set(el, abs);
        renderRow(el, this.store.at(abs), abs, this.rowCtx);
      },
    });
    new ResizeObserver(() => {
      if (this.follow) this.list.scrollTop = this.list.maxScrollTop;
    }).observe(this.scroller);

    this.bindEvents();
    this.applyTimeColumn();
    this.updateLevelButtons();
    this.updateCounts();
    this.installTestHooks();
  }

  /** Connects and starts rendering. */
  start(): void {
    this.connect();
    this.fetchPreview();
    this.bridge.ready();
  }

  // ── stream ──────────────────────────────────────────────────────────────────────────────────────

  private connect(): void {
    this.stream?.dispose();
    this.stream = createStreamClient(
      {
        url: this.config.streamUrl,
        token: this.config.token,
        lastSeq: () => this.store.lastSeq,
        onLog: (line) => this.onLog(line),
        onGap: (gap) => this.onGap(gap),
        onPartial: (partial) => {
          this.partialRows.show(partial);
          this.schedule();
        },
        onStatus: (status) => this.onStatus(status),
        onConnection: (state, detail) => this.onConnection(state, detail),
      },
      this.config.transport ?? 'fetch',
    );
    this.stream.start();
  }

  private onLog(line: LogLine): void {
    // O(1) into the bounded store; the view catches up once per frame.
    const finishedPartial = this.partialRows.lineArrived(line.stream);
    if (this.store.appendLine(line) || finishedPartial) this.schedule();
  }

  private onGap(gap: GapEvent): void {
    if (this.store.appendGap(gap)) this.schedule();
  }

  private onStatus(status: StatusEvent): void {
    this.header.setStatus(status);
    this.announce(describeState(status));
    this.fetchPreview();
  }

  private onConnection(state: ConnectionState, detail?: string): void {
    const was = this.connection;
    this.connection = state;
    this.header.setConnection(state, detail);
    if (state === 'open' && this.partialRows.clear()) this.schedule(); // the host sends them again
    if (state === 'reconnecting' && was !== 'reconnecting') this.announce('Connection lost, reconnecting…');
    if (state === 'open' && was === 'reconnecting') {
      this.announce('Reconnected');
      this.fetchPreview();
    }
  }

  /** Fetches this preview's details (command, port, start time) for the header. */
  private fetchPreview(): void {
    const previewsUrl = this.config.previewsUrl;
    if (!previewsUrl) return;
    const id = ++this.previewsFetch;
    const url = new URL(previewsUrl, location.href);
    // `?token=` rather than a header: no CORS preflight from the webview's origin.
    if (this.config.token && !url.searchParams.has('token')) url.searchParams.set('token', this.config.token);
    fetch(url, { cache: 'no-store', credentials: 'omit' })
      .then((res) => (res.ok ? res.json() : undefined))
      .then((list: unknown) => {
        if (id !== this.previewsFetch || !Array.isArray(list)) return;
        const info = (list as PreviewInfo[]).find((p) => p && p.id === this.config.previewId);
        if (info) this.setPreview(info);
      })
      .catch(() => {
        // The header keeps what it had; the stream is what matters.
      });
  }

  private setPreview(info: PreviewInfo): void {
    this.header.setPreview(info);
  }

  // ── frame loop ──────────────────────────────────────────────────────────────────────────────────

  private schedule(): void {
    this.dirty = true;
    if (this.scheduled) return;
    this.scheduled = true;
    this.rafHandle = requestAnimationFrame(() => this.flush());
    // rAF does not fire in a hidden panel or tab; keep the view (and memory) current anyway.
    this.timerHandle = setTimeout(() => this.flush(), HIDDEN_FLUSH_MS);
  }

  private flush(force = false): void {
    cancelAnimationFrame(this.rafHandle);
    clearTimeout(this.timerHandle);
    this.scheduled = false;
    if (!this.dirty) return;
    this.dirty = false;

    const scrollTopBefore = this.list.scrollTop;
    const { added, removed } = this.view.sync();
    this.addedSinceRender += added;
    const now = performance.now();
    if (!force && this.follow && this.addedSinceRender >= this.list.pageRows && now - this.lastRenderAt < FLOOD_RENDER_MS) {
      // Flood: render on a later flush; the store and index are already current.
      this.dirty = true;
      this.scheduled = true;
      this.timerHandle = setTimeout(() => this.flush(), FLOOD_RENDER_MS - (now - this.lastRenderAt));
      return;
    }
    this.lastRenderAt = now;
    this.addedSinceRender = 0;
    this.list.setCount(this.view.count + this.partialRows.count);
    if (this.follow) {
      this.list.scrollTop = this.list.maxScrollTop;
    } else {
      this.newCount += added;
      // Rows left at the top: keep the lines being read where they are.
      if (removed > 0) this.list.scrollTop = scrollTopBefore - removed * this.list.rowHeight;
    }
    if (this.rowCtx.currentMatchAbs !== this.view.currentMatchAbs) {
      this.rowCtx.currentMatchAbs = this.view.currentMatchAbs;
      this.list.invalidate();
    }
    this.list.render();
    this.updateCounts();
    this.scheduleSearchWarmup();
  }

  /** In idle time, prepares new lines for search so that the first search on a big log is quick. */
  private scheduleSearchWarmup(): void {
    if (this.warming) return;
    this.warming = true;
    const run = (timeLeft: () => number) => {
      if (this.store.warmSearch(timeLeft)) this.warming = false;
      else idle(run);
    };
    idle(run);
  }

  /** Applies everything now (for user actions that must show within the same frame). */
  private renderNow(): void {
    this.dirty = true;
    this.flush(true);
  }

  // ── follow / pause ──────────────────────────────────────────────────────────────────────────────

  private setFollow(on: boolean, announce = true): void {
    if (on) {
      this.follow = true;
      this.newCount = 0;
      this.renderNow(); // applies held-back lines, then scrolls to the bottom
      if (announce) this.announce('Following new lines');
    } else if (this.follow) {
      this.follow = false;
      this.newCount = 0;
      if (announce) this.announce('Paused. Press End to follow new lines.');
    }
    this.updateNewLinesButton();
  }

  private onScroll(): void {
    const atBottom = this.list.isAtBottom();
    if (this.follow) {
      // Our own scroll to the end (every flush makes one): the rows are already rendered.
      if (atBottom) return;
      this.setFollow(false);
    } else if (atBottom) {
      this.setFollow(true, false);
      return;
    }
    // Lines held back by flood throttling are applied before rows are laid out again.
    if (this.dirty) this.renderNow();
    else this.list.render();
  }

  // ── search ──────────────────────────────────────────────────────────────────────────────────────

  private openSearch(): void {
    this.searchBar.hidden = false;
    this.searchInput.focus();
    this.searchInput.select();
  }

  private closeSearch(): void {
    this.searchBar.hidden = true;
    if (this.view.query) this.applySearch('');
    this.scroller.focus();
  }

  private applySearch(query: string): void {
    this.view.sync();
    this.view.setQuery(query, this.list.firstVisible());
    this.rowCtx.query = this.view.query;
    this.rowCtx.currentMatchAbs = this.view.currentMatchAbs;
    this.list.invalidate();
    if (this.view.currentMatch >= 0) this.revealAbs(this.view.currentMatchAbs);
    this.renderNow();
    this.updateSearchCount(true);
  }

  private stepSearch(direction: 1 | -1): void {
    if (this.searchBar.hidden) this.searchBar.hidden = false;
    const position = this.view.step(direction);
    if (position < 0) return;
    this.rowCtx.currentMatchAbs = this.view.currentMatchAbs;
    this.list.invalidate();
    this.revealAbs(this.view.currentMatchAbs);
    this.renderNow();
    this.updateSearchCount(true);
  }

  private updateSearchCount(announce = false): void {
    const n = this.view.matchCount;
    const text = !this.view.query ? '' : n === 0 ? 'No results' : `${formatCount(this.view.currentMatch + 1)} of ${formatCount(n)}`;
    if (this.searchCount.textContent !== text) this.searchCount.textContent = text;
    this.searchBar.classList.toggle('no-results', !!this.view.query && n === 0);
    if (announce && text) this.announce(n === 0 ? 'No results' : `Match ${text}`);
  }

  /** Pauses follow and scrolls an entry into view. */
  private revealAbs(abs: number): void {
    const position = this.view.positionOf(abs);
    if (position < 0) return;
    this.setFollow(false, false);
    this.list.setCount(this.view.count);
    this.list.reveal(position);
  }

  // ── filter, time, clear, copy, errors ───────────────────────────────────────────────────────────

  private toggleLevel(level: LogLevel): void {
    const levels = new Set(this.view.shownLevels);
    if (levels.has(level)) levels.delete(level);
    else levels.add(level);
    this.setLevels(levels);
  }

  private setLevels(levels: Set<LogLevel>): void {
    // Keep the line at the top of the view in place (or the nearest one after it).
    const anchorAbs = !this.follow && this.view.count > 0 ? this.view.rowAt(Math.min(this.list.firstVisible(), this.view.count - 1)) : -1;
    this.view.sync();
    this.view.setLevels(LOG_LEVELS.filter((l) => levels.has(l)));
    this.list.setCount(this.view.count);
    this.list.invalidate();
    this.rowCtx.currentMatchAbs = this.view.currentMatchAbs;
    if (anchorAbs >= 0) this.list.scrollTop = this.view.positionAtOrAfter(anchorAbs) * this.list.rowHeight;
    this.renderNow();
    this.updateLevelButtons();
    this.updateSearchCount();
    this.savePrefs();
  }

  private toggleTime(): void {
    this.showTime = !this.showTime;
    this.applyTimeColumn();
    this.savePrefs();
  }

  private applyTimeColumn(): void {
    this.root.classList.toggle('show-time', this.showTime);
    this.timeButton.setAttribute('aria-pressed', String(this.showTime));
  }

  /** Empties the view; lines already received do not come back. */
  clear(announce = true): void {
    this.store.clear();
    this.view.rebuild();
    this.selected.clear();
    this.selectionAnchor = -1;
    this.rowCtx.currentMatchAbs = -1;
    this.list.invalidate();
    this.follow = true;
    this.newCount = 0;
    this.renderNow();
    this.updateNewLinesButton();
    this.updateSearchCount();
    if (announce) this.announce('Cleared');
  }

  private jumpToFirstError(): void {
    this.view.sync();
    const abs = this.store.findFirst((e) => e.kind === 'log' && e.level === 'ERROR');
    if (abs < 0) {
      this.announce('No errors');
      this.flash('No errors in view');
      return;
    }
    if (!this.view.shownLevels.has('ERROR')) this.setLevels(new Set([...this.view.shownLevels, 'ERROR']));
    this.selected = new Set([abs]);
    this.selectionAnchor = abs;
    this.list.invalidate();
    this.revealAbs(abs);
    this.renderNow();
    this.updateSelectionButton();
    this.announce('First error');
  }

  private async copyLines(which: 'selected' | 'all'): Promise<void> {
    this.view.sync();
    const lines: string[] = [];
    if (which === 'all') {
      for (let p = 0; p < this.view.count; p++) lines.push(entryText(this.view.entryAt(p)));
    } else {
      const native = window.getSelection();
      if (this.selected.size === 0 && native && !native.isCollapsed) {
        const text = native.toString();
        await this.bridge.copy(text, text.split('\n').length);
        this.flash('Copied selection');
        return;
      }
      for (const abs of [...this.selected].sort((a, b) => a - b)) {
        const entry = this.store.at(abs);
        if (entry) lines.push(entryText(entry));
      }
    }
    if (lines.length === 0) {
      this.flash(which === 'selected' ? 'Select lines first (click a line)' : 'Nothing to copy');
      return;
    }
    await this.bridge.copy(lines.join('\n'), lines.length);
    this.flash(`Copied ${formatCount(lines.length)} ${lines.length === 1 ? 'line' : 'lines'}`);
  }

  // ── selection and links ─────────────────────────────────────────────────────────────────────────

  private onListClick(e: MouseEvent): void {
    const target = e.target as Element;
    const linkEl = target.closest('a.link');
    if (linkEl) {
      const link = this.linkTargets.get(linkEl);
      if (!link) return;
      if (link.kind === 'location') {
        e.preventDefault();
        this.bridge.openLocation({ file: link.file, line: link.line, ...(link.column ? { column: link.column } : {}) });
      } else if (this.bridge.mode === 'vscode') {
        e.preventDefault();
        this.bridge.openExternal(link.url);
      }
      // In a browser the anchor (target=_blank rel=noopener) opens it.
      return;
    }
    const native = window.getSelection();
    if (native && !native.isCollapsed) return; // the user selected text, not lines
    const row = target.closest('.row');
    const abs = row ? this.rowAbs.get(row) : undefined;
    if (abs === undefined) return;
    if (e.shiftKey && this.selectionAnchor >= 0) {
      const a = this.view.positionAtOrAfter(Math.min(abs, this.selectionAnchor));
      const b = this.view.positionAtOrAfter(Math.max(abs, this.selectionAnchor));
      this.selected = new Set();
      for (let p = a; p <= b && p < this.view.count; p++) this.selected.add(this.view.rowAt(p));
    } else if (e.ctrlKey || e.metaKey) {
      if (this.selected.has(abs)) this.selected.delete(abs);
      else this.selected.add(abs);
      this.selectionAnchor = abs;
    } else {
      this.selected = this.selected.size === 1 && this.selected.has(abs) ? new Set() : new Set([abs]);
      this.selectionAnchor = abs;
    }
    this.list.invalidate();
    this.list.render();
    this.updateSelectionButton();
  }

  // ── layout and events ───────────────────────────────────────────────────────────────────────────

  private buildLayout(): void {
    const levels = h('div', { class: 'levels', role: 'group', 'aria-label': 'Levels shown' });
    for (const level of LOG_LEVELS) {
      const b = h('button', { type: 'button', class: `level lv-${level}`, 'aria-pressed': 'true', title: `Show ${level} lines` });
      b.addEventListener('click', () => this.toggleLevel(level));
      this.levelButtons.set(level, b);
      levels.append(b);
    }
    const tool = (label: string, title: string, action: () => void) => {
      const b = h('button', { type: 'button', class: 'tool', title }, label);
      b.addEventListener('click', action);
      return b;
    };
    this.timeButton.addEventListener('click', () => this.toggleTime());
    this.copySelButton.addEventListener('click', () => void this.copyLines('selected'));
    const toolbar = h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Log tools' },
      levels,
      h('span', { class: 'spacer' }),
      tool('Find', 'Search (Ctrl/Cmd+F)', () => this.openSearch()),
      tool('First error', 'Jump to the first ERROR line', () => this.jumpToFirstError()),
      this.timeButton,
      this.copySelButton,
      tool('Copy all', 'Copy every line shown', () => void this.copyLines('all')),
      tool('Clear', 'Clear the view (lines stay in history)', () => this.clear()),
    );

    const prev = h('button', { type: 'button', class: 'tool', title: 'Previous match (Shift+Enter)', 'aria-label': 'Previous match' }, '↑');
    const next = h('button', { type: 'button', class: 'tool', title: 'Next match (Enter)', 'aria-label': 'Next match' }, '↓');
    const close = h('button', { type: 'button', class: 'tool', title: 'Close (Esc)', 'aria-label': 'Close search' }, '✕');
    prev.addEventListener('click', () => this.stepSearch(-1));
    next.addEventListener('click', () => this.stepSearch(1));
    close.addEventListener('click', () => this.closeSearch());
    this.searchBar.append(this.searchInput, this.searchCount, prev, next, close);

    const viewport = h('div', { class: 'viewport' }, this.scroller, this.newLinesButton, this.flashNote);
    this.root.replaceChildren(this.header.element, toolbar, this.searchBar, this.banner, viewport, this.liveRegion);
  }

  private bindEvents(): void {
    this.scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.scroller.addEventListener(
      'wheel',
      (e) => {
        if (e.deltaY < 0 && this.follow && this.list.maxScrollTop > 0) this.setFollow(false);
      },
      { passive: true },
    );
    this.scroller.addEventListener('keydown', (e) => {
      if (['ArrowUp', 'PageUp', 'Home'].includes(e.key) && this.follow && this.list.maxScrollTop > 0) this.setFollow(false);
      if (e.key === 'Home') {
        this.list.scrollTop = 0;
        e.preventDefault();
      }
    });
    this.scroller.addEventListener('click', (e) => this.onListClick(e));
    this.newLinesButton.addEventListener('click', () => {
      this.setFollow(true);
      this.scroller.focus();
    });
    this.searchInput.addEventListener('input', () => this.applySearch(this.searchInput.value));
    this.searchInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.stepSearch(e.shiftKey ? -1 : 1);
      }
    });
    document.addEventListener('keydown', (e) => this.onKey(e));
    // Frames stop while hidden; show what arrived meanwhile as soon as the page is back.
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) this.renderNow();
    });
    document.addEventListener('copy', (e) => {
      // Ctrl+C with lines selected and no text selection copies the lines.
      const native = window.getSelection();
      if ((native && !native.isCollapsed) || this.selected.size === 0 || isEditable(document.activeElement)) return;
      e.preventDefault();
      void this.copyLines('selected');
    });
    if (this.bridge.mode === 'vscode') {
      window.addEventListener('message', (e: MessageEvent) => this.onMessage(e.data));
    }
  }

  private onKey(e: KeyboardEvent): void {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && !e.altKey && e.key.toLowerCase() === 'f') {
      e.preventDefault();
      this.openSearch();
    } else if (e.key === 'Escape') {
      if (!this.searchBar.hidden) this.closeSearch();
      else if (this.selected.size > 0) {
        this.selected.clear();
        this.list.invalidate();
        this.list.render();
        this.updateSelectionButton();
      }
    } else if (e.key === 'F3') {
      e.preventDefault();
      this.stepSearch(e.shiftKey ? -1 : 1);
    } else if (e.key === 'End' && !isEditable(e.target as Element)) {
      e.preventDefault();
      this.setFollow(true);
    }
  }

  private onMessage(data: unknown): void {
    if (ConfigMessage.is(data)) {
      const next = data.params.config;
      const capacity = effectiveMaxLines(next);
      if (next.previewId !== this.config.previewId || capacity !== this.store.capacity) {
        // Another run (its seqs start at 1 again) or another size: start from an empty view.
        this.stream?.dispose();
        this.store = new LineStore(capacity);
        this.view = new ViewIndex(this.store, this.view.shownLevels);
        this.view.setQuery(this.rowCtx.query);
        this.header.reset(next.title);
        this.clear(false);
      }
      this.config = next;
      this.connect();
      this.fetchPreview();
    } else if (ClearMessage.is(data)) {
      this.clear();
    } else if (PreviewMessage.is(data)) {
      this.setPreview(data.params.preview);
    } else if (FindMessage.is(data)) {
      this.openSearch();
    }
  }

  // ── counters ────────────────────────────────────────────────────────────────────────────────────

  private updateCounts(): void {
    this.header.setLineCount(this.store.lastSeq);
    const counts = this.store.levelCounts;
    for (const [level, b] of this.levelButtons) setText(b, `${level} ${formatCount(counts[level])}`);
    const dropped = this.store.dropped;
    this.banner.hidden = dropped === 0;
    if (dropped > 0) {
      setText(this.banner, `${formatCount(dropped)} older ${dropped === 1 ? 'line' : 'lines'} dropped from view to stay within ${formatCount(this.store.capacity)} (still in history)`);
    }
    this.updateNewLinesButton();
    if (this.view.query) this.updateSearchCount();
  }

  private updateLevelButtons(): void {
    for (const [level, b] of this.levelButtons) b.setAttribute('aria-pressed', String(this.view.shownLevels.has(level)));
  }

  private updateNewLinesButton(): void {
    const show = !this.follow;
    this.newLinesButton.hidden = !show;
    if (show) {
      setText(this.newLinesButton, this.newCount > 0 ? `↓ ${formatCount(this.newCount)} new ${this.newCount === 1 ? 'line' : 'lines'}` : '↓ Follow');
    }
  }

  private updateSelectionButton(): void {
    this.copySelButton.textContent = this.selected.size > 0 ? `Copy selected (${formatCount(this.selected.size)})` : 'Copy selected';
  }

  private savePrefs(): void {
    this.bridge.savePrefs({ showTime: this.showTime, levels: [...this.view.shownLevels] });
  }

  private announce(text: string): void {
    // Cleared first so that the same words are announced again.
    this.liveRegion.textContent = '';
    setTimeout(() => (this.liveRegion.textContent = text), 30);
  }

  private flashTimer: ReturnType<typeof setTimeout> | undefined;
  private flash(text: string): void {
    this.flashNote.textContent = text;
    this.flashNote.hidden = false;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => (this.flashNote.hidden = true), 1800);
    this.announce(text);
  }

  private installTestHooks(): void {
    window.__previewHost = {
      seqs: () => {
        const out: number[] = [];
        for (let abs = this.store.start; abs < this.store.end; abs++) {
          const e = this.store.at(abs);
          if (e?.kind === 'log') out.push(e.seq);
        }
        return out;
      },
      gaps: () => {
        const out: GapEntry[] = [];
        for (let abs = this.store.start; abs < this.store.end; abs++) {
          const e = this.store.at(abs);
          if (e?.kind === 'gap') out.push({ ...e });
        }
        return out;
      },
      domRows: () => this.list.domRowCount,
      following: () => this.follow,
      newLines: () => this.newCount,
      matchCount: () => this.view.matchCount,
      shownRows: () => this.view.count,
      lastSeq: () => this.store.lastSeq,
      partials: () => this.partialRows.texts(),
      connection: () => this.connection,
      settled: () =>
        new Promise<void>((resolve) => {
          this.renderNow();
          requestAnimationFrame(() => setTimeout(resolve, 0));
        }),
    };
  }
}

/** requestIdleCallback where there is one (Chromium, Firefox), else a short timer slice. */
function idle(fn: (timeLeft: () => number) => void): void {
  if (typeof requestIdleCallback === 'function') {
    requestIdleCallback((deadline) => fn(() => deadline.timeRemaining()), { timeout: 2000 });
  } else {
    setTimeout(() => {
      const end = performance.now() + 5;
      fn(() => end - performance.now());
    }, 50);
  }
}

function entryText(entry: Entry | undefined): string {
  if (!entry) return '';
  return entry.kind === 'log' ? entry.plain : `… ${entry.count} lines not available (${entry.from}–${entry.to})`;
}

function isEditable(el: Element | null): boolean {
  return !!el && (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || (el as HTMLElement).isContentEditable);
}

/** The row height, from the log font's size (rows must all be this tall for virtualization). */
function measureRowHeight(scroller: HTMLElement): number {
  const probe = h('div', { class: 'row probe' }, h('span', { class: 'msg' }, 'Mg'));
  scroller.append(probe);
  const height = Math.ceil(probe.getBoundingClientRect().height);
  probe.remove();
  return height >= 8 && height <= 100 ? height : 18;
}
