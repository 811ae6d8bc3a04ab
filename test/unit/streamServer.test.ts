import assert from 'node:assert/strict';
import http from 'node:http';
import { EventSource } from 'eventsource';
import type { GapEvent, LogLine, StatusEvent } from '../../src/shared/protocol';
import { emitterSpec, startHost, untilLines } from './helpers/host';
import { FakeClock } from './helpers/fakeClock';
import { RawSseClient } from './helpers/sse';
import { withDeadline } from './helpers/wait';

type Host = Awaited<ReturnType<typeof startHost>>;

/** Collects `log` seqs from a real EventSource client. */
function eventSourceClient(url: string) {
  const es = new EventSource(url);
  const seqs: number[] = [];
  const gaps: GapEvent[] = [];
  let waiters: { n: number; resolve: () => void }[] = [];
  const received = () => (waiters = waiters.filter((w) => (seqs.length >= w.n ? (w.resolve(), false) : true)));
  es.addEventListener('gap', (e) => {
    const gap = JSON.parse(e.data) as GapEvent;
    gaps.push(gap);
    for (let s = gap.from; s <= gap.to; s++) seqs.push(s); // covered, not received
    received();
  });
  es.addEventListener('log', (e) => {
    const line = JSON.parse(e.data) as LogLine;
    assert.equal(String(line.seq), e.lastEventId, 'id: is the seq');
    seqs.push(line.seq);
    received();
  });
  return {
    es,
    seqs,
    gaps,
    until(n: number, timeoutMs = 60_000): Promise<void> {
      if (seqs.length >= n) return Promise.resolve();
      const reached = new Promise<void>((resolve) => waiters.push({ n, resolve }));
      return withDeadline(reached, timeoutMs, () => `got ${seqs.length} of ${n}`);
    },
  };
}

