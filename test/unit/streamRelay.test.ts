// The `relay` transport end to end, minus VS Code: the page's stream client (webview-ui/stream.ts
// with relayStream.ts's opener) and the extension's StreamRelay, joined by an in-memory message
// channel that clones and delivers asynchronously like postMessage, reading a real host's stream.
import assert from 'node:assert/strict';
import { MAX_MESSAGE_CHARS, pieceEnd, StreamRelay } from '../../src/extension/streamRelay';
import type { GapEvent, LogLine } from '../../src/shared/protocol';
import { StreamDataMessage, StreamOpenedMessage, StreamOpenMessage } from '../../src/shared/webviewProtocol';
import { relayOpener, type RelayPort } from '../../webview-ui/relayStream';
import { FetchStreamClient, type ConnectionState } from '../../webview-ui/stream';
import { emitterSpec, startHost, untilLines } from './helpers/host';
import { withDeadline } from './helpers/wait';

type Host = Awaited<ReturnType<typeof startHost>>;

/** The page's port and the extension's relay, with messages cloned and delivered on a later turn. */
function channel(streamUrl: (previewId: string) => string | undefined, window?: number, delayMs = 0) {
  const later = (fn: () => void) => (delayMs > 0 ? setTimeout(fn, delayMs) : setImmediate(fn));
  const pageListeners = new Set<(m: unknown) => void>();
  const toPage: unknown[] = [];
  const clone = (m: unknown) => JSON.parse(JSON.stringify(m)) as unknown;
  const relay = new StreamRelay({
    streamUrl,
    window,
    post: (message) => {
      const copy = clone(message);
      toPage.push(copy);
      later(() => pageListeners.forEach((l) => l(copy)));
    },
  });
  const port: RelayPort = {
    post: (message) => {
      const copy = clone(message);
      later(() => relay.handle(copy));
    },
    listen: (listener) => {
      pageListeners.add(listener);
      return () => pageListeners.delete(listener);
    },
  };
  return { relay, port, toPage };
}

/** A page's stream client over `port`, collecting seqs (gaps count as covered) and connection states. */
function pageClient(port: RelayPort, previewId: string, seqs: number[] = [], texts?: string[]) {
  const states: { state: ConnectionState; detail?: string }[] = [];
  const gaps: GapEvent[] = [];
  const lastSeq = () => (seqs.length ? seqs[seqs.length - 1]! : 0);
  const client = new FetchStreamClient({
    url: 'http://page.invalid/stream', // unused by the relay, which reads the preview's own stream
    token: 't',
    lastSeq,
    onLog: (line: LogLine) => {
      seqs.push(line.seq);
      texts?.push(line.text);
    },
    onStatus: () => {},
    onGap: (gap) => {
      gaps.push(gap);
      for (let s = gap.from; s <= gap.to; s++) seqs.push(s);
    },
    onConnection: (state, detail) => states.push({ state, ...(detail ? { detail } : {}) }),
    open: relayOpener(port, () => previewId),
  });
  client.start();
  return {
    client,
    seqs,
    gaps,
    states,
    until: (n: number) =>
      withDeadline(
        new Promise<void>((resolve) => {
          const poll = () => (lastSeq() >= n ? resolve() : setTimeout(poll, 10));
          poll();
        }),
        60_000,
        () => `page got up to seq ${lastSeq()} of ${n}`,
      ),
  };
}

