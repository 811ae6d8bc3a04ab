/**
 * A run's distinct errors (issue 11): follows a preview's lines entry by entry, gives each ERROR
 * entry its fingerprint and title, counts them, tells which are new (no earlier run of the same
 * preview name had them, per history), and stores the run's records in history as they change
 * (debounced) and when the run ends.
 */
import { stripAnsi } from '../shared/ansi';
import type { RunErrorRecord, RunHistory } from '../shared/historyApi';
import { isQuietHead, raisesQuietEntry } from '../shared/entryLevel';
import type { ErrorSummary, LogLine, StreamName } from '../shared/protocol';
import { isRequestLine } from '../shared/accessLog';
import { ANGULAR_BUILD_FAILED, COMPILED, TSC_FOUND, WATCHER_SAYS_CRASHED } from './levelRules';
import type { Clock } from './clock';
import { Emitter, type Disposable, type Event } from './disposable';
import { identifyError } from './fingerprint';
import { withoutSharedPrefix } from '../shared/muxPrefix';

export interface ErrorTrackerOptions {
  previewName: string;
  /** The lines, in seq order, as the ring appends them. */
  onLines: Event<readonly LogLine[]>;
  history?: RunHistory;
  /** The history run the lines go to, once the store has made it. */
  runId: () => number | undefined;
  clock: Clock;
  /** How long changes wait before they are stored (default 2 s). */
  persistDelayMs?: number;
}

/** Lines of an entry kept to identify it: its first ones (head, frames) and its last ones (Python's exception). */
const KEEP_FIRST = 1000;
const KEEP_LAST = 100;
/** Distinct errors a run keeps; later new ones are not recorded (a flood of unique messages stays bounded). */
export const MAX_DISTINCT_ERRORS = 1000;
/** Entries whose fingerprint is remembered for `fingerprintOfEntry` (the Problems panel's lookups). */
const REMEMBERED_ENTRIES = 10_000;

interface OpenEntry {
  headSeq: number;
  lastSeq: number;
  /** An ERROR line in it (under a quiet head: one that is not a frame). */
  error: boolean;
  /** The head is WARN or DEBUG: the frames under it (zap's stack, React's component stack, `console.trace()`) are its own. */
  quiet: boolean;
  first: string[];
  last: string[];
}

export class ErrorTracker implements Disposable {
  private readonly records = new Map<string, RunErrorRecord>();
  private readonly open: Partial<Record<StreamName, OpenEntry>> = {};
  private readonly entryFingerprints = new Map<number, string>();
  private readonly changed = new Emitter<void>();
  private readonly subscription: Disposable;
  /** The history run the records are of, once known. */
  private recordsRunId?: number;
  private seen?: Promise<Set<string>>;
  private seenNow?: Set<string>;
  private timer: unknown;
  private dirty = false;
  private disposed = false;
  /** Fires (at most once per persist delay) when the run's errors changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly options: ErrorTrackerOptions) {
    this.subscription = options.onLines((lines) => this.push(lines));
  }

  /** The run's distinct errors so far, the entries still being written included. */
  currentRecords(): RunErrorRecord[] {
    const out = new Map<string, RunErrorRecord>();
    for (const [fp, r] of this.records) out.set(fp, { ...r });
    for (const entry of Object.values(this.open)) {
      if (entry?.error) this.count(out, entry);
    }
    return [...out.values()].sort((a, b) => a.firstSeq - b.firstSeq);
  }

  /** The errors with `new` set against earlier runs of this preview (all new without history). */
  async summaries(): Promise<ErrorSummary[]> {
    const seen = await this.seenFingerprints();
    return this.currentRecords().map((r) => ({ ...r, new: !seen.has(r.fingerprint) }));
  }

  /**
   * Whether an error is new since earlier runs: undefined until history has answered (the first
   * `summaries()` or persist asks it).
   */
  isNew(fingerprint: string): boolean | undefined {
    return this.seenNow === undefined ? undefined : !this.seenNow.has(fingerprint);
  }

