/**
 * The page's stream client, in two transports with the same behaviour: reconnect by itself after
 * any transient failure (the server's `retry:`, then backoff), resume after the last seq, and hand
 * on parsed `log` / `status` / `gap` / `partial` events. De-duplication is the store's job (by seq).
 *
 * - `fetch` (default): reads the response body and parses it with SseParser in slices of a few
 *   milliseconds, so a flood never blocks the page. Chromium's EventSource dispatches a whole
 *   network chunk (often 1000+ events) in one task: 100–250 ms tasks in a flood, even with an
 *   empty listener (measured: bench/webview-bench.ts).
 * - `relay`: the same reader, fed by the VS Code extension over postMessage (`relayStream.ts`):
 *   webviews then hold no connection of the browser's six per host.
 * - `eventsource`: the browser's EventSource. It is never closed on a transient error (it
 *   reconnects by itself and sends Last-Event-ID); only when the browser gives up (readyState
 *   CLOSED: non-200, wrong type) is a new one opened, with `?after=`.
 */
import {
  isGapEvent,
  isLogLine,
  isPartialLine,
  isStatusEvent,
  SSE_EVENTS,
  type GapEvent,
  type LogLine,
  type PartialLine,
  type StatusEvent,
} from '../src/shared/protocol';
import { pageClock, type Clock } from './clock';
import { SseParser } from './sseParser';
import { Utf8Decoder } from './utf8';

/** `paused`: closed on purpose while nobody can see the page (see hiddenPause.ts); set by the feed, not the client. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'paused';
export type StreamTransport = 'fetch' | 'eventsource' | 'relay';

/** One opened stream response, however it is carried (a fetch body, the extension's relay). */
export interface OpenedStream {
  status: number;
  /** The response's Content-Type ('' when it has none). */
  contentType: string;
  /** The next piece of text; undefined once the stream ended. Rejects when the connection fails. */
  read(): Promise<string | undefined>;
  /** Drops the connection; safe twice. */
  cancel(): void;
}

/** Opens one connection to `url`; `signal` aborts it (a pending `read()` then rejects or ends). */
export type StreamOpener = (url: URL, headers: Record<string, string>, signal: AbortSignal) => Promise<OpenedStream>;

export interface StreamClientOptions {
  /** Stream URL (absolute or relative to `baseUrl`). */
  url: string;
  token: string;
  baseUrl?: string;
  /** The resume point: the highest seq the view has seen. */
  lastSeq: () => number;
  onLog: (line: LogLine) => void;
  onStatus: (status: StatusEvent) => void;
  onGap: (gap: GapEvent) => void;
  /** A stream's unfinished line (see `PartialLine`); the next `log` line of that stream supersedes it. */
  onPartial?: (partial: PartialLine) => void;
  /** `detail` says why, when there is something to say (`HTTP 401`). */
  onConnection: (state: ConnectionState, detail?: string) => void;
  /**
   * A connection that sends nothing (not even the host's 15 s keep-alive comment) for this long is
   * taken for dead (a laptop woke up, a proxy dropped it) and replaced. Fetch transport only.
   */
  idleTimeoutMs?: number;
  /**
   * Fetch transport: ask the host to end each response after this many bytes (`?max=`, answered
   * with a `more` event) and reconnect at once after the last seq. Chromium hands a page that fell
   * behind a flood all it has buffered of one response in a single task (100–300 ms here; see
   * bench/fetch-floor.ts); pieces keep that buffer small. Unset: one unbounded response.
   */
  pieceBytes?: number;
  /** Injected in tests. */
  fetch?: typeof fetch;
  /** How a connection is opened (the `relay` transport's); default: `fetch`. */
  open?: StreamOpener;
  /** Drives the retry delays and the idle watchdog; injected in tests. */
  clock?: Clock;
  EventSource?: typeof EventSource;
}

