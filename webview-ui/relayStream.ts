/**
 * The page's side of the `relay` transport: a `StreamOpener` whose connections the VS Code
 * extension makes (from Node, which has no per-host connection limit) and posts back as messages.
 * The stream client above it is the same as for `fetch`: reconnects, resume point, idle watchdog.
 */
import {
  StreamAckMessage,
  StreamCloseMessage,
  StreamDataMessage,
  StreamEndMessage,
  StreamOpenedMessage,
  StreamOpenMessage,
  type WebviewToExtensionMessage,
} from '../src/shared/webviewProtocol';
import type { OpenedStream, StreamOpener } from './stream';

/** How the page talks to the extension (the VS Code bridge provides it). */
export interface RelayPort {
  post(message: WebviewToExtensionMessage): void;
  /** Calls `listener` with each message from the extension; returns the unsubscribe. */
  listen(listener: (message: unknown) => void): () => void;
}

/** Connection ids are unique per page, so a late message of a closed connection is never taken for another's. */
let lastId = 0;

/** Opens relayed connections to `previewId()`'s stream, resuming after the URL's `after=`. */
export function relayOpener(port: RelayPort, previewId: () => string): StreamOpener {
  return (url, _headers, signal) => {
    const after = Number(url.searchParams.get('after') ?? 0);
    return new RelayedConnection(port, ++lastId, signal).open(previewId(), Number.isSafeInteger(after) && after > 0 ? after : 0);
  };
}

class RelayedConnection implements OpenedStream {
  status = 0;
  contentType = '';
  private readonly chunks: string[] = [];
  private ended = false;
  private error: Error | undefined;
  private closed = false;
  private wake: (() => void) | undefined;
  private opened: { resolve(s: OpenedStream): void; reject(e: Error): void } | undefined;
  private readonly unlisten: () => void;

  constructor(
    private readonly port: RelayPort,
    private readonly id: number,
    private readonly signal: AbortSignal,
  ) {
    this.unlisten = port.listen((m) => this.onMessage(m));
    signal.addEventListener('abort', this.onAbort);
  }

  open(previewId: string, after: number): Promise<OpenedStream> {
    return new Promise<OpenedStream>((resolve, reject) => {
      if (this.signal.aborted) return reject(new Error('aborted'));
      this.opened = { resolve, reject };
      this.port.post(StreamOpenMessage.create({ id: this.id, previewId, after }));
    });
  }

  async read(): Promise<string | undefined> {
    while (this.chunks.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.chunks.length > 0) {
      const taken = this.chunks.splice(0);
      if (!this.closed) this.port.post(StreamAckMessage.create({ id: this.id, chunks: taken.length }));
      return taken.join('');
    }
    if (this.error) throw this.error;
    return undefined;
  }

  cancel(): void {
    if (!this.closed) this.port.post(StreamCloseMessage.create({ id: this.id }));
    this.chunks.length = 0; // as an aborted fetch: nothing more is read
    this.finish(new Error('cancelled'));
  }

  private readonly onAbort = () => this.cancel();

  private onMessage(m: unknown): void {
    if (StreamOpenedMessage.is(m) && m.params.id === this.id) {
      this.status = m.params.status;
      this.contentType = m.params.contentType;
      this.opened?.resolve(this);
      this.opened = undefined;
    } else if (StreamDataMessage.is(m) && m.params.id === this.id) {
      if (this.ended) return;
      this.chunks.push(m.params.text);
      this.wakeReader();
    } else if (StreamEndMessage.is(m) && m.params.id === this.id) {
      this.closed = true; // the extension has let go of it already
      this.finish(m.params.error === undefined ? undefined : new Error(m.params.error));
    }
  }

  /** Ends the connection: what was received can still be read, then `read()` ends or throws `error`. */
  private finish(error: Error | undefined): void {
    this.closed = true;
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    this.unlisten();
    this.signal.removeEventListener('abort', this.onAbort);
    this.opened?.reject(error ?? new Error('the stream ended before it opened'));
    this.opened = undefined;
    this.wakeReader();
  }

  private wakeReader(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
