/**
 * The run's distinct errors in the header ("2 errors · 1 new") and in a list under it: title,
 * count, a mark on the ones no earlier run had. A click on one jumps to its first occurrence.
 * Refreshed from `/errors` when the ERROR count moves, at most once a second or so.
 */
import type { Clock } from '../src/shared/clock';
import type { ErrorSummary } from '../src/shared/protocol';
import { h, setText } from './dom';
import { formatCount } from './format';
import { placeUnder } from './popover';
import type { RunApi } from './runApi';
import { Throttle } from './throttle';

export interface ErrorSummaryOptions {
  api: Pick<RunApi, 'errors'>;
  clock: Clock;
  /** Shows the line with this seq in the log. */
  jump(seq: number): void;
  announce(text: string): void;
}

/** How long after an ERROR line the list is asked for again: the host fingerprints an entry once it ends. */
const SETTLE_MS = 2000;

export class ErrorSummaryView {
  /** The header's button; hidden while the run has no errors. */
  readonly button = h('button', {
    type: 'button',
    class: 'errors-summary',
    hidden: true,
    'aria-haspopup': 'true',
    'aria-expanded': 'false',
  });
  /** The list, placed by the app under the header. */
  readonly popover = h('div', { class: 'errors-pop', role: 'dialog', 'aria-label': 'Errors in this run', hidden: true });
  private readonly heading = h('div', { class: 'errors-pop-head' });
  private readonly list = h('ul', { class: 'errors-list' });
  private readonly problem = h('div', { class: 'errors-problem', role: 'alert', hidden: true });
  private errors: ErrorSummary[] = [];
  private errorCount = -1;
  private generation = 0;
  private settleTimer: unknown;
  private readonly refresh: Throttle;

  constructor(private readonly opts: ErrorSummaryOptions) {
    this.refresh = new Throttle(() => this.load(), 1000, opts.clock);
    this.popover.append(this.heading, this.problem, this.list);
    this.button.addEventListener('click', () => this.toggle());
    this.list.addEventListener('click', (e) => {
      const item = (e.target as Element).closest<HTMLElement>('.error-item');
      if (!item) return;
      this.close();
      opts.jump(Number(item.dataset.seq));
    });
    this.popover.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.close();
        this.button.focus();
      }
    });
    document.addEventListener('pointerdown', (e) => {
      const t = e.target as Node;
      if (!this.popover.hidden && !this.popover.contains(t) && !this.button.contains(t)) this.close();
    });
  }

  get isOpen(): boolean {
    return !this.popover.hidden;
  }

  /** The view's ERROR count after a frame: a change asks the host for the list (now and once settled). */
  noteErrorCount(count: number): void {
    if (count === this.errorCount) return;
    this.errorCount = count;
    this.refresh.request();
    this.opts.clock.clearTimeout(this.settleTimer);
    this.settleTimer = this.opts.clock.setTimeout(() => this.refresh.request(), SETTLE_MS);
  }

  /** Asks the host again (reconnected, or another run shown). */
  reload(): void {
    this.refresh.request();
  }

  /** Another run: nothing known until its list arrives. */
  reset(): void {
    this.generation++;
    this.errors = [];
    this.errorCount = -1;
    this.refresh.reset();
    this.opts.clock.clearTimeout(this.settleTimer);
    this.close();
    this.render();
  }

  dispose(): void {
    this.refresh.dispose();
    this.opts.clock.clearTimeout(this.settleTimer);
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  open(): void {
    this.popover.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    placeUnder(this.popover, this.button, 560);
    this.list.querySelector<HTMLElement>('.error-item')?.focus();
    this.refresh.request();
  }

  close(): void {
    this.popover.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
  }

  private async load(): Promise<void> {
    const generation = this.generation;
    try {
      const errors = await this.opts.api.errors();
      if (generation !== this.generation) return;
      this.errors = errors.filter(isErrorSummary);
      this.problem.hidden = true;
    } catch (err) {
      if (generation !== this.generation) return;
      setText(this.problem, `Could not read the errors: ${(err as Error).message}`);
      this.problem.hidden = false;
    }
    this.render();
  }

  private render(): void {
    const distinct = this.errors.length;
    const fresh = this.errors.filter((e) => e.new).length;
    const occurrences = this.errors.reduce((n, e) => n + e.count, 0);
    const label = `${formatCount(distinct)} ${distinct === 1 ? 'error' : 'errors'}${fresh > 0 ? ` · ${formatCount(fresh)} new` : ''}`;
    setText(this.button, label);
    this.button.hidden = distinct === 0;
    this.button.classList.toggle('has-new', fresh > 0);
    this.button.title =
      `${formatCount(distinct)} distinct ${distinct === 1 ? 'error' : 'errors'} (${formatCount(occurrences)} in all) in this run` +
      `${fresh > 0 ? `, ${formatCount(fresh)} new since the earlier runs` : ''}. Click for the list.`;
    setText(
      this.heading,
      distinct === 0
        ? 'No errors in this run'
        : `${formatCount(distinct)} distinct ${distinct === 1 ? 'error' : 'errors'} in this run` +
            `${fresh > 0 ? `, ${formatCount(fresh)} new (no earlier run had it)` : ', all seen in earlier runs'}. Click one to show its first line.`,
    );
    // New ones first, then in the order they first happened.
    const sorted = [...this.errors].sort((a, b) => Number(b.new) - Number(a.new) || a.firstSeq - b.firstSeq);
    this.list.replaceChildren(...sorted.map((e) => this.item(e)));
    if (this.isOpen) placeUnder(this.popover, this.button, 560);
  }

  private item(e: ErrorSummary): HTMLElement {
    const button = h(
      'button',
      {
        type: 'button',
        class: `error-item${e.new ? ' is-new' : ''}`,
        'data-seq': e.firstSeq,
        title: `${e.title}\n${e.new ? 'New in this run' : 'Seen in an earlier run'}; first at line ${e.firstSeq}, last at line ${e.lastSeq}`,
      },
      h('span', { class: 'error-mark', text: e.new ? 'new' : 'seen' }),
      h('span', { class: 'error-title', text: e.title }),
      h('span', { class: 'error-count', text: `×${formatCount(e.count)}` }),
    );
    return h('li', {}, button);
  }
}

function isErrorSummary(value: unknown): value is ErrorSummary {
  const v = value as ErrorSummary;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.title === 'string' &&
    typeof v.count === 'number' &&
    Number.isSafeInteger(v.firstSeq) &&
    typeof v.new === 'boolean'
  );
}