  /** The fingerprint of the ERROR entry whose first line has this seq, if it was one. */
  fingerprintOfEntry(headSeq: number): string | undefined {
    const known = this.entryFingerprints.get(headSeq);
    if (known !== undefined) return known;
    const entry = Object.values(this.open).find((e) => e?.headSeq === headSeq);
    return entry?.error ? identify(entry).fingerprint : undefined;
  }

  /** Closes the entries still open (the run ended) and stores the records now. */
  async finish(): Promise<void> {
    for (const stream of ['stdout', 'stderr'] as const) {
      this.close(this.open[stream]);
      this.open[stream] = undefined;
    }
    await this.persist();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.dispose();
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.changed.dispose();
  }

  // On the hot path: per line, a comparison and a push of the text (no copy, no ANSI stripping);
  // the work of identifying an entry happens once, when an ERROR entry closes.
  private push(lines: readonly LogLine[]): void {
    this.followRun();
    let errorSeen = false;
    for (const line of lines) {
      const head = line.entrySeq ?? line.seq;
      let entry = this.open[line.stream];
      if (entry === undefined) {
        entry = this.open[line.stream] = { headSeq: head, lastSeq: 0, error: false, quiet: isQuiet(line), first: [], last: [] };
      } else if (entry.headSeq !== head) {
        this.close(entry);
        entry.headSeq = head;
        entry.error = false;
        entry.quiet = isQuiet(line);
        entry.first.length = 0;
        entry.last.length = 0;
      }
      entry.lastSeq = line.seq;
      if (line.level === 'ERROR' && (!entry.quiet || raisesQuietEntry(stripAnsi(line.text)))) entry.error = errorSeen = true;
      if (entry.first.length < KEEP_FIRST) entry.first.push(line.text);
      else {
        entry.last.push(line.text);
        if (entry.last.length > KEEP_LAST) entry.last.shift();
      }
    }
    if (errorSeen) this.schedulePersist();
  }

  private close(entry: OpenEntry | undefined): void {
    if (!entry?.error) return;
    entry.error = false; // counted once
    const fingerprint = this.count(this.records, entry);
    if (fingerprint === undefined) return;
    this.entryFingerprints.set(entry.headSeq, fingerprint);
    if (this.entryFingerprints.size > REMEMBERED_ENTRIES) {
      this.entryFingerprints.delete(this.entryFingerprints.keys().next().value as number);
    }
    this.schedulePersist();
  }

  /** Adds an ERROR entry to `records`; one that only reports errors (a 500's request line) is none. */
  private count(records: Map<string, RunErrorRecord>, entry: OpenEntry): string | undefined {
    if (isReportOnly(entry)) return undefined;
    const { fingerprint, title } = identify(entry);
    const record = records.get(fingerprint);
    if (record === undefined && records.size >= MAX_DISTINCT_ERRORS) return undefined;
    if (record === undefined) records.set(fingerprint, { fingerprint, title, count: 1, firstSeq: entry.headSeq, lastSeq: entry.headSeq });
    else {
      record.count++;
      record.lastSeq = Math.max(record.lastSeq, entry.headSeq);
    }
    return fingerprint;
  }

  /**
   * A preview that restarts into a new history run: the records so far are the old run's (stored
   * now under its id), and counting starts afresh.
   */
  private followRun(): void {
    const runId = this.options.runId();
    if (runId === undefined || runId === this.recordsRunId) return;
    const previous = this.recordsRunId;
    this.recordsRunId = runId;
    if (previous === undefined) return;
    const records = [...this.records.values()];
    if (records.length > 0) void this.options.history?.putRunErrors?.(previous, records).catch(() => {});
    this.records.clear();
    this.entryFingerprints.clear();
    this.seen = this.seenNow = undefined;
    this.dirty = false;
  }

