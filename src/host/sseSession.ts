import type { ServerResponse } from 'node:http';
import { SSE_EVENTS, type GapEvent, type LogLine, type PartialLine, type StatusEvent, type StreamName } from '../shared/protocol';
import type { Clock } from '../common/clock';
import { Emitter, type Disposable } from '../common/disposable';
import { logFrame, type LogRing } from './ring';

/** Reads lines a ring no longer holds (the history store); resolves [] when it has none. */
export type Backfill = (after: number, limit: number) => Promise<readonly LogLine[]>;

export interface SseSessionOptions {
  ring: LogRing;
  /** The last seq the client already has (0 for everything). */
  after: number;
  clock: Clock;
  /** A `: keep-alive` comment goes out after this long without a write. */
  keepAliveMs: number;
  /** Sent as `retry:` so EventSource reconnects quickly. */
  retryMs: number;
  backfill?: Backfill;
  /** Most bytes of frames in one write. */
  chunkBytes?: number;
  /**
   * The response ends, with a `more` event, once it has carried this many bytes (`?max=`). A
   * browser that falls behind a flood otherwise buffers megabytes of one response and hands them
   * to the page in one long task; pieces bound that, at the cost of a request per piece.
   */
  maxBytes?: number;
}

const BACKFILL_PAGE = 5_000;
/** Most bytes of frames in one write unless told otherwise (`chunkBytes`). */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

/**
 * One client of one preview's stream. It reads the shared ring through its own cursor and writes
 * only while the socket takes it (`write()` → false waits for 'drain'), so a slow client costs
 * the ring nothing and never grows memory; when it falls behind the ring it is filled from
 * history or told exactly what it missed with a `gap` event.
 */
