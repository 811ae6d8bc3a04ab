/** Read-only hooks for tests and benchmarks, as `window.__previewHost`. */
import type { Follow } from './follow';
import type { HistoryPager } from './historyPager';
import type { Entry, GapEntry, LineStore } from './lineStore';
import type { LogModel } from './logModel';
import type { PartialRows } from './partialRows';
import type { ConnectionState } from './stream';
import type { StreamFeed } from './streamFeed';
import type { VirtualList } from './virtualList';

/** What tests can read (`window.__previewHost`). */
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
  /** Level counts as the toolbar shows them (entries, not lines). */
  levelCounts(): Record<string, number>;
  /** Whether a history page is loading; the first and newest seq kept; whether the live tail is out of view. */
  historyBusy(): boolean;
  firstSeq(): number;
  keptLastSeq(): number;
  detached(): boolean;
  /** Resolves after pending lines are applied and a frame has rendered. */
  settled(): Promise<void>;
}

declare global {
  interface Window {
    __previewHost?: TestHooks;
  }
}

/** The parts the hooks read. */
export interface HookedParts {
  model: LogModel;
  list: VirtualList;
  follow: Pick<Follow, 'following' | 'newLines'>;
  partialRows: PartialRows;
  feed: Pick<StreamFeed, 'connection'>;
  pager: Pick<HistoryPager, 'busy'>;
  renderNow(): void;
}

/** Sets `window.__previewHost`. */
export function installTestHooks({ model, list, follow, partialRows, feed, pager, renderNow }: HookedParts): void {
  window.__previewHost = {
    seqs: () => entriesOf(model.store, (e) => (e.kind === 'log' ? e.seq : undefined)),
    gaps: () => entriesOf(model.store, (e) => (e.kind === 'gap' ? { ...e } : undefined)),
    domRows: () => list.domRowCount,
    following: () => follow.following,
    newLines: () => follow.newLines,
    matchCount: () => model.view.matchCount,
    shownRows: () => model.view.count,
    lastSeq: () => model.store.lastSeq,
    partials: () => partialRows.texts(),
    connection: () => feed.connection,
    levelCounts: () => ({ ...model.store.levelCounts }),
    historyBusy: () => pager.busy,
    firstSeq: () => model.store.firstSeq,
    keptLastSeq: () => model.store.keptLastSeq,
    detached: () => model.store.detached,
    settled: () =>
      new Promise<void>((resolve) => {
        renderNow();
        requestAnimationFrame(() => setTimeout(resolve, 0));
      }),
  };
}

/** What `pick` takes from each entry kept, oldest first. */
function entriesOf<T>(store: LineStore, pick: (e: Entry) => T | undefined): T[] {
  const out: T[] = [];
  for (let abs = store.start; abs < store.end; abs++) {
    const e = store.at(abs);
    const value = e && pick(e);
    if (value !== undefined) out.push(value);
  }
  return out;
}
