import type { LogLine } from '../shared/protocol';
import type { LineQuery, RunHistory, RunStart } from './history';

export interface RunRecorderOptions {
  /** Absent: nothing is recorded (the stream still works from the ring). */
  history?: RunHistory;
  /** Holds (true) or resumes (false) reading the child while the store is behind. */
  hold(held: boolean): void;
  /** ISO-8601 time now, for a run's end. */
  now(): string;
}

interface Run {
  /** Set once the store has made the run; undefined if it could not. */
  id?: number;
  idPromise: Promise<number | undefined>;
  /** Lines read before the store made the run; undefined once they went to it (or nowhere). */
  pending?: LogLine[];
  ended: boolean;
  /** The first seq this run holds (its lines continue the preview's seq). */
  firstSeq?: number;
}

/**
 * A preview's runs in history: one per launch (a restart after a crash begins the next). Lines
 * wait in memory until the store has made the run; a store behind by more than it may queue holds
 * the reader (its writes wait in the pipe, as with a slow terminal) rather than grow memory or
 * drop lines.
 */
export class RunRecorder {
  private current?: Run;
  private readonly runs: Run[] = [];
  private waiting = false;

  constructor(private readonly options: RunRecorderOptions) {}

  /** The history run lines go to now (the last one begun), once the store has made it. */
  get runId(): number | undefined {
    return this.current?.id;
  }

  /** Starts a new run; later lines go to it. */
  begin(start: RunStart): void {
    const history = this.options.history;
    if (!history) return;
    const run: Run = { idPromise: Promise.resolve(undefined), pending: [], ended: false };
    run.idPromise = history
      .beginRun(start)
      .then((id) => {
        run.id = id;
        if (run.pending?.length && !history.append(id, run.pending)) this.waitForHistory(history);
        run.pending = undefined;
        return id;
      })
      .catch(() => {
        run.pending = undefined; // history unavailable: the stream still works from the ring
        return undefined;
      });
    this.current = run;
    this.runs.push(run);
  }

  append(lines: LogLine[]): void {
    const { history } = this.options;
    const run = this.current;
    if (!history || !run || lines.length === 0) return;
    run.firstSeq ??= lines[0].seq;
    if (run.id !== undefined) {
      if (!history.append(run.id, lines)) this.waitForHistory(history);
    } else if (run.pending) for (const line of lines) run.pending.push(line);
  }

  /** Ends the current run (once; later calls do nothing). */
  async end(exitCode: number | null, signal: string | null): Promise<void> {
    const run = this.current;
    const { history } = this.options;
    if (!run || run.ended || !history) return;
    run.ended = true;
    const endedAt = this.options.now();
    const id = await run.idPromise;
    if (id === undefined) return;
    try {
      await history.endRun(id, { endedAt, exitCode, signal });
    } catch {
      // The run stays open in history and is marked abnormal when the store is next opened.
    }
  }

  /**
   * A page of this preview's lines after `query.after` from history, read across its runs in
   * order (a restart's run continues the seq where the last one stopped). Filters pass through.
   */
  async readLines(query: LineQuery & { after: number; limit: number }): Promise<LogLine[]> {
    const { history } = this.options;
    // A run the store has not made yet holds its lines in `pending`: wait for it, or a read at
    // start-up (the store's worker still opening) would find nothing and report them as a gap.
    await Promise.all(this.runs.map((run) => run.idPromise));
    const withLines = this.runs.filter((r) => r.id !== undefined && r.firstSeq !== undefined);
    let first = 0; // the last run that starts at or before the wanted seq holds it; later ones follow
    withLines.forEach((r, i) => r.firstSeq! <= query.after + 1 && (first = i));
    const lines: LogLine[] = [];
    for (const run of withLines.slice(first)) {
      if (!history || lines.length >= query.limit) break;
      const after = lines.at(-1)?.seq ?? query.after;
      lines.push(...(await history.readLines(run.id!, { ...query, after, limit: query.limit - lines.length })));
    }
    return lines;
  }

  private waitForHistory(history: RunHistory): void {
    if (this.waiting) return;
    this.waiting = true;
    this.options.hold(true);
    void history.whenDrained().then(() => {
      this.waiting = false;
      this.options.hold(false);
    });
  }
}