const PINGER = `process.on('SIGUSR2', () => console.log('ping')); console.log('up'); setInterval(() => {}, 1 << 30);`;

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('stream server', function () {
  this.timeout(90_000);
  let host: Host;
  afterEach(async () => host?.dispose());

  it('gives two EventSource clients all 5 000 lines in order, and a late third client the ring first', async () => {
    host = await startHost();
    const preview = await host.manager.start(emitterSpec(5000, 20_000));
    const url = host.server.streamUrl(preview.id);
    const a = eventSourceClient(url);
    const b = eventSourceClient(url);
    try {
      await Promise.all([a.until(5000), b.until(5000)]);
      assert.deepEqual(a.seqs, range(1, 5000));
      assert.deepEqual(b.seqs, range(1, 5000));
      const c = eventSourceClient(url);
      await c.until(5000);
      assert.deepEqual(c.seqs, range(1, 5000));
      c.es.close();
    } finally {
      a.es.close();
      b.es.close();
    }
  });

  it('resumes after Last-Event-ID 2500 with exactly 2501…5000, and ?after= does the same', async () => {
    host = await startHost();
    const preview = await host.manager.start(emitterSpec(5000));
    await untilLines(preview, 5000);
    const clients = [
      new RawSseClient(host.server.streamUrl(preview.id), { 'Last-Event-ID': '2500' }),
      new RawSseClient(`${host.server.streamUrl(preview.id)}&after=2500`),
      new RawSseClient(`${host.server.streamUrl(preview.id)}&after=3000`, { 'Last-Event-ID': '2500' }),
    ];
    const [header, after, both] = clients;
    for (const client of clients) await client.ready;
    await header.until(() => header.ofType('log').length >= 2500);
    await after.until(() => after.ofType('log').length >= 2500);
    await both.until(() => both.ofType('log').length >= 2000);
    // Anything extra would come before the final status: the stream keeps lines and states in order.
    await preview.stop();
    const stopped = (c: RawSseClient) => c.ofType('status').some((e) => (JSON.parse(e.data) as StatusEvent).state === 'stopped');
    for (const client of clients) await client.until(() => stopped(client));
    for (const client of [header, after])
      assert.deepEqual(
        client.ofType('log').map((e) => Number(e.id)),
        range(2501, 5000),
      );
    assert.deepEqual(
      both.ofType('log').map((e) => Number(e.id)),
      range(3001, 5000),
      'header and ?after=: the larger wins',
    );
    clients.forEach((client) => client.close());
  });

  it('ends a response at ?max= bytes with `more` and the seq to resume after; pieces join without a hole or a duplicate', async () => {
    host = await startHost();
    const preview = await host.manager.start(emitterSpec(5000));
    await untilLines(preview, 5000);
    const ids: number[] = [];
    let after = 0;
    let pieces = 0;
    // Piece by piece while a whole piece of lines is left; the rest from an unbounded response.
    while (after < 4500) {
      const { status, body } = await get(`${host.server.streamUrl(preview.id)}&after=${after}&max=16384`);
      assert.equal(status, 200);
      const frames = body.split('\n\n').filter(Boolean);
      const more = frames.at(-1)!;
      assert.match(more, /^event: more\ndata: \{"after":\d+\}$/, 'a piece ends with `more`');
      const pieceIds = frames.filter((f) => f.startsWith('event: log')).map((f) => Number(/^id: (\d+)$/m.exec(f)![1]));
      assert.equal(JSON.parse(more.split('data: ')[1]!).after, pieceIds.at(-1), '`more` names the last seq sent');
      assert.ok(body.length >= 16384 && body.length < 16384 + 64 * 1024, `a piece of ${body.length} characters`);
      ids.push(...pieceIds);
      after = pieceIds.at(-1)!;
      pieces++;
    }
    const rest = new RawSseClient(`${host.server.streamUrl(preview.id)}&after=${after}`);
    await rest.until(() => rest.ofType('log').length >= 5000 - after);
    ids.push(...rest.ofType('log').map((e) => Number(e.id)));
    rest.close();
    assert.deepEqual(ids, range(1, 5000));
    assert.ok(pieces >= 10, `${pieces} pieces`);

    const bad = await get(`${host.server.streamUrl(preview.id)}&max=100`);
    assert.equal(bad.status, 400);
    assert.match(bad.body, /invalid max: \\"100\\" \(expected a whole number of bytes ≥ 16384\)/);
  });

  it('sends the stream headers, retry:, the current status first, and status changes in order with lines', async () => {
    host = await startHost();
    const preview = await host.manager.start({
      ...emitterSpec(3),
      command: [process.execPath, '-e', 'console.log("a");console.log("b");process.exit(3)'],
    });
    await preview.exited;
    const client = new RawSseClient(host.server.streamUrl(preview.id));
    await client.ready;
    await client.until(() => client.ofType('status').length >= 1 && client.ofType('log').length >= 2);
    assert.equal(client.headers['content-type'], 'text/event-stream; charset=utf-8');
    assert.equal(client.headers['cache-control'], 'no-cache, no-transform');
    assert.equal(client.headers['x-accel-buffering'], 'no');
    assert.equal(client.retry, 1000);
    const status = JSON.parse(client.ofType('status')[0].data) as StatusEvent;
    assert.equal(status.state, 'exited');
    assert.equal(status.exitCode, 3);
    client.close();
  });

  it('keeps a slow client from slowing others, bounds memory, and tells it the exact gap', async () => {
    const clock = new FakeClock(); // the stall's length, as the server sees it
    host = await startHost({ clock }, { clock });
    const total = 200_000;
    // 40 000 lines/s: a pace one in-process EventSource client keeps up with, so any loss would be the stall's doing.
    const preview = await host.manager.start(emitterSpec(total, 40_000));
    const url = host.server.streamUrl(preview.id);
    const slow = new RawSseClient(url);
    await slow.ready;
    slow.pause();
    const fast = eventSourceClient(url);
    const heapBefore = process.memoryUsage().heapUsed;
    try {
      await fast.until(total);
      assert.deepEqual(fast.gaps, [], 'the reading client missed nothing while the other one stalled');
      assert.deepEqual(fast.seqs, range(1, total));
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
      assert.ok(heapGrowth < 150 * 1024 * 1024, `heap grew ${(heapGrowth / 1e6).toFixed(0)} MB`);
      // Stay stalled for 10 s, as a user's frozen tab would: the server's timers see them pass.
      clock.advance(10_000);
      slow.resume();
      await slow.until(() => {
        const last = slow.events.at(-1);
        return last?.event === 'log' && Number(last.id) === total;
      });
      const got = slow.ofType('log').map((e) => Number(e.id));
      const gaps = slow.ofType('gap').map((e) => JSON.parse(e.data) as GapEvent);
      assert.ok(gaps.length >= 1, 'a stalled client past the ring is told of the gap');
      // Lines and gaps together cover 1…total exactly once, in order.
      const covered: number[] = [];
      for (const e of slow.events) {
        if (e.event === 'log') covered.push(Number(e.id));
        if (e.event === 'gap') {
          const gap = JSON.parse(e.data) as GapEvent;
          assert.equal(gap.count, gap.to - gap.from + 1);
          covered.push(...range(gap.from, gap.to));
        }
      }
      assert.deepEqual(covered, range(1, total));
      assert.ok(got.length >= 10_000, `received ${got.length} lines after the gap`);
    } finally {
      fast.es.close();
      slow.close();
    }
  });

  it('sends a keep-alive comment after 15 s of silence on the injected clock, and not before', async () => {
    const clock = new FakeClock();
    host = await startHost({ clock }, { clock });
    // Prints a line when poked: a write the test can order after anything the server sent before it.
    const preview = await host.manager.start({ ...emitterSpec(0), command: [process.execPath, '-e', PINGER] });
    const client = new RawSseClient(host.server.streamUrl(preview.id));
    await client.ready;
    await client.until(() => client.ofType('status').length >= 1 && client.ofType('log').length === 1); // up: it hears pokes
    clock.advance(14_999);
    process.kill(preview.pid!, 'SIGUSR2');
    await client.until(() => client.ofType('log').length === 2);
    assert.equal(client.comments, 0, 'no comment after 14 999 ms of silence');
    clock.advance(15_000); // 15 s after the ping
    await client.until(() => client.comments === 1, 2000);
    clock.advance(15_000);
    await client.until(() => client.comments === 2, 2000);
    client.close();
  });

  it('wants the token on every /api route, refuses foreign Host names, and listens on 127.0.0.1 only', async () => {
    host = await startHost();
    const preview = await host.manager.start(emitterSpec(1));
    const base = host.server.apiBase;
    assert.equal((await get(`${base}/previews`)).status, 401);
    assert.equal((await get(`${base}/previews?token=wrong`)).status, 401);
    assert.equal((await get(`${base}/previews/${preview.id}/logs/stream`)).status, 401);
    assert.equal((await get(`${base}/previews`, { Authorization: 'Bearer nope' })).status, 401);
    const ok = await get(`${base}/previews`, { Authorization: `Bearer ${host.server.token}` });
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(ok.body)[0].id, preview.id);
    assert.equal((await get(`${base}/previews?token=${host.server.token}`, { Host: 'evil.example' })).status, 403);
    assert.equal((await get(`${base}/previews?token=${host.server.token}`, { Host: 'evil.example:80' })).status, 403);
    assert.equal((await get(`${base}/previews?token=${host.server.token}`, { Host: `localhost:${host.server.port}` })).status, 200);
    assert.ok(host.server.token.length >= 22, 'token carries at least 128 bits');
    const address = (host.server as unknown as { server: http.Server }).server.address();
    assert.equal(typeof address === 'object' && address?.address, '127.0.0.1');
  });

  it('answers CORS for a VS Code webview origin and not for a foreign one', async () => {
    host = await startHost();
    const url = `${host.server.apiBase}/previews?token=${host.server.token}`;
    const webview = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(url, { headers: { Origin: 'vscode-webview://abc' }, agent: false }, resolve),
    );
    assert.equal(webview.headers['access-control-allow-origin'], 'vscode-webview://abc');
    webview.resume();
    const foreign = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(url, { headers: { Origin: 'https://evil.example' }, agent: false }, resolve),
    );
    assert.equal(foreign.headers['access-control-allow-origin'], undefined);
    foreign.resume();
  });

  it('serves JSON log pages with after/limit/level and reports a gap before the ring', async () => {
    host = await startHost({ ring: { capacity: 100 } });
    const preview = await host.manager.start(emitterSpec(250));
    await untilLines(preview, 250);
    const page = async (query: string) => {
      const res = await get(`${host.server.apiBase}/previews/${preview.id}/logs?token=${host.server.token}&${query}`);
      return { status: res.status, body: JSON.parse(res.body) };
    };
    const first = await page('after=200&limit=10');
    assert.deepEqual(
      first.body.lines.map((l: LogLine) => l.seq),
      range(201, 210),
    );
    assert.equal(first.body.oldestSeq, 151);
    const old = await page('after=0&limit=5');
    assert.deepEqual(old.body.gap, { from: 1, to: 150, count: 150 });
    assert.equal(old.body.lines[0].seq, 151);
    assert.equal((await page('level=INFO&after=249')).body.lines.length, 1);
    assert.equal((await page('level=ERROR')).body.lines.length, 0);
    const bad = await page('level=LOUD');
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /invalid level: "LOUD"/);
    assert.equal((await page('limit=0')).status, 400);
    assert.equal((await page('after=-1')).status, 400);
  });

  it('404s an unknown preview with its id in the message', async () => {
    host = await startHost();
    const res = await get(`${host.server.apiBase}/previews/nope/logs/stream?token=${host.server.token}`);
    assert.equal(res.status, 404);
    assert.match(res.body, /no such preview: \\"nope\\"/);
  });
});
