import type { LogLine } from '../shared/protocol';
import { type Clock, systemClock } from '../common/clock';
import { type LineBatch, LineBatchWriter } from './lineBatch';

/**
 * Collects appended lines on the main thread and hands them over as one batch: at once when
 * `maxLines` are pending, else `delayMs` after the first line. One postMessage per batch, never one
 * per line.
 */
export class PendingBatch {
  private readonly writer: LineBatchWriter;
  private timer: unknown;

  constructor(
    private readonly send: (batch: LineBatch, transfer: ArrayBuffer[]) => void,
    private readonly maxLines: number,
    private readonly delayMs: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.writer = new LineBatchWriter(maxLines);
  }

  /** Lines waiting to be sent. */
  get size(): number {
    return this.writer.length;
  }

  /** Queues lines of a run (copied, so the caller may reuse its array and objects). */
  add(runId: number, lines: readonly LogLine[]): void {
    if (lines.length === 0) return;
    this.writer.add(runId, lines);
    if (this.writer.length >= this.maxLines) this.drain();
    else if (this.timer === undefined) this.timer = this.clock.setTimeout(() => this.drain(), this.delayMs);
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
