import assert from 'node:assert/strict';
import type { GapEvent, LogLine, PartialLine, StatusEvent } from '../../src/shared/protocol';
import {
  buildStreamUrl,
  createStreamClient,
  fetchOpener,
  READ_BYTES,
  type ConnectionState,
  type StreamClientOptions,
} from '../../webview-ui/stream';
import { FakeClock } from './helpers/fakeClock';

const URL_BASE = 'http://127.0.0.1:4123/api/previews/1/logs/stream';
const log = (seq: number) =>
  `event: log\nid: ${seq}\ndata: ${JSON.stringify({ seq, ts: '2026-01-01T00:00:00Z', level: 'INFO', stream: 'stdout', text: `l${seq}` })}\n\n`;

/** A response whose body the test feeds and breaks at will. */
function sseResponse(status = 200) {
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctrl = c) });
  const enc = new TextEncoder();
  return {
    response: new Response(body, { status, headers: { 'content-type': status === 200 ? 'text/event-stream' : 'text/plain' } }),
    send: (text: string) => ctrl.enqueue(enc.encode(text)),
    fail: () => ctrl.error(new TypeError('network error')),
    end: () => ctrl.close(),
  };
}

/** A FakeClock that also says which delays were asked for and wakes the waiters when one is. */
class WatchedClock extends FakeClock {
  readonly delays: number[] = [];
  constructor(private readonly onTimer: () => void) {
    super();
  }
  override setTimeout(fn: () => void, ms: number): unknown {
    const handle = super.setTimeout(fn, ms);
    this.delays.push(ms);
    this.onTimer();
    return handle;
  }
}

/** Lets the stream's pending reads and promise chains run (one macrotask turn; no timer). */
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

function harness(responses: (() => Response)[], transport: 'fetch' | 'eventsource' = 'fetch', extra: Partial<StreamClientOptions> = {}) {
  const seen = {
    lines: [] as number[],
    statuses: [] as string[],
    gaps: [] as GapEvent[],
    states: [] as string[],
    urls: [] as string[],
    details: [] as (string | undefined)[],
  };
  // Each waiter re-checks its condition whenever the client calls out: no polling, no deadline
  // (a condition that never holds fails the test by mocha's timeout).
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((check) => check());
  const until = (cond: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!cond()) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  const clock = new WatchedClock(wake);
  let lastSeq = 0;
  const opts: StreamClientOptions = {
    url: URL_BASE,
    token: 'tok',
    lastSeq: () => lastSeq,
    onLog: (l: LogLine) => {
      if (l.seq > lastSeq) lastSeq = l.seq;
      seen.lines.push(l.seq);
      wake();
    },
    onStatus: (s: StatusEvent) => {
      seen.statuses.push(s.state);
      wake();
    },
    onGap: (g: GapEvent) => {
      lastSeq = g.to;
      seen.gaps.push(g);
      wake();
    },
    onConnection: (s: ConnectionState, detail?: string) => {
      seen.states.push(s);
      seen.details.push(detail);
      wake();
    },
    fetch: (async (input: RequestInfo | URL) => {
      seen.urls.push(String(input));
      wake();
      const next = responses.shift();
      if (!next) return new Promise<Response>(() => {}); // hangs: no more connections expected
      return next();
    }) as typeof fetch,
    clock,
    ...extra,
  };
  if (extra.onPartial) {
    const onPartial = extra.onPartial;
    opts.onPartial = (p) => {
      onPartial(p);
      wake();
    };
  }
  const client = createStreamClient(opts, transport);
  return { client, seen, clock, until };
}

