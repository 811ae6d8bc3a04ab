import type { StatusEvent } from '../shared/protocol';
import { killProcessGroupSync, type SpawnFn } from './childProcess';
import { systemClock, type Clock } from './clock';
import { Emitter, type Disposable } from './disposable';
import { trackPreviewErrors, type ErrorTracker } from './errorTracker';
import type { RunHistory } from './history';
import { Preview, type PreviewSpec } from './preview';
import type { RestartLimits } from './restartPolicy';
import type { LogRingOptions } from './ring';
import { LinePathWarmUp } from './warmUpLinePath';

export interface PreviewManagerOptions {
  clock?: Clock;
  history?: RunHistory;
  ring?: LogRingOptions;
  maxLineBytes?: number;
  pickPort?: () => Promise<number>;
  /** Passed to each Preview (see PreviewOptions.spawn). */
  spawn?: SpawnFn;
  /** Passed to each Preview: backoff and crash-loop timings for `restart: on-failure`. */
  restartLimits?: Partial<RestartLimits>;
  /**
   * Run the per-line path over made-up lines when the first preview starts, so its first burst
   * of output meets optimized code (see LinePathWarmUp; once, in slices).
   */
  warmUp?: boolean;
}

/** The previews this host runs; the stream server and the extension both read from it. */
export class PreviewManager implements Disposable {
  private readonly previews = new Map<string, Preview>();
  private readonly errorTrackers = new Map<string, ErrorTracker>();
  private nextId = 1;
  private warmUp?: LinePathWarmUp;
  private readonly added = new Emitter<Preview>();
  private readonly removed = new Emitter<Preview>();
  private readonly changed = new Emitter<{ preview: Preview; status: StatusEvent }>();
  readonly onDidAddPreview = this.added.event;
  readonly onDidRemovePreview = this.removed.event;
  readonly onDidChangeState = this.changed.event;

  constructor(private readonly options: PreviewManagerOptions = {}) {}

  get history(): RunHistory | undefined {
    return this.options.history;
  }

  /** Starts a preview; failures to start show up as its `failed` state, never as a throw. */
  async start(spec: PreviewSpec): Promise<Preview> {
    if (!Array.isArray(spec.command) || spec.command.length === 0 || spec.command.some((p) => typeof p !== 'string')) {
      throw new Error(`invalid command: ${JSON.stringify(spec.command)} (expected a non-empty array of strings)`);
    }
    if (this.options.warmUp) this.warmUp ??= new LinePathWarmUp(this.options.clock ?? systemClock, { history: this.options.history });
    const preview = new Preview({ id: String(this.nextId++), spec, ...this.options });
    this.previews.set(preview.id, preview);
    this.errorTrackers.set(preview.id, trackPreviewErrors(preview, this.options.history, this.options.clock ?? systemClock));
    preview.onDidChangeState((status) => this.changed.fire({ preview, status }));
    this.added.fire(preview);
    await preview.start();
    return preview;
  }

  get(id: string): Preview | undefined {
    return this.previews.get(id);
  }

  /** The distinct errors of a preview's run (issue 11). */
  errorsOf(id: string): ErrorTracker | undefined {
    return this.errorTrackers.get(id);
  }

  list(): Preview[] {
    return [...this.previews.values()];
  }

  /** Stops the preview's tree and forgets it. */
  async remove(id: string): Promise<void> {
    const preview = this.previews.get(id);
    if (!preview) return;
    await preview.stop();
    this.previews.delete(id);
    this.errorTrackers.get(id)?.dispose();
    this.errorTrackers.delete(id);
    this.removed.fire(preview);
    preview.dispose();
  }

  /** Stops every preview's process tree. */
  async stopAll(): Promise<void> {
    await Promise.all(this.list().map((p) => p.stop()));
  }

  /** Kills every live preview's whole tree at once (POSIX: SIGKILL to the group; Windows: taskkill /T /F): for process exit. */
  killAllSync(): void {
    for (const p of this.previews.values()) if (p.pid !== undefined && !p.hasEnded) killProcessGroupSync(p.pid);
  }

  dispose(): void {
    this.warmUp?.dispose();
    for (const preview of this.previews.values()) preview.dispose();
    this.previews.clear();
    for (const tracker of this.errorTrackers.values()) tracker.dispose();
    this.errorTrackers.clear();
    this.added.dispose();
    this.removed.dispose();
    this.changed.dispose();
  }
}
