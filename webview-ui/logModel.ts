/** The lines in view: the bounded store and the filtered index over it. */
import type { LogLevel } from '../src/shared/protocol';
import { LineStore } from './lineStore';
import { ViewIndex } from './viewIndex';

/** Store and index, replaced together; components hold this object, so a new run reaches them all. */
export class LogModel {
  store: LineStore;
  view: ViewIndex;

  constructor(capacity: number, levels: readonly LogLevel[]) {
    this.store = new LineStore(capacity);
    this.view = new ViewIndex(this.store, levels);
  }

  /** Starts from an empty view (another run, whose seqs start at 1 again, or another size); filter and query stay. */
  replace(capacity: number): void {
    const { shownLevels, query } = this.view;
    this.store = new LineStore(capacity);
    this.view = new ViewIndex(this.store, shownLevels);
    this.view.setQuery(query);
  }
}
