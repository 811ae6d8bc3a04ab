/**
 * ISO-8601 timestamps (`toISOString`'s `YYYY-MM-DDTHH:MM:SS.mmmZ`) to milliseconds and back, fast
 * for runs of nearby times: the minute prefix is parsed or formatted once, and within it only the
 * seconds and milliseconds are. Chunks store timestamps as ms deltas, so this runs once per line
 * both ways.
 */
export class IsoTime {
  private prefix = '';
  private prefixMs = NaN;

  /** The ms of `ts` if it is exactly what `new Date(ms).toISOString()` gives, else NaN. */
  parse(ts: string): number {
    if (ts.length !== 24 || ts.charCodeAt(23) !== 90 /* Z */ || ts.charCodeAt(19) !== 46 /* . */) return NaN;
    const sec = digits(ts, 17, 2);
    const ms = digits(ts, 20, 3);
    if (sec < 0 || sec > 59 || ms < 0) return NaN;
    if (!ts.startsWith(this.prefix) || this.prefix === '') {
      const minute = Date.parse(`${ts.slice(0, 17)}00.000Z`);
      if (Number.isNaN(minute) || new Date(minute).toISOString().slice(0, 17) !== ts.slice(0, 17)) return NaN;
      this.prefix = ts.slice(0, 17);
      this.prefixMs = minute;
    }
    return this.prefixMs + sec * 1000 + ms;
  }

  /** `new Date(ms).toISOString()`. */
  format(ms: number): string {
    const inMinute = ms - this.prefixMs;
    if (!(inMinute >= 0 && inMinute < 60_000)) {
      const minute = ms - (((ms % 60_000) + 60_000) % 60_000);
      const iso = new Date(minute).toISOString();
      if (iso.length !== 24) return new Date(ms).toISOString(); // years past 9999: no fast path
      this.prefix = iso.slice(0, 17);
      this.prefixMs = minute;
      return this.format(ms);
    }
    const sec = Math.floor(inMinute / 1000);
    const milli = inMinute % 1000;
    return `${this.prefix}${sec < 10 ? '0' : ''}${sec}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
  }
}

function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}
