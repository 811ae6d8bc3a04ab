import type { LogLine } from '../shared/protocol';
import { type Clock, systemClock } from '../common/clock';
import { type LineBatch, LineBatchWriter } from './lineBatch';

/**
 * Texts a batch holds at most (UTF-16 units). Each batch is one postMessage, one wake-up of the
 * worker's thread and one transaction there: fewer, larger batches cost both threads less (96 Ki
 * against 32 Ki: ~30–65 ms less of the host's CPU in a 200 000-line flood, alternating runs). Its
 * text travels in pieces (TEXT_PIECE_CHARS), so no string of it is large.
 */
export const BATCH_MAX_CHARS = 96 * 1024;

/**
 * Collects appended lines on the main thread and hands them over as one batch: at once when
 * `maxLines` lines or BATCH_MAX_CHARS of text are pending, else `delayMs` after the first line. One
 * postMessage per batch, never one per line.
 */
export class PendingBatch {
  private readonly writer: LineBatchWriter;
  private timer: unknown;

  constructor(
    private readonly send: (batch: LineBatch, transfer: ArrayBuffer[]) => void,
    private readonly maxLines: number,
    private readonly delayMs: number,
    private readonly clock: Clock = systemClock,
    private readonly maxChars = BATCH_MAX_CHARS,
  ) {
    this.writer = new LineBatchWriter(maxLines);
  }

  /** Lines waiting to be sent. */
  get size(): number {
    return this.writer.length;
  }

  /** Queues lines of a run (copied, so the caller may reuse its array and objects). */
  add(runId: number, lines: readonly LogLine[]): void {
    let from = 0;
    while (from < lines.length) {
      from = this.writer.addWithin(runId, lines, from, this.maxLines, this.maxChars);
      if (this.writer.length >= this.maxLines || this.writer.chars >= this.maxChars) this.drain();
    }
    if (this.writer.length > 0 && this.timer === undefined) this.timer = this.clock.setTimeout(() => this.drain(), this.delayMs);
  }

  /** Sends whatever is pending now. */
  drain(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.writer.length === 0) return;
    const { batch, transfer } = this.writer.finish();
    this.send(batch, transfer);
  }

  /** Drops the timer (pending lines stay until `drain`). */
  dispose(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