/** A page that takes no chunk (so acks none) until `release()`, which hands it the held ones. */
function holdingPort(port: RelayPort) {
  let holding = true;
  const held: { m: unknown; listener: (m: unknown) => void }[] = [];
  const holdingPort: RelayPort = {
    post: port.post,
    listen: (listener) => port.listen((m) => (holding && StreamDataMessage.is(m) ? held.push({ m, listener }) : listener(m))),
  };
  const release = () => {
    holding = false;
    for (const { m, listener } of held.splice(0)) listener(m);
  };
  return { port: holdingPort, held, release };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('stream relay (extension reads the stream, the page gets it by messages)', function () {
  this.timeout(90_000);
  let host: Host;
  afterEach(async () => host?.dispose());

  it('delivers every line in order, and a page that closes its stream (hidden) and reopens it later (shown) misses none and gets none twice', async () => {
    host = await startHost();
    const preview = await host.manager.start(emitterSpec(6000, 1500));
    const { relay, port } = channel((id) => (id === preview.id ? host.server.streamUrl(id) : undefined));
    const seqs: number[] = [];
    const first = pageClient(port, preview.id, seqs);
    await first.until(1000);
    assert.equal(host.server.clientCount(preview.id), 1, 'the relay holds one connection for the page');

    first.client.dispose(); // what a hidden page does after its grace period
    await eventually(() => relay.size === 0 && host.server.clientCount(preview.id) === 0, 'the relayed connection to close');
    const pausedAt = seqs[seqs.length - 1]!;
    await untilLines(preview, pausedAt + 1500); // lines keep coming while nobody reads them
    const waiting = preview.ring.lastSeq - pausedAt;

    const second = pageClient(port, preview.id, seqs); // shown again: resumes after the last seq it has
    await second.until(6000);
    second.client.dispose();
    relay.dispose();
    assert.deepEqual(seqs, range(1, 6000), 'no gap and no duplicate across the pause');
    assert.deepEqual(first.gaps, []);
    assert.deepEqual(second.gaps, []);
    assert.equal(second.states[0]?.state, 'connecting');
    assert.ok(second.states.some((s) => s.state === 'open'));
    console.log(`      paused at seq ${pausedAt}, resumed with ${waiting} lines waiting (still emitting), all 6000 once each`);
  });

  it('a page loaded afresh (a panel moved to another group) gets its stream, though it numbers its connections from 1 again', async () => {
    host = await startHost();
    const preview = await host.manager.start(emitterSpec(100, 1000));
    const { relay, toPage } = channel((id) => (id === preview.id ? host.server.streamUrl(id) : undefined));
    const opened = () => toPage.filter((m) => StreamOpenedMessage.is(m) && m.params.id === 1).length;
    relay.handle(StreamOpenMessage.create({ id: 1, previewId: preview.id, after: 0 })); // the old page, never closed
    await eventually(() => opened() === 1, 'the old page’s stream to open');

    relay.reset(); // the new page said ready (panel.ts), then opens its connection 1
    relay.handle(StreamOpenMessage.create({ id: 1, previewId: preview.id, after: 0 }));
    await eventually(() => opened() === 2, 'the new page’s stream to open');
    await eventually(() => host.server.clientCount(preview.id) === 1, 'the old connection to close');
    assert.equal(relay.size, 1);
    relay.dispose();
  });

  it('sends at most `window` chunks ahead of the page, then the rest as the page reads them', async () => {
    host = await startHost();
    const preview = await host.manager.start(emitterSpec(20_000, 0));
    await untilLines(preview, 20_000);
    const { relay, port, toPage } = channel((id) => host.server.streamUrl(id), 2);
    const { port: slowPort, held, release } = holdingPort(port);
    const page = pageClient(slowPort, preview.id);
    await eventually(() => held.length >= 2, 'two chunks');
    await new Promise((r) => setTimeout(r, 300));
    const dataSent = () => toPage.filter((m) => StreamDataMessage.is(m)).length;
    assert.equal(dataSent(), 2, 'no chunk beyond the window before an ack');

    // Let the held chunks through: the page reads them, acks, and the relay sends the rest.
    release();
    await page.until(20_000);
    page.client.dispose();
    relay.dispose();
    assert.deepEqual(page.seqs, range(1, 20_000));
    console.log(`      20 000 lines in ${dataSent()} chunks, at most 2 unacknowledged`);
  });

  it('posts a page that fell behind at most MAX_MESSAGE_CHARS a message, never splitting a character', async () => {
    host = await startHost();
    // 6 000 lines with 2- and 4-byte characters (a surrogate pair lands on some message boundary).
    const line = (i: number) => `${i} ${'é😀'.repeat(i % 7)}${'x'.repeat(i % 50)}`;
    const script = `let s = ''; for (let i = 1; i <= 6000; i++) s += (${line.toString()})(i) + '\\n'; process.stdout.write(s); setInterval(() => {}, 1000);`;
    const preview = await host.manager.start({ ...emitterSpec(0), command: [process.execPath, '-e', script] });
    await untilLines(preview, 6000);
    const { relay, port, toPage } = channel((id) => host.server.streamUrl(id), 2);
    const { port: slowPort, held, release } = holdingPort(port);
    const texts: string[] = [];
    const page = pageClient(slowPort, preview.id, [], texts);
    await eventually(() => held.length >= 2, 'two chunks');
    await new Promise((r) => setTimeout(r, 300)); // the relay reads the rest of the backlog meanwhile
    release();
    await page.until(6000);
    page.client.dispose();
    relay.dispose();
    assert.deepEqual(texts, range(1, 6000).map(line));
    const sizes = toPage.filter((m) => StreamDataMessage.is(m)).map((m) => (m as { params: { text: string } }).params.text);
    assert.ok(Math.max(...sizes.map((t) => t.length)) <= MAX_MESSAGE_CHARS, 'no message over the bound');
    assert.ok(sizes.filter((t) => t.length >= MAX_MESSAGE_CHARS - 1).length >= 5, 'the backlog went out in full-size messages');
    for (const t of sizes) {
      assert.ok(!/[\ud800-\udbff]$/.test(t) && !/^[\udc00-\udfff]/.test(t), 'a message ends and starts on whole characters');
    }
    console.log(
      `      6 000 lines after a stall: ${sizes.length} messages, the longest ${Math.max(...sizes.map((t) => t.length))} characters`,
    );
  });

  it('cuts a message only between whole characters', () => {
    assert.equal(pieceEnd('abc', 4), 3);
    assert.equal(pieceEnd('abcdef', 4), 4);
    assert.equal(pieceEnd('abc😀def', 4), 3, 'not between the halves of 😀');
    assert.equal(pieceEnd('abcd😀', 4), 4);
    assert.equal(pieceEnd('ab😀def', 4), 4, 'just after 😀');
  });

  it('keeps up with the line rate when the page is slow to answer (lines written one by one are joined)', async () => {
    host = await startHost();
    // 250 ms each way: one message per line would allow 4 lines per half second.
    const preview = await host.manager.start(emitterSpec(600, 200));
    const { relay, port } = channel((id) => host.server.streamUrl(id), undefined, 250);
    const page = pageClient(port, preview.id);
    await untilLines(preview, 600);
    const doneAt = Date.now();
    await page.until(600);
    const lag = Date.now() - doneAt;
    page.client.dispose();
    relay.dispose();
    assert.deepEqual(page.seqs, range(1, 600));
    assert.ok(lag < 3000, `the page got the last line ${lag} ms after it was written`);
    console.log(`      200 lines/s over a 500 ms round trip: the last line arrived ${lag} ms after it was written`);
  });

  it("refuses a stream other than the panel's preview's, and the page says why", async () => {
    host = await startHost();
    const preview = await host.manager.start(emitterSpec(10, 0));
    const { relay, port } = channel((id) => (id === preview.id ? host.server.streamUrl(id) : undefined));
    const page = pageClient(port, 'someone-else');
    await eventually(() => page.states.some((s) => s.state === 'reconnecting'), 'the page to give up on this connection');
    page.client.dispose();
    relay.dispose();
    assert.match(page.states.find((s) => s.state === 'reconnecting')?.detail ?? '', /HTTP 404/);
    assert.equal(host.server.clientCount(preview.id), 0);
  });
});