describe('webview stream client (fetch transport)', () => {
  it('reads log, status and gap events and resumes after the last seq when the connection fails', async () => {
    const first = sseResponse();
    const second = sseResponse();
    const { client, seen, clock, until } = harness([() => first.response, () => second.response]);
    client.start();
    await until(() => seen.states.includes('open'));
    first.send(`retry: 20\n\n${log(1)}${log(2)}event: status\ndata: {"state":"ready","ts":"x"}\n\n`);
    await until(() => seen.lines.length === 2 && seen.statuses.length === 1);
    first.fail();
    await until(() => seen.states.includes('reconnecting'));
    clock.advance(20);
    await until(() => seen.urls.length === 2);
    second.send(`event: gap\nid: 10\ndata: {"from":3,"to":10,"count":8}\n\n${log(11)}`);
    await until(() => seen.lines.length === 3);
    client.dispose();
    assert.deepEqual(seen.lines, [1, 2, 11]);
    assert.deepEqual(seen.statuses, ['ready']);
    assert.deepEqual(seen.gaps, [{ from: 3, to: 10, count: 8 }]);
    assert.deepEqual(seen.states, ['connecting', 'open', 'reconnecting', 'open']);
    assert.deepEqual(seen.urls, [`${URL_BASE}?token=tok`, `${URL_BASE}?token=tok&after=2`]);
  });

  it("reconnects after the server ends the stream, waiting the server's retry", async () => {
    const first = sseResponse();
    const second = sseResponse();
    const { client, seen, clock, until } = harness([() => first.response, () => second.response]);
    client.start();
    first.send(`retry: 150\n\n${log(1)}`);
    await until(() => seen.lines.length === 1);
    first.end();
    await until(() => seen.states.includes('reconnecting'));
    clock.advance(149);
    await drain();
    assert.equal(seen.urls.length, 1, 'no new connection before retry: 150');
    clock.advance(1);
    await until(() => seen.urls.length === 2);
    client.dispose();
    assert.deepEqual(
      clock.delays.filter((ms) => ms < 45_000),
      [150],
      "waited the server's retry",
    );
  });

  it('asks for pieces of pieceBytes and opens the next at once after `more`, resuming after its last seq', async () => {
    const first = sseResponse();
    const second = sseResponse();
    const { client, seen, clock, until } = harness([() => first.response, () => second.response], 'fetch', { pieceBytes: 20_000 });
    client.start();
    first.send(`retry: 150\n\n${log(1)}${log(2)}event: more\ndata: {"after":2}\n\n`);
    await until(() => seen.urls.length === 2);
    second.send(log(3));
    await until(() => seen.lines.length === 3);
    client.dispose();
    assert.deepEqual(seen.lines, [1, 2, 3]);
    assert.deepEqual(seen.urls, [`${URL_BASE}?token=tok&max=20000`, `${URL_BASE}?token=tok&after=2&max=20000`]);
    assert.deepEqual(seen.states, ['connecting', 'open'], 'open throughout: no reconnecting between pieces');
    assert.deepEqual(
      clock.delays.filter((ms) => ms < 45_000),
      [],
      'no retry delay between pieces',
    );
  });

  it('keeps retrying after HTTP errors, saying why, and stops when disposed', async () => {
    const { client, seen, clock, until } = harness([401, 503, 503].map((status) => () => sseResponse(status).response));
    const retryWaits = () => clock.delays.filter((ms) => ms === 1_000).length; // no retry: given, so 1 s
    client.start();
    for (let failed = 1; failed <= 2; failed++) {
      await until(() => retryWaits() === failed);
      clock.advance(1_000);
    }
    await until(() => seen.urls.length === 3 && retryWaits() === 3);
    assert.deepEqual(seen.states, ['connecting', 'reconnecting']);
    assert.equal(seen.details[1], 'HTTP 401');
    client.dispose();
    client.dispose(); // safe twice
    const n = seen.urls.length;
    clock.advance(60_000); // past every retry and backoff
    await drain();
    assert.equal(seen.urls.length, n, 'no fetch after dispose');
  });

  it('replaces a connection that went silent (no data, no keep-alive) for idleTimeoutMs', async () => {
    const first = sseResponse();
    const second = sseResponse();
    const { client, seen, clock, until } = harness([() => first.response, () => second.response], 'fetch', { idleTimeoutMs: 150 });
    client.start();
    first.send(`retry: 10\n\n${log(1)}`);
    await until(() => seen.lines.length === 1);
    clock.advance(100);
    first.send(': keep-alive\n\n'); // a comment counts as life
    await drain();
    clock.advance(149); // 249 ms after the line, 149 after the comment
    await drain();
    assert.equal(seen.urls.length, 1);
    assert.deepEqual(seen.states, ['connecting', 'open']);
    clock.advance(1);
    await until(() => seen.states.includes('reconnecting'));
    clock.advance(10);
    await until(() => seen.urls.length === 2 && seen.states.length === 4);
    client.dispose();
    assert.deepEqual(seen.states, ['connecting', 'open', 'reconnecting', 'open']);
    assert.equal(seen.details[2], 'no data from the host');
    assert.equal(seen.urls[1], `${URL_BASE}?token=tok&after=1`);
  });

  it('drops malformed events and keeps going', async () => {
    const res = sseResponse();
    const { client, seen, until } = harness([() => res.response]);
    client.start();
    res.send('event: log\ndata: not json\n\nevent: log\ndata: {"seq":"1"}\n\nevent: mystery\ndata: {}\n\n' + log(5));
    await until(() => seen.lines.length === 1);
    client.dispose();
    assert.deepEqual(seen.lines, [5]);
  });

  it('hands on partial events in order with lines, without moving the resume point', async () => {
    const first = sseResponse();
    const second = sseResponse();
    const order: string[] = [];
    const { client, seen, clock, until } = harness([() => first.response, () => second.response], 'fetch', {
      onPartial: (p: PartialLine) => order.push(`partial ${p.text}`),
    });
    client.start();
    const partial = (text: string) =>
      `event: partial\ndata: ${JSON.stringify({ stream: 'stdout', ts: 'x', level: 'INFO', text, seq: 2 })}\n\n`;
    first.send(`retry: 10\n\n${log(1)}${partial('Continue? ')}event: partial\ndata: {"text":1}\n\n`);
    await until(() => order.length === 1);
    first.fail();
    await until(() => seen.states.includes('reconnecting'));
    clock.advance(10);
    await until(() => seen.urls.length === 2);
    second.send(partial('Continue? y'));
    await until(() => order.length === 2);
    client.dispose();
    assert.deepEqual(order, ['partial Continue? ', 'partial Continue? y'], 'malformed data dropped');
    assert.equal(seen.urls[1], `${URL_BASE}?token=tok&after=1`);
  });

  it('delivers a 20 000-event chunk completely, in order', async () => {
    const res = sseResponse();
    const { client, seen, until } = harness([() => res.response]);
    client.start();
    let text = '';
    for (let s = 1; s <= 20_000; s++) text += log(s);
    res.send(text);
    await until(() => seen.lines.length === 20_000);
    client.dispose();
    assert.ok(seen.lines.every((s, i) => s === i + 1));
  });
});

