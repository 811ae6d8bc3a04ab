import { LineSplitter } from './lineSplitter';
import { LineTagger } from './lineTagger';
import { Redaction } from './redact';
import { LogRing } from './ring';
import { DEFAULT_SLICE_LINES } from './outputPacer';
import { DEFAULT_CHUNK_BYTES } from './sseSession';
import type { Clock } from '../shared/clock';
import type { Disposable } from './disposable';
import type { RunHistory } from './history';

/** Lines of the usual shapes, `{n}` a counter so no two lines are the same text. */
const SHAPES = [
  'GET /api/items/{n}?page=2 200 12.345 ms - 1534',
  '127.0.0.1 - - [02/Dec/2026 10:00:{s}] "GET /static/app.{n}.js HTTP/1.1" 200 -',
  'INFO:     127.0.0.1:5{n} - "POST /users/{n} HTTP/1.1" 201 Created',
  '2026-12-02 10:00:{s},123 INFO app.worker: job {n} done in 12 ms',
  '{"level":30,"time":1764669600{n},"pid":4242,"msg":"request completed","responseTime":{n}}',
  'time=2026-12-02T10:00:{s}Z level=info msg="cache refreshed" keys={n}',
  '[vite] hmr update /src/components/Item{n}.vue',
  'WARNING: deprecated option used by plugin {n}',
  '\u001b[32m✓\u001b[39m built module {n} in 3 ms',
  'GET /missing/{n} 404 1.2 ms - 9',
  'Traceback (most recent call last):',
  '  File "/app/views.py", line {n}, in handler',
  '    return compute(item)',
  'ZeroDivisionError: division by zero',
  'Error: boom {n}',
  '    at handler (/app/src/routes.js:{n}:11)',
  '    at Layer.handle (/app/node_modules/express/lib/router/layer.js:95:5)',
  'line {n} plain output of a dev server, nothing more to it than some text',
];

/** Lines run through the path: enough for V8 to optimize the functions a line passes through. */
const WARM_UP_LINES = 12_000;
/** Lines a slice runs (a few ms in V8's slow tiers) before the event loop gets its turn back. */
const SLICE_LINES = 256;
/**
 * Lines each set of throw-away objects runs. Several sets, so that what a preview's objects do only
 * at first (a tagger's first line, a ring's first segment) is compiled too: V8 records nothing for
 * a function's first few calls, and code compiled without a record of a path gives up on it.
 */
const LINES_PER_RUN = 2048;

/**
 * Runs the host's per-line path (split, mask, tag, frame, ring) over made-up lines of common
 * shapes, on throw-away objects, so V8 has compiled it optimized before a dev server's first
 * burst of output. A fresh process otherwise runs that burst in its slow tiers and compiles the
 * code meanwhile, on the same cores (bench/run.mjs: a first 20 000-line burst went 27% faster
 * without history, 14% with it). V8 keeps the code for every later preview, so the manager runs
 * one when its first preview starts; in slices on the clock's timers, so an extension host shared
 * with other extensions is never held for more than a few ms. ~150 ms of CPU in all.
 */
export class LinePathWarmUp implements Disposable {
  private run: LinePathRun | undefined;
  private done = 0;
  private handle: unknown;

  private readonly history: RunHistory | undefined;
  private readonly total: number;

  /** `history`: its `warmUpAppend` gets the ring's lines, as a preview's history gets their lines. */
  constructor(
    private readonly clock: Clock,
    options: { history?: RunHistory; lines?: number } = {},
  ) {
    this.history = options.history;
    this.total = options.lines ?? WARM_UP_LINES;
    this.run = new LinePathRun(this.history);
    this.handle = clock.setTimeout(() => this.step(), 1);
  }

  /** Lines run through so far. */
  get linesRun(): number {
    return this.done;
  }

  /** True once every line has run (or it was disposed). */
  get finished(): boolean {
    return this.run === undefined;
  }

  dispose(): void {
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
    this.run?.dispose();
    this.run = undefined;
  }

  private step(): void {
    this.handle = undefined;
    if (!this.run) return;
    const count = Math.min(SLICE_LINES, this.total - this.done);
    if (this.done > 0 && this.done % LINES_PER_RUN === 0) {
      this.run.dispose();
      this.run = new LinePathRun(this.history);
    }
    this.run.lines(count);
    this.done += count;
    if (this.done < this.total) this.handle = this.clock.setTimeout(() => this.step(), 1);
    else this.dispose();
  }
}

/** The per-line path on its own objects (nothing of a preview's: no seq, state or client sees it). */
export class LinePathRun implements Disposable {
  private readonly splitter = new LineSplitter();
  private readonly tagger = new LineTagger();
  private readonly redactor = new Redaction({ enabled: true }).forStream();
  // Bounds small enough that it drops old lines and reuses segments within one set's lines.
  readonly ring = new LogRing({ capacity: 1024, maxBytes: 256 * 1024 });
  private readonly readers: Disposable[];
  private n = 0;
  private appended = 0;
  /** The end of the last chunk's last line: chunks end mid-line, as a pipe's reads do. */
  private tail = '';

  constructor(private readonly history?: RunHistory) {
    // V8 compiles typed-array code on the premise that no ArrayBuffer was ever detached, and throws
    // all of that code away the first time one is (a history store's first batch, transferred to
    // its worker, in the middle of a flood): have that happen before anything is compiled here.
    const spent = new ArrayBuffer(1);
    structuredClone(spent, { transfer: [spent] });
    // Read as a client's session reads: from a listener of the ring. Two listeners, as a preview's
    // ring has (its clients, its error tracker), so the ring's call to them is compiled for any.
    this.readers = [
      this.ring.onDidAppend((lines) => this.ring.frames(lines[0].seq, DEFAULT_CHUNK_BYTES)),
      this.ring.onDidAppend((lines) => (this.appended += lines.length)),
    ];
  }

  /** Lines the ring's listeners were told of. */
  get linesAppended(): number {
    return this.appended;
  }

  /** Runs `count` more lines through, in batches as the output pacer delivers them, read as a client reads them. */
  lines(count: number): void {
    const end = this.n + count;
    while (this.n < end) {
      let chunk = this.tail;
      // Each batch its own time, as each read has: framing a new time is compiled too.
      const ts = new Date(this.n).toISOString();
      for (let k = 0; k < DEFAULT_SLICE_LINES && this.n < end; k++, this.n++) chunk += warmUpLineText(this.n) + '\n';
      const cut = this.n < end ? chunk.length - 9 : chunk.length;
      this.tail = chunk.slice(cut);
      const texts = this.redactor.maskLines(this.splitter.push(Buffer.from(chunk.slice(0, cut))));
      const lines = this.ring.append(this.tagger.lines(texts, ts, 'stdout', this.ring.lastSeq + 1));
      this.history?.warmUpAppend?.(lines);
    }
  }

  dispose(): void {
    for (const reader of this.readers) reader.dispose();
    this.ring.dispose();
  }
}

/** The warm-up's line number n (from 0). */
export function warmUpLineText(n: number): string {
  return SHAPES[n % SHAPES.length].replaceAll('{n}', String(n)).replaceAll('{s}', String(n % 60).padStart(2, '0'));
}
