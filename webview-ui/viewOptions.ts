/** Which levels are shown and whether each line's time is: applied to the view and remembered. */
import { LOG_LEVELS, type LogLevel } from '../src/shared/protocol';
import type { Bridge } from './bridge';
import type { Follow } from './follow';
import type { RenderLoop, ViewParts } from './renderLoop';
import type { SearchBar } from './search';
import type { Toolbar } from './toolbar';

export interface ViewOptionsOptions extends ViewParts {
  root: HTMLElement;
  loop: Pick<RenderLoop, 'renderNow'>;
  follow: Pick<Follow, 'following'>;
  toolbar: Toolbar;
  search: Pick<SearchBar, 'updateCount'>;
  bridge: Pick<Bridge, 'savePrefs'>;
  showTime: boolean;
}

/** The level filter and the time column. */
export class ViewOptions {
  private showTime: boolean;

  constructor(private readonly opts: ViewOptionsOptions) {
    this.showTime = opts.showTime;
    this.applyTimeColumn();
    opts.toolbar.showShownLevels(opts.model.view.shownLevels);
  }

  /** Shows or hides one level's lines. */
  toggleLevel(level: LogLevel): void {
    const levels = new Set(this.opts.model.view.shownLevels);
    if (levels.has(level)) levels.delete(level);
    else levels.add(level);
    this.setLevels(levels);
  }

  /** Makes sure `level`'s lines are shown. */
  showLevel(level: LogLevel): void {
    const { shownLevels } = this.opts.model.view;
    if (!shownLevels.has(level)) this.setLevels(new Set([...shownLevels, level]));
  }

  /** Shows or hides the time column. */
  toggleTime(): void {
    this.showTime = !this.showTime;
    this.applyTimeColumn();
    this.savePrefs();
  }

  private setLevels(levels: Set<LogLevel>): void {
    const { model, list, rowCtx } = this.opts;
    const { view } = model;
    // Keep the line at the top of the view in place (or the nearest one after it).
    const anchorAbs = !this.opts.follow.following && view.count > 0 ? view.rowAt(Math.min(list.firstVisible(), view.count - 1)) : -1;
    view.sync();
    view.setLevels(LOG_LEVELS.filter((l) => levels.has(l)));
    list.setCount(view.count);
    list.invalidate();
    rowCtx.currentMatchAbs = view.currentMatchAbs;
    if (anchorAbs >= 0) list.scrollTop = view.positionAtOrAfter(anchorAbs) * list.rowHeight;
    this.opts.loop.renderNow();
    this.opts.toolbar.showShownLevels(view.shownLevels);
    this.opts.search.updateCount();
    this.savePrefs();
  }

  private applyTimeColumn(): void {
    this.opts.root.classList.toggle('show-time', this.showTime);
    this.opts.toolbar.showTimePressed(this.showTime);
  }

  private savePrefs(): void {
    this.opts.bridge.savePrefs({ showTime: this.showTime, levels: [...this.opts.model.view.shownLevels] });
  }
}