export interface StreamClient {
  start(): void;
  /** Closes the stream for good (page torn down or config replaced). Safe twice. */
  dispose(): void;
}

/** Delays after consecutive failures; the server's `retry:` is the floor. */
export const BACKOFF_MS = [250, 500, 1_000, 2_000, 4_000, 8_000, 15_000];
const DEFAULT_RETRY_MS = 1_000;
const DEFAULT_IDLE_TIMEOUT_MS = 45_000;
/** Most time spent handling events before yielding to the page (rendering, input). */
const SLICE_MS = 4;

export function createStreamClient(opts: StreamClientOptions, transport: StreamTransport = 'fetch'): StreamClient {
  // `relay` without an opener (a browser tab has no extension) reads the stream itself.
  return transport === 'eventsource' ? new EventSourceClient(opts) : new FetchStreamClient(opts);
}

/**
 * Most bytes taken from the network per read. A page that falls behind a flood would otherwise get
 * the whole backlog (2 MB and more) in one chunk: copying, decoding and splitting it cost 20–40 ms
 * in one task. Read into a buffer of this size (BYOB), the rest waits in the network's pipe.
 */
export const READ_BYTES = 64 * 1024;

/**
 * `pieceBytes` of the browser page's fetch transport, about 5 000 flood lines a response: at 1 MiB
 * bench:webview counts no task ≥ 50 ms (at 2 MiB it does again), and a request per MiB keeps the
 * page at ~51 000 lines/s (~70 000 with one unbounded response, ~37 000 with 256 KiB pieces).
 */
export const PIECE_BYTES = 1024 * 1024;

/** Opens connections with `fetch`, decoding the body as UTF-8 (characters split across chunks kept). */
export function fetchOpener(fetchImpl: typeof fetch = (...args) => fetch(...args)): StreamOpener {
  return async (url, headers, signal) => {
    const res = await fetchImpl(url, { headers, cache: 'no-store', credentials: 'omit', signal });
    const reader = res.body ? boundedReader(res.body) : undefined;
    const decoder = new Utf8Decoder(); // keeps characters split across chunks; see utf8.ts for why not TextDecoder
    // Ends a pending read at once, whatever fetch does with the signal once the body flows.
    const cancel = () => void reader?.cancel().catch(() => {});
    signal.addEventListener('abort', cancel);
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      read: async () => {
        if (!reader) return undefined;
        const value = await reader.read();
        return value === undefined ? undefined : decoder.decode(value);
      },
      cancel: () => {
        signal.removeEventListener('abort', cancel);
        cancel();
      },
    };
  };
}

/** Reads a body in pieces of at most READ_BYTES, reusing one buffer where the stream allows it. */
interface BoundedReader {
  /** The next piece (valid until the next call), or undefined at the end. */
  read(): Promise<Uint8Array | undefined>;
  cancel(): Promise<void>;
}

function boundedReader(body: ReadableStream<Uint8Array>): BoundedReader {
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = body.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream (some fetch implementations): take its chunks and cut them below.
  }
  if (byob) {
    const reader = byob;
    let buffer: ArrayBuffer | undefined = new ArrayBuffer(READ_BYTES);
    return {
      read: async () => {
        // The read takes the buffer over and hands it back in its result.
        const { value, done } = await reader.read(new Uint8Array(buffer ?? new ArrayBuffer(READ_BYTES)));
        buffer = value?.buffer as ArrayBuffer | undefined;
        return done || !value ? undefined : value;
      },
      cancel: () => reader.cancel(),
    };
  }
  const reader = body.getReader();
  let rest: Uint8Array | undefined;
  return {
    read: async () => {
      if (!rest || rest.byteLength === 0) {
        const { value, done } = await reader.read();
        if (done || !value) return undefined;
        rest = value;
      }
      const piece = rest.subarray(0, READ_BYTES);
      rest = rest.subarray(piece.byteLength);
      return piece;
    },
    cancel: () => reader.cancel(),
  };
}