describe('webview stream client (EventSource transport)', () => {
  class FakeEventSource {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSED = 2;
    static instances: FakeEventSource[] = [];
    readyState = 0;
    closed = 0;
    onopen: (() => void) | null = null;
    onerror: (() => void) | null = null;
    listeners = new Map<string, (e: { data: string }) => void>();
    constructor(readonly url: string) {
      FakeEventSource.instances.push(this);
    }
    addEventListener(type: string, fn: (e: { data: string }) => void) {
      this.listeners.set(type, fn);
    }
    close() {
      this.closed++;
      this.readyState = 2;
    }
    emit(type: string, data: unknown) {
      this.listeners.get(type)?.({ data: JSON.stringify(data) });
    }
  }

  it('never closes the EventSource on a transient error, and opens a new one only when the browser gave up', async () => {
    FakeEventSource.instances = [];
    const partials: string[] = [];
    const { client, seen, clock } = harness([], 'eventsource', {
      EventSource: FakeEventSource as unknown as typeof EventSource,
      onPartial: (p: PartialLine) => partials.push(p.text),
    });
    client.start();
    const es = FakeEventSource.instances[0]!;
    es.readyState = 1;
    es.onopen!();
    es.emit('log', { seq: 1, ts: 'x', level: 'INFO', stream: 'stdout', text: 'a' });
    es.readyState = 0; // the browser is reconnecting by itself
    es.onerror!();
    assert.equal(es.closed, 0, 'not closed on a transient error');
    assert.equal(FakeEventSource.instances.length, 1);
    es.readyState = 1;
    es.onopen!();
    es.emit('log', { seq: 2, ts: 'x', level: 'INFO', stream: 'stdout', text: 'b' });
    es.emit('partial', { seq: 3, ts: 'x', level: 'INFO', stream: 'stderr', text: 'c? ' });
    es.readyState = 2; // the browser gave up (e.g. HTTP 500)
    es.onerror!();
    clock.advance(249);
    assert.equal(FakeEventSource.instances.length, 1, 'waits the first backoff step');
    clock.advance(1);
    assert.equal(FakeEventSource.instances.length, 2);
    assert.equal(FakeEventSource.instances[1]!.url, `${URL_BASE}?token=tok&after=2`);
    client.dispose();
    assert.equal(FakeEventSource.instances[1]!.closed, 1, 'dispose closes it');
    assert.deepEqual(seen.lines, [1, 2]);
    assert.deepEqual(partials, ['c? ']);
    assert.deepEqual(seen.states, ['connecting', 'open', 'reconnecting', 'open', 'reconnecting']);
  });
});

