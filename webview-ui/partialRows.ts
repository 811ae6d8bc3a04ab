/**
 * The streams' unfinished lines (`event: partial`, a prompt waiting for input), shown as the last
 * rows, after every line. Kept out of the LineStore: they have no seq of their own yet, so they are
 * never counted, resumed from or kept once their line is finished.
 */
import type { PartialLine, StreamName } from '../src/shared/protocol';
import { stripAnsi } from './ansi';
import type { LogEntry } from './lineStore';
import { renderRow, type RowContext } from './rowView';

export class PartialRows {
  private readonly rows = new Map<StreamName, { entry: LogEntry; key: number }>();
  // Row keys: negative (store rows are >= 0, -1 means "no match") and new for every update, so the
  // virtual list redraws a row exactly when its text changed.
  private nextKey = -2;

  get count(): number {
    return this.rows.size;
  }

  /** Shows `partial` in place of its stream's older one. */
  show(partial: PartialLine): void {
    const { stream, ts, level, text, seq } = partial;
    this.rows.set(stream, {
      entry: { kind: 'log', seq, ts, level, stream, text, plain: stripAnsi(text), headAbs: -1, request: false },
      key: this.nextKey--,
    });
  }

  /** A line of `stream` arrived: it is the unfinished one, finished. True when a row went. */
  lineArrived(stream: StreamName): boolean {
    return this.rows.delete(stream);
  }

  /** On a new connection: the host sends the current partials again after its backlog. */
  clear(): boolean {
    const had = this.rows.size > 0;
    this.rows.clear();
    return had;
  }

  /** Row key of the `index`-th partial row. */
  keyAt(index: number): number {
    return this.at(index)?.key ?? this.nextKey;
  }

  /** Fills a row like a normal line's, marked `partial` (the style adds a cursor after it). */
  render(el: HTMLElement, index: number, ctx: RowContext): void {
    const row = this.at(index);
    renderRow(el, row?.entry, row?.key ?? this.nextKey, ctx);
    if (row) el.classList.add('partial');
  }

  /** The texts shown, in order (test hooks). */
  texts(): string[] {
    return [...this.rows.values()].map((row) => row.entry.text);
  }

  private at(index: number): { entry: LogEntry; key: number } | undefined {
    let i = 0;
    for (const row of this.rows.values()) if (i++ === index) return row;
    return undefined;
  }
}