/** The URL a (re)connection opens: token added, `after` set to the resume point. */
export function buildStreamUrl(url: string, token: string, after: number, baseUrl?: string, pieceBytes?: number): URL {
  const u = new URL(url, baseUrl ?? globalThis.location?.href);
  if (token && !u.searchParams.has('token')) u.searchParams.set('token', token);
  if (after > 0) u.searchParams.set('after', String(after));
  else u.searchParams.delete('after');
  if (pieceBytes !== undefined) u.searchParams.set('max', String(pieceBytes));
  return u;
}

/** Routes one parsed event to its handler; malformed data is dropped. */
function dispatch(opts: StreamClientOptions, type: string, data: string): void {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return;
  }
  if (type === SSE_EVENTS.log) {
    if (isLogLine(value)) opts.onLog(value);
  } else if (type === SSE_EVENTS.status) {
    if (isStatusEvent(value)) opts.onStatus(value);
  } else if (type === SSE_EVENTS.gap) {
    if (isGapEvent(value)) opts.onGap(value);
  } else if (type === SSE_EVENTS.partial) {
    if (isPartialLine(value)) opts.onPartial?.(value);
  }
}

/**
 * Yields to the page between slices. A timer (not a MessageChannel) on purpose: it leaves short
 * idle periods, in which Chromium renders and V8 runs its idle-time GC instead of long pauses.
 * The page's own timer and `performance.now()`, not the clock: slicing measures CPU time, not
 * behaviour, and a fake clock would stall it.
 */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export class FetchStreamClient implements StreamClient {
  private readonly abort = new AbortController();
  private readonly clock: Clock;
  private disposed = false;
  private state: ConnectionState | undefined;

  private readonly open: StreamOpener;

  constructor(private readonly opts: StreamClientOptions) {
    this.clock = opts.clock ?? pageClock;
    this.open = opts.open ?? fetchOpener(opts.fetch);
  }

  start(): void {
    void this.run();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.abort.abort();
  }

  private async run(): Promise<void> {
    const parser = new SseParser();
    let failures = 0;
    this.setState('connecting');
    while (!this.disposed) {
      let detail: string | undefined;
      let nextPiece = false;
      // One controller per connection, so the idle watchdog can drop just this one.
      const conn = new AbortController();
      const stop = () => conn.abort();
      this.abort.signal.addEventListener('abort', stop);
      const watchdog = new Watchdog(this.clock, this.opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, () => {
        detail = 'no data from the host';
        conn.abort();
      });
      try {
        const url = buildStreamUrl(this.opts.url, this.opts.token, this.opts.lastSeq(), this.opts.baseUrl, this.opts.pieceBytes);
        const headers: Record<string, string> = { Accept: 'text/event-stream' };
        // Same origin only: a custom header would make a cross-origin request need a CORS preflight.
        const last = this.opts.lastSeq();
        if (last > 0 && url.origin === globalThis.location?.origin) headers['Last-Event-ID'] = String(last);
        const res = await this.open(url, headers, conn.signal);
        if (res.status < 200 || res.status > 299 || !res.contentType.includes('text/event-stream')) {
          detail = `HTTP ${res.status}`;
          res.cancel();
        } else {
          this.setState('open');
          failures = 0;
          parser.resetConnection();
          nextPiece = await this.read(res, parser, watchdog);
        }
      } catch (err) {
        if (this.disposed) return;
        detail ??= (err as Error)?.message;
      } finally {
        watchdog.dispose();
        this.abort.signal.removeEventListener('abort', stop);
      }
      if (this.disposed) return;
      if (nextPiece) continue; // a full piece: the next one now, still open as far as the page shows
      this.setState('reconnecting', detail);
      const delay = Math.max(
        parser.retry ?? DEFAULT_RETRY_MS,
        failures > 0 ? BACKOFF_MS[Math.min(failures - 1, BACKOFF_MS.length - 1)]! : 0,
      );
      failures++;
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, delay));
    }
  }

  /**
   * Reads until the server ends the stream or the connection fails (then throws). True when the
   * response ended as a full piece (`more`): the next one is to be opened at once.
   */
  private async read(res: OpenedStream, parser: SseParser, watchdog: Watchdog): Promise<boolean> {
    // One budget per task, not per chunk: a read that is already fulfilled resumes in the same
    // task, so a backlog of chunks would otherwise be parsed in one go.
    let sliceStart = performance.now();
    const overBudget = () => performance.now() - sliceStart > SLICE_MS && !globalThis.document?.hidden;
    try {
      for (;;) {
        const text = await res.read();
        if (text === undefined || this.disposed) return false;
        watchdog.kick();
        parser.push(text);
        let n = 0;
        for (let event = parser.next(); event; event = parser.next()) {
          if (event.type === SSE_EVENTS.more) return true;
          dispatch(this.opts, event.type, event.data);
          // Hidden pages (background tabs) get their timers throttled to one a second or less:
          // there, keep parsing instead, as nobody is waiting for a frame.
          if (++n % 32 === 0 && overBudget()) {
            await yieldToPage();
            if (this.disposed) return false;
            sliceStart = performance.now();
          }
        }
        if (overBudget()) {
          await yieldToPage();
          if (this.disposed) return false;
          sliceStart = performance.now();
        }
      }
    } finally {
      res.cancel();
    }
  }

  private setState(state: ConnectionState, detail?: string): void {
    if (state === this.state) return;
    this.state = state;
    this.opts.onConnection(state, detail);
  }
}

