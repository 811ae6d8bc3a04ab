import http from 'node:http';
import { withDeadline } from './wait';

export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/** A bare SSE reader on a raw socket, so tests can pause it like a slow client would. */
export class RawSseClient {
  readonly events: SseEvent[] = [];
  comments = 0;
  retry?: number;
  status = 0;
  private buffer = '';
  private res?: http.IncomingMessage;
  private req!: http.ClientRequest;
  readonly ready: Promise<void>;
  private waiters: { test: () => boolean; resolve: () => void }[] = [];

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ready = new Promise((resolve, reject) => {
      this.req = http.get(url, { headers: { Accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
        this.res = res;
        this.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => this.feed(chunk));
        resolve();
      });
      this.req.on('error', reject);
    });
  }

  get headers(): http.IncomingHttpHeaders {
    return this.res?.headers ?? {};
  }

  /** Stops reading: the kernel buffers fill and the server sees backpressure. */
  pause(): void {
    this.res?.pause();
  }

  resume(): void {
    this.res?.resume();
  }

  close(): void {
    this.res?.destroy();
  }

  ofType(event: string): SseEvent[] {
    return this.events.filter((e) => e.event === event);
  }

  /** Resolves when `test` holds (checked after every chunk). */
  until(test: () => boolean, timeoutMs = 30_000): Promise<void> {
    if (test()) return Promise.resolve();
    const met = new Promise<void>((resolve) => this.waiters.push({ test, resolve }));
    return withDeadline(met, timeoutMs, () => `timed out after ${timeoutMs} ms; have ${this.events.length} events`);
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: SseEvent = { event: 'message', data: '' };
      let hasData = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments++;
        else if (line.startsWith('retry: ')) this.retry = Number(line.slice(7));
        else if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('data: ')) {
          event.data += (hasData ? '\n' : '') + line.slice(6);
          hasData = true;
        }
      }
      if (hasData) this.events.push(event);
    }
    this.waiters = this.waiters.filter((w) => (w.test() ? (w.resolve(), false) : true));
  }
}