  private seenFingerprints(): Promise<Set<string>> {
    const { history, previewName } = this.options;
    const runId = this.options.runId();
    if (this.seen === undefined && (history?.seenFingerprints === undefined || runId !== undefined)) {
      this.seen = (async () => {
        try {
          return new Set(runId === undefined ? [] : await history!.seenFingerprints!(previewName, runId));
        } catch {
          return new Set<string>(); // history unreadable: every error counts as new
        }
      })().then((set) => {
        this.seenNow = set;
        if (!this.disposed) this.changed.fire(); // what is new is known now (Problems, status bar)
        return set;
      });
    }
    return this.seen ?? Promise.resolve(new Set<string>());
  }

  private schedulePersist(): void {
    this.dirty = true;
    if (this.timer !== undefined || this.disposed) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      void this.persist();
    }, this.options.persistDelayMs ?? 2000);
  }

  private async persist(): Promise<void> {
    const { history } = this.options;
    const runId = this.options.runId();
    void this.seenFingerprints();
    if (!this.disposed) this.changed.fire();
    if (!this.dirty || runId === undefined || history?.putRunErrors === undefined) return;
    this.dirty = false;
    try {
      await history.putRunErrors(runId, this.currentRecords());
    } catch {
      this.dirty = true; // the next change or the run's end tries again
    }
  }
}

function identify(entry: OpenEntry): { fingerprint: string; title: string } {
  return identifyError(withoutSharedPrefix([...entry.first, ...entry.last].map(stripAnsi)));
}

/** What `trackPreviewErrors` needs of a preview (a Preview, or a stand-in in tests). */
export interface TrackedPreview {
  readonly name: string;
  readonly ring: { readonly onDidAppend: Event<readonly LogLine[]> };
  readonly historyRunId: number | undefined;
  readonly exited: Promise<void>;
}

/** An ErrorTracker on a preview's lines that stores its records when the preview's run ends. */
export function trackPreviewErrors(preview: TrackedPreview, history: RunHistory | undefined, clock: Clock): ErrorTracker {
  const tracker = new ErrorTracker({
    previewName: preview.name,
    onLines: preview.ring.onDidAppend,
    history,
    runId: () => preview.historyRunId,
    clock,
  });
  void preview.exited.then(() => tracker.finish());
  return tracker;
}

/** What the Problems panel adds to an error's message: whether an earlier run had it ('' until known). */
export function newOrSeenNote(isNew: boolean | undefined): string {
  return isNew === undefined ? '' : isNew ? ' (new in this run)' : ' (seen in an earlier run)';
}

/** The status bar tooltip's line about a run's errors, e.g. "2 errors · 1 new"; undefined when there are none. */
export function errorCountText(summaries: readonly Pick<ErrorSummary, 'new'>[]): string | undefined {
  if (summaries.length === 0) return undefined;
  const fresh = summaries.filter((s) => s.new).length;
  return `${summaries.length} error${summaries.length === 1 ? '' : 's'} · ${fresh} new`;
}

/**
 * An entry that reports errors rather than being one: a request line (with its blank lines, or php
 * -S's copy of the error's stack under its `[500]` line), a watcher's word that its app crashed
 * (nodemon, node --watch), tsc's `Found 2 errors.`, webpack's `compiled with 1 error`, Angular's `Application bundle generation failed.`. The errors are
 * the entries the app's own lines make.
 */
function isReportOnly(entry: OpenEntry): boolean {
  const head = entry.first.find((line) => line.trim() !== '');
  if (head === undefined) return false;
  const plain = stripAnsi(head);
  return (
    isRequestLine(plain) ||
    WATCHER_SAYS_CRASHED.test(plain) ||
    TSC_FOUND.test(plain) ||
    COMPILED.test(plain) ||
    ANGULAR_BUILD_FAILED.test(plain)
  );
}

/** The entry's first line, at WARN or DEBUG (see `src/shared/entryLevel.ts`). */
function isQuiet(head: LogLine): boolean {
  return head.entrySeq === undefined && isQuietHead(head.level);
}
