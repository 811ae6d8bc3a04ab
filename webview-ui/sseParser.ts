/**
 * An incremental `text/event-stream` parser following the WHATWG rules: `event`, `data` (lines
 * joined with \n), `id` (kept across events, ignored when it holds NUL), `retry` (digits only),
 * `:` comments, and CRLF / LF / CR line ends, even when a chunk splits them. Pure: no DOM.
 */

export interface SseEvent {
  /** `event:` field, or 'message'. */
  type: string;
  data: string;
  /** The last `id:` seen on this stream (sticky, as EventSource's lastEventId). */
  lastEventId: string;
}

export class SseParser {
  /** Last `retry:` value in ms, if the server sent one. */
  retry: number | undefined;
  lastEventId = '';
  private buf = '';
  private pos = 0;
  // A known '\r' at or after `pos` (-1: none in buf[pos, crScanEnd)): keeps CR scans linear.
  private cr = -1;
  private crScanEnd = 0;
  private type = '';
  private data = '';
  private hasData = false;

  /** Appends decoded text. */
  push(chunk: string): void {
    if (this.pos > 0) {
      this.buf = this.buf.slice(this.pos);
      if (this.cr >= 0) this.cr -= this.pos;
      this.crScanEnd = Math.max(0, this.crScanEnd - this.pos);
      this.pos = 0;
    }
    this.buf += chunk;
  }

  /** The next complete event, or undefined when more input is needed. */
  next(): SseEvent | undefined {
    for (;;) {
      const line = this.readLine();
      if (line === undefined) return undefined;
      if (line === '') {
        if (!this.hasData) {
          this.type = '';
          continue;
        }
        const event: SseEvent = { type: this.type || 'message', data: this.data, lastEventId: this.lastEventId };
        this.type = '';
        this.data = '';
        this.hasData = false;
        return event;
      }
      if (line.charCodeAt(0) === 58 /* : */) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.charCodeAt(0) === 32 /* space */) value = value.slice(1);
      switch (field) {
        case 'event':
          this.type = value;
          break;
        case 'data':
          this.data = this.hasData ? `${this.data}\n${value}` : value;
          this.hasData = true;
          break;
        case 'id':
          if (!value.includes('\0')) this.lastEventId = value;
          break;
        case 'retry':
          if (/^\d+$/.test(value)) this.retry = Number(value);
          break;
        default:
          break; // unknown fields are ignored
      }
    }
  }

  /** Forgets a partial event (the connection dropped mid-event); keeps `lastEventId` and `retry`. */
  resetConnection(): void {
    this.buf = '';
    this.pos = 0;
    this.cr = -1;
    this.crScanEnd = 0;
    this.type = '';
    this.data = '';
    this.hasData = false;
  }

  private readLine(): string | undefined {
    const buf = this.buf;
    const lf = buf.indexOf('\n', this.pos);
    if (this.cr >= 0 && this.cr < this.pos) {
      this.cr = -1;
      this.crScanEnd = this.pos;
    }
    if (this.cr < 0 && this.crScanEnd < buf.length) {
      this.cr = buf.indexOf('\r', Math.max(this.pos, this.crScanEnd));
      this.crScanEnd = buf.length;
    }
    const cr = this.cr;
    let end: number;
    let next: number;
    if (cr >= 0 && (lf < 0 || cr < lf)) {
      // CR alone or CRLF; a CR at the very end may be the first half of a CRLF.
      if (cr === buf.length - 1) return undefined;
      end = cr;
      next = buf.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
    } else if (lf >= 0) {
      end = lf;
      next = lf + 1;
    } else {
      return undefined;
    }
    const line = buf.slice(this.pos, end);
    this.pos = next;
    return line;
  }
}
