/**
 * Feeds the view from the host: the stream's lines, gaps, unfinished lines, status and connection
 * state, and the preview's details (command, port, start time) for the header. While nobody can
 * see the page its stream is closed (`HiddenPause`); when shown it resumes after the last seq the
 * store holds, so nothing is missed and nothing comes twice (the store also drops seen seqs).
 */
import type { GapEvent, LogLine, PreviewInfo, StatusEvent } from '../src/shared/protocol';
import type { TerminalConfig } from '../src/shared/webviewProtocol';
import type { Bridge } from './bridge';
import { pageClock, type Clock } from './clock';
import { describeState } from './format';
import { HiddenPause } from './hiddenPause';
import type { LogModel } from './logModel';
import type { PartialRows } from './partialRows';
import { relayOpener } from './relayStream';
import type { StatusHeader } from './statusHeader';
import { createStreamClient, PIECE_BYTES, type ConnectionState, type StreamClient } from './stream';

export interface StreamFeedOptions {
  /** The current config (replaced when the panel is pointed at another run). */
  config(): TerminalConfig;
  model: LogModel;
  partialRows: PartialRows;
  header: StatusHeader;
  /** Renders soon: the store or the partial rows changed. */
  schedule(): void;
  announce(text: string): void;
  /** The extension's relay and its word on the panel's visibility. */
  bridge: Pick<Bridge, 'relay' | 'onHostVisibility'>;
  /** Injected in tests. */
  clock?: Clock;
  document?: Pick<Document, 'hidden' | 'addEventListener' | 'removeEventListener'>;
  /** The preview's details arrived (its history run among them). */
  onPreview?(info: PreviewInfo): void;
}

/** One stream connection at a time, and the header fetches that go with it. */
export class StreamFeed {
  private stream: StreamClient | undefined;
  private state: ConnectionState | undefined;
  private previewsFetch = 0;
  /** The last status taken (see `onStatus`); cleared when the feed is pointed at another stream. */
  private lastStatus: string | undefined;
  /** connect() was called and disconnect() not since: the stream is wanted when the page is seen. */
  private wanted = false;
  private readonly hiddenPause: HiddenPause;

  constructor(private readonly opts: StreamFeedOptions) {
    const doc = opts.document ?? globalThis.document;
    this.hiddenPause = new HiddenPause({
      clock: opts.clock ?? pageClock,
      documentHidden: () => doc?.hidden ?? false,
      onDocumentVisibility: (listener) => {
        doc?.addEventListener('visibilitychange', listener);
        return () => doc?.removeEventListener('visibilitychange', listener);
      },
      onHostVisibility: (listener) =>
        opts.bridge.onHostVisibility((visible) => {
          listener(visible);
          if (visible) this.reopenIfStuck();
        }),
      pause: () => this.pause(),
      resume: () => {
        if (this.wanted) this.open();
      },
    });
  }

  /** The connection's state, once the stream said one. */
  get connection(): ConnectionState | undefined {
    return this.state;
  }

  /** (Re)connects to the config's stream, resuming after the store's last seq (once shown, if hidden). */
  connect(): void {
    this.wanted = true;
    this.lastStatus = undefined;
    this.stream?.dispose();
    this.stream = undefined;
    if (this.opts.config().runId !== undefined) return; // a past run: history only
    if (this.hiddenPause.isPaused) this.onConnection('paused');
    else this.open();
  }

  /** Closes the stream (before the store is replaced). */
  disconnect(): void {
    this.wanted = false;
    this.stream?.dispose();
    this.stream = undefined;
  }

  /** Closes the stream and stops watching the page's visibility. */
  dispose(): void {
    this.disconnect();
    this.hiddenPause.dispose();
  }

  // A panel moved to another editor group can lose messages posted while it moves (its relayed
  // stream then never answers, and the idle watchdog would take 45 s to notice): once shown, a
  // stream that is not open is opened afresh.
  private reopenIfStuck(): void {
    if (!this.wanted || this.hiddenPause.isPaused || !this.stream || this.state === 'open') return;
    this.stream.dispose();
    this.stream = undefined;
    this.open();
  }

  private pause(): void {
    this.stream?.dispose();
    this.stream = undefined;
    if (this.wanted) this.onConnection('paused');
  }

  private open(): void {
    const config = this.opts.config();
    const relay = config.transport === 'relay' ? this.opts.bridge.relay : undefined;
    this.stream = createStreamClient(
      {
        url: config.streamUrl,
        token: config.token,
        lastSeq: () => this.opts.model.store.lastSeq,
        onLog: (line) => this.onLog(line),
        onGap: (gap) => this.onGap(gap),
        onPartial: (partial) => {
          this.opts.partialRows.show(partial);
          this.opts.schedule();
        },
        onStatus: (status) => this.onStatus(status),
        onConnection: (state, detail) => this.onConnection(state, detail),
        // The relay reads from Node, which has no such buffering to bound: one unbounded response.
        ...(relay ? { open: relayOpener(relay, () => this.opts.config().previewId) } : { pieceBytes: PIECE_BYTES }),
      },
      config.transport ?? 'fetch',
    );
    this.stream.start();
  }

  /** Fetches this preview's details (command, port, start time) for the header. */
  fetchPreview(): void {
    const config = this.opts.config();
    const previewsUrl = config.previewsUrl;
    if (!previewsUrl) return;
    const id = ++this.previewsFetch;
    const url = new URL(previewsUrl, location.href);
    // `?token=` rather than a header: no CORS preflight from the webview's origin.
    if (config.token && !url.searchParams.has('token')) url.searchParams.set('token', config.token);
    fetch(url, { cache: 'no-store', credentials: 'omit' })
      .then((res) => (res.ok ? res.json() : undefined))
      .then((list: unknown) => {
        if (id !== this.previewsFetch || !Array.isArray(list)) return;
        const info = (list as PreviewInfo[]).find((p) => p && p.id === this.opts.config().previewId);
        if (info) {
          this.opts.header.setPreview(info);
          this.opts.onPreview?.(info);
        }
      })
      .catch(() => {
        // The header keeps what it had; the stream is what matters.
      });
  }

  private onLog(line: LogLine): void {
    // O(1) into the bounded store; the view catches up once per frame.
    const finishedPartial = this.opts.partialRows.lineArrived(line.stream);
    if (this.opts.model.store.appendLine(line) || finishedPartial) this.opts.schedule();
  }

  private onGap(gap: GapEvent): void {
    if (this.opts.model.store.appendGap(gap)) this.opts.schedule();
  }

  private onStatus(status: StatusEvent): void {
    // Every response starts with the current status (a reconnect, a page shown again, the next
    // piece of a flood): only a change is news to announce and to fetch the details for.
    const key = statusKey(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.opts.header.setStatus(status);
    this.opts.announce(describeState(status));
    this.fetchPreview();
  }

  private onConnection(state: ConnectionState, detail?: string): void {
    const was = this.state;
    this.state = state;
    this.opts.header.setConnection(state, detail);
    if (state === 'open' && this.opts.partialRows.clear()) this.opts.schedule(); // the host sends them again
    if (state === 'reconnecting' && was !== 'reconnecting') this.opts.announce('Connection lost, reconnecting…');
    if (state === 'open' && was === 'reconnecting') {
      this.opts.announce('Reconnected');
      this.fetchPreview();
    }
  }
}

/** What makes a status news: everything but its time. */
export function statusKey(status: StatusEvent): string {
  const { state, exitCode, signal, reason, appUrl, attempt, delayMs } = status;
  return JSON.stringify([state, exitCode, signal, reason, appUrl, attempt, delayMs]);
}