/** Calls `onIdle` when `kick()` has not been called for `ms`. */
class Watchdog {
  private timer: unknown;
  private last: number;

  constructor(
    private readonly clock: Clock,
    private readonly ms: number,
    private readonly onIdle: () => void,
  ) {
    this.last = clock.now();
    this.timer = clock.setTimeout(() => this.check(), ms);
  }

  kick(): void {
    this.last = this.clock.now();
  }

  dispose(): void {
    this.clock.clearTimeout(this.timer);
  }

  private check(): void {
    const idle = this.clock.now() - this.last;
    if (idle >= this.ms) this.onIdle();
    else this.timer = this.clock.setTimeout(() => this.check(), this.ms - idle);
  }
}

export class EventSourceClient implements StreamClient {
  private es: EventSource | undefined;
  private readonly clock: Clock;
  private timer: unknown;
  private attempt = 0;
  private disposed = false;
  private state: ConnectionState | undefined;

  constructor(private readonly opts: StreamClientOptions) {
    this.clock = opts.clock ?? pageClock;
  }

  start(): void {
    this.open();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.es?.close();
    this.es = undefined;
    this.clock.clearTimeout(this.timer);
  }

  private open(): void {
    if (this.disposed) return;
    const Ctor = this.opts.EventSource ?? EventSource;
    const es = new Ctor(buildStreamUrl(this.opts.url, this.opts.token, this.opts.lastSeq(), this.opts.baseUrl).toString());
    this.es = es;
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    es.onopen = () => {
      this.attempt = 0;
      this.setState('open');
    };
    es.onerror = () => {
      if (this.es !== es || this.disposed) return;
      if (es.readyState === Ctor.CLOSED) {
        // The browser will not retry (non-200, wrong type): open a new one, after what we have.
        this.es = undefined;
        const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]!;
        this.attempt++;
        this.setState('reconnecting');
        this.timer = this.clock.setTimeout(() => this.open(), delay);
      } else {
        // CONNECTING: the browser retries by itself, sending Last-Event-ID. Never close it here.
        this.setState('reconnecting');
      }
    };
    for (const type of Object.values(SSE_EVENTS)) {
      es.addEventListener(type, (e) => dispatch(this.opts, type, String((e as MessageEvent).data)));
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    this.opts.onConnection(state);
  }
}