describe('webview stream URL', () => {
  it('adds the token once and sets or clears after=', () => {
    assert.equal(buildStreamUrl('/s', 'a b', 0, 'http://h:1/').toString(), 'http://h:1/s?token=a+b');
    assert.equal(buildStreamUrl('/s?token=x', 't', 5, 'http://h:1/').toString(), 'http://h:1/s?token=x&after=5');
    assert.equal(buildStreamUrl('http://h:1/s?after=3', '', 0).toString(), 'http://h:1/s');
    assert.equal(buildStreamUrl('/s', 't', 5, 'http://h:1/', 262144).toString(), 'http://h:1/s?token=t&after=5&max=262144');
  });
});

describe('webview stream client (fetch reads)', () => {
  /** Everything `fetchOpener` reads from a body sent as `chunks`, piece by piece. */
  async function readAll(chunks: Uint8Array[], byteStream: boolean): Promise<string[]> {
    const body = byteStream
      ? new ReadableStream({
          type: 'bytes',
          start(c) {
            for (const chunk of chunks) c.enqueue(chunk.slice());
            c.close();
          },
        })
      : new ReadableStream<Uint8Array>({
          start(c) {
            for (const chunk of chunks) c.enqueue(chunk);
            c.close();
          },
        });
    const fetchImpl = (async () =>
      new Response(body as ReadableStream<Uint8Array>, { headers: { 'content-type': 'text/event-stream' } })) as unknown as typeof fetch;
    const opened = await fetchOpener(fetchImpl)(new URL(URL_BASE), {}, new AbortController().signal);
    const pieces: string[] = [];
    for (let text = await opened.read(); text !== undefined; text = await opened.read()) pieces.push(text);
    return pieces;
  }

  for (const byteStream of [true, false]) {
    it(`reads a backlog in pieces of at most READ_BYTES, characters split between them kept (${byteStream ? 'BYOB' : 'default'} reader)`, async () => {
      // A 2.5 MB backlog in one chunk, with multi-byte characters across every piece boundary.
      const unit = `${'x'.repeat(READ_BYTES - 3)}é😀`;
      const text = `${unit.repeat(40)}end`;
      const bytes = new TextEncoder().encode(text);
      const pieces = await readAll([bytes.subarray(0, 1000), bytes.subarray(1000)], byteStream);
      assert.equal(pieces.join(''), text);
      assert.ok(pieces.length >= 40, `${pieces.length} pieces`);
      for (const p of pieces) assert.ok(p.length <= READ_BYTES, `a piece of ${p.length} characters`);
    });
  }
});