export class SseSession implements Disposable {
  private cursor: number; // next seq to send
  private waitingForDrain = false;
  private backfilling = false;
  private closed = false;
  private lastWriteAt: number;
  private keepAliveTimer: unknown;
  /** Status and partial frames, each written once the lines read before it are. */
  private queue: { afterSeq: number; frame: string; partialOf?: StreamName }[] = [];
  private readonly unsubscribe: Disposable;
  private readonly closedEmitter = new Emitter<void>();
  private readonly caughtUpEmitter = new Emitter<void>();
  /** Fires once when the client goes away or the session is disposed. */
  readonly onDidClose = this.closedEmitter.event;
  /** Fires whenever everything the ring holds has been written. */
  readonly onDidCatchUp = this.caughtUpEmitter.event;
  private readonly chunkBytes: number;
  private sentBytes = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: SseSessionOptions,
  ) {
    this.cursor = options.after + 1;
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.lastWriteAt = options.clock.now();
    res.on('close', () => this.dispose());
    res.on('drain', () => {
      this.waitingForDrain = false;
      this.pump();
    });
    this.write(`retry: ${options.retryMs}\n\n`);
    this.unsubscribe = options.ring.onDidAppend(() => this.pump());
    this.scheduleKeepAlive(options.keepAliveMs);
  }

  /** Seq of the next line this client will be sent. */
  get nextSeq(): number {
    return this.cursor;
  }

  get isCaughtUp(): boolean {
    return this.cursor > this.options.ring.lastSeq && this.queue.length === 0 && !this.backfilling;
  }

  /** Sends a status event after every line read so far, so it arrives in order with the lines. */
  sendStatus(status: StatusEvent): void {
    if (this.closed) return;
    this.queue.push({ afterSeq: this.options.ring.lastSeq, frame: `event: status\ndata: ${JSON.stringify(status)}\n\n` });
    this.pump();
  }

  /**
   * Sends a stream's unfinished line after every line read so far, without `id:` (a resume starts
   * before it). An older one of the same stream not yet written is dropped: this one replaces it.
   */
  sendPartial(partial: PartialLine): void {
    if (this.closed) return;
    this.queue = this.queue.filter((item) => item.partialOf !== partial.stream);
    const frame = `event: partial\ndata: ${JSON.stringify(partial)}\n\n`;
    this.queue.push({ afterSeq: this.options.ring.lastSeq, frame, partialOf: partial.stream });
    this.pump();
  }

  /** Writes as much as the socket takes now. */
  pump(): void {
    if (this.closed || this.waitingForDrain || this.backfilling) return;
    const ring = this.options.ring;
    let chunk = '';
    for (;;) {
      if (this.sentBytes >= (this.options.maxBytes ?? Infinity)) return this.endPiece(chunk);
      while (this.queue.length > 0 && this.queue[0].afterSeq < this.cursor) {
        chunk += this.queue.shift()!.frame;
      }
      if (this.cursor > ring.lastSeq) break;
      if (this.cursor < ring.oldestSeq) {
        if (this.options.backfill) {
          if (chunk && !this.write(chunk)) return;
          void this.fillFromHistory();
          return;
        }
        chunk += this.gapFrame(ring.oldestSeq - 1);
        continue;
      }
      if (chunk) {
        const ok = this.write(chunk);
        chunk = '';
        if (!ok) return;
      }
      const run = ring.frames(this.cursor, this.chunkBytes)!;
      this.cursor = run.next;
      if (!this.write(run.bytes)) return;
    }
    if (chunk && !this.write(chunk)) return;
    if (this.isCaughtUp) this.caughtUpEmitter.fire();
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe.dispose();
    this.options.clock.clearTimeout(this.keepAliveTimer);
    if (!this.res.writableEnded) this.res.end();
    this.closedEmitter.fire();
    this.closedEmitter.dispose();
    this.caughtUpEmitter.dispose();
  }

  /** Lines older than the ring come from history; what history lacks becomes an exact gap. */
  private async fillFromHistory(): Promise<void> {
    this.backfilling = true;
    let lines: readonly LogLine[];
    try {
      lines = await this.options.backfill!(this.cursor - 1, BACKFILL_PAGE);
    } catch {
      lines = []; // a failing store must not stall the stream: report the lines as a gap
    }
    this.backfilling = false;
    if (this.closed) return;
    let chunk = '';
    for (const line of lines) {
      if (line.seq < this.cursor) continue;
      if (line.seq > this.cursor) chunk += this.gapFrame(line.seq - 1); // history lacks these too
      chunk += logFrame(line);
      this.cursor = line.seq + 1;
    }
    // History had nothing more before the ring: the rest up to the ring is a gap.
    if (lines.length === 0 && this.cursor < this.options.ring.oldestSeq) {
      chunk += this.gapFrame(this.options.ring.oldestSeq - 1);
    }
    if (chunk && !this.write(chunk)) return;
    this.pump();
  }

  /** The piece is full: what is pending, then `more` (the client resumes after the cursor), then the end. */
  private endPiece(chunk: string): void {
    this.write(`${chunk}event: ${SSE_EVENTS.more}\ndata: {"after":${this.cursor - 1}}\n\n`);
    this.dispose();
  }

  private gapFrame(to: number): string {
    const gap: GapEvent = { from: this.cursor, to, count: to - this.cursor + 1 };
    this.cursor = to + 1;
    return `event: gap\ndata: ${JSON.stringify(gap)}\n\n`;
  }

  private write(text: string | Buffer): boolean {
    if (this.closed) return false;
    this.lastWriteAt = this.options.clock.now();
    this.sentBytes += text.length; // UTF-16 units for a string: near enough for a bound
    const ok = this.res.write(text);
    if (!ok) this.waitingForDrain = true;
    return ok;
  }

  private scheduleKeepAlive(delay: number): void {
    const { clock, keepAliveMs } = this.options;
    this.keepAliveTimer = clock.setTimeout(() => {
      if (this.closed) return;
      const idle = clock.now() - this.lastWriteAt;
      if (idle >= keepAliveMs) {
        // Written even while waiting for drain: a comment is tiny and proves the link is alive.
        this.res.write(': keep-alive\n\n');
        this.lastWriteAt = clock.now();
        this.scheduleKeepAlive(keepAliveMs);
      } else {
        this.scheduleKeepAlive(keepAliveMs - idle);
      }
    }, delay);
  }
}
