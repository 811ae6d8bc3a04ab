/**
 * The extension's side of the `relay` transport: reads a preview's SSE stream from the loopback
 * stream server (Node has no per-host connection limit, unlike the browser that runs every
 * webview) and posts it to the page as `streamOpened` / `streamData` / `streamEnd` messages. At
 * most `window` chunks go ahead of the page's acks: a page that falls behind pauses the socket, and
 * the stream server then keeps the backlog in its ring (or says what was missed with a gap), as
 * for any slow client. No vscode import: the panel hands it messages and a way to post.
 */
import http from 'node:http';
import {
  StreamAckMessage,
  StreamCloseMessage,
  StreamDataMessage,
  StreamEndMessage,
  StreamOpenedMessage,
  StreamOpenMessage,
  type ExtensionToWebviewMessage,
} from '../shared/webviewProtocol';

export interface StreamRelayOptions {
  /** The loopback stream URL (token included) of a preview this page may read; undefined: none. */
  streamUrl(previewId: string): string | undefined;
  post(message: ExtensionToWebviewMessage): void;
  /** Most chunks sent ahead of the page's acks. */
  window?: number;
}

const DEFAULT_WINDOW = 4;
/** Text waiting for the page's acks beyond which the socket is paused. */
const MAX_PENDING = 1 << 20;
/**
 * Most characters a message carries. A page that fell behind would otherwise get up to MAX_PENDING
 * in one message, and take it in one task: cloning, parsing and splitting a megabyte (the same
 * bound as the page's own reads of a fetched stream, READ_BYTES in webview-ui/stream.ts).
 */
export const MAX_MESSAGE_CHARS = 64 * 1024;
/** A page reads one stream at a time; more than this open at once means it forgot some: the oldest go. */
const MAX_CONNECTIONS = 4;

export class StreamRelay {
  private readonly connections = new Map<number, RelayedStream>();
  private disposed = false;

  constructor(private readonly opts: StreamRelayOptions) {}

  /** How many relayed streams are open (for tests). */
  get size(): number {
    return this.connections.size;
  }

  /** Handles a relay message from the page; false when it is none. */
  handle(message: unknown): boolean {
    if (StreamOpenMessage.is(message)) {
      const { id, previewId, after } = message.params;
      if (this.disposed || this.connections.has(id)) return true;
      const url = this.opts.streamUrl(previewId);
      if (!url) {
        this.opts.post(StreamOpenedMessage.create({ id, status: 404, contentType: '' }));
        this.opts.post(StreamEndMessage.create({ id, error: `no stream of preview ${previewId} for this panel` }));
        return true;
      }
      for (const [oldest, c] of this.connections) {
        if (this.connections.size < MAX_CONNECTIONS) break;
        c.close();
        this.connections.delete(oldest);
      }
      const relayed = new RelayedStream(id, url, after, this.opts.window ?? DEFAULT_WINDOW, this.opts.post, () => {
        if (this.connections.get(id) === relayed) this.connections.delete(id);
      });
      this.connections.set(id, relayed);
      return true;
    }
    if (StreamAckMessage.is(message)) {
      this.connections.get(message.params.id)?.ack(message.params.chunks);
      return true;
    }
    if (StreamCloseMessage.is(message)) {
      this.connections.get(message.params.id)?.close();
      this.connections.delete(message.params.id);
      return true;
    }
    return false;
  }

  /**
   * The page (re)loaded: a webview moved to another editor group can be loaded afresh, and its new
   * page numbers its connections from 1 again. The old page's connections are dropped, so none of
   * their ids is taken for the new page's (which would wait for ever for an answer).
   */
  reset(): void {
    for (const c of this.connections.values()) c.close();
    this.connections.clear();
  }

  /** Closes every relayed stream. Safe twice. */
  dispose(): void {
    this.disposed = true;
    for (const c of this.connections.values()) c.close();
    this.connections.clear();
  }
}

class RelayedStream {
  private readonly request: http.ClientRequest;
  private response: http.IncomingMessage | undefined;
  private inFlight = 0;
  /** Text received and not posted yet (the page has `window` messages to ack first). */
  private pending = '';
  private flushScheduled = false;
  private ended = false;

  constructor(
    private readonly id: number,
    streamUrl: string,
    after: number,
    private readonly window: number,
    private readonly post: (message: ExtensionToWebviewMessage) => void,
    private readonly onEnd: () => void,
  ) {
    const url = new URL(streamUrl);
    if (after > 0) url.searchParams.set('after', String(after));
    // agent: false: a socket of its own, never queued behind a pool's limit or a proxy setting.
    this.request = http.get(url, { agent: false, headers: { Accept: 'text/event-stream' } }, (res) => this.onResponse(res));
    this.request.on('error', (err) => this.end(err.message));
  }

  ack(chunks: number): void {
    this.inFlight = Math.max(0, this.inFlight - chunks);
    this.flush();
  }

  /** The page let go of it: drop the connection, say nothing more. */
  close(): void {
    this.ended = true;
    this.request.destroy();
    this.onEnd();
  }

  private onResponse(res: http.IncomingMessage): void {
    this.response = res;
    if (this.ended) return void res.destroy();
    const status = res.statusCode ?? 0;
    this.post(StreamOpenedMessage.create({ id: this.id, status, contentType: String(res.headers['content-type'] ?? '') }));
    if (status < 200 || status > 299) {
      res.resume();
      return this.end();
    }
    res.setEncoding('utf8'); // whole characters per chunk
    res.on('data', (text: string) => {
      if (this.ended) return;
      this.pending += text;
      if (this.pending.length >= MAX_PENDING) res.pause();
      // Chunks parsed from one socket read arrive back to back: post them as one message.
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    });
    res.on('end', () => this.end());
    res.on('error', (err) => this.end(err.message));
    res.on('close', () => this.end(res.complete ? undefined : 'the stream server closed the connection'));
  }

  /** Posts pending text, a message of at most MAX_MESSAGE_CHARS at a time, while the page has room. */
  private flush(force = false): void {
    while (!this.ended && this.pending !== '' && (force || this.inFlight < this.window)) {
      const end = pieceEnd(this.pending, MAX_MESSAGE_CHARS);
      this.post(StreamDataMessage.create({ id: this.id, text: this.pending.slice(0, end) }));
      this.pending = this.pending.slice(end);
      this.inFlight++;
    }
    if (this.response?.isPaused() && this.pending.length < MAX_PENDING) this.response.resume();
  }

  private end(error?: string): void {
    if (this.ended) return;
    this.flush(true); // what the server sent before it ended
    this.ended = true;
    this.post(StreamEndMessage.create({ id: this.id, ...(error === undefined ? {} : { error }) }));
    this.request.destroy();
    this.onEnd();
  }
}

/** Where the first message's worth of `text` ends: at most `max` characters, never inside a surrogate pair. */
export function pieceEnd(text: string, max: number): number {
  if (text.length <= max) return text.length;
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}
