import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { Clock } from '../../src/host/clock';
import { Emitter, type Event } from '../../src/host/disposable';
import { findFreePort } from '../../src/host/ports';
import { waitForReady } from '../../src/host/readiness';

/**
 * A real-time clock that remembers the delays asked for and which timers are still pending: real
 * timers because the probes connect to real sockets, whose answers a fake clock cannot wait for.
 */
function trackingClock(): { clock: Clock; delays: number[]; pending: Set<unknown> } {
  const delays: number[] = [];
  const pending = new Set<unknown>();
  const clock: Clock = {
    now: () => Date.now(),
    setTimeout: (fn, ms) => {
      delays.push(ms);
      const handle = setTimeout(() => {
        pending.delete(handle);
        fn();
      }, ms);
      pending.add(handle);
      return handle;
    },
    clearTimeout: (handle) => {
      pending.delete(handle);
      clearTimeout(handle as NodeJS.Timeout);
    },
  };
  return { clock, delays, pending };
}

function listen(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

function close(server: net.Server): Promise<void> {
  (server as http.Server).closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('waitForReady', function () {
  this.timeout(5000);
  const servers: net.Server[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map(close));
  });

  it('tcp: succeeds once a server starts listening after a delay', async () => {
    const port = await findFreePort();
    const server = net.createServer((socket) => socket.destroy());
    servers.push(server);
    // Real time on purpose: the probe's real retries against a real socket are what is measured.
    setTimeout(() => void listen(server, port), 300);
    const result = await waitForReady({ probe: { kind: 'tcp', port }, timeoutMs: 3000, initialDelayMs: 20, maxDelayMs: 100 });
    assert.equal(result.ready, true);
    assert.ok(result.ready && result.after >= 250 && result.after < 1000, `after = ${JSON.stringify(result)}`);
  });

  it('http: waits through 503s, then succeeds at 200', async () => {
    const port = await findFreePort();
    const paths: string[] = [];
    const server = http.createServer((req, res) => {
      paths.push(req.url ?? '');
      res.statusCode = paths.length <= 3 ? 503 : 200;
      res.end('body');
    });
    servers.push(server);
    await listen(server, port);
    const result = await waitForReady({ probe: { kind: 'http', port, path: '/health' }, timeoutMs: 3000, initialDelayMs: 20 });
    assert.equal(result.ready, true);
    assert.deepEqual(paths, ['/health', '/health', '/health', '/health']);
  });

  it('http: a redirect counts as ready, a 404 does not', async () => {
    const port = await findFreePort();
    const server = http.createServer((req, res) => {
      res.statusCode = req.url === '/moved' ? 302 : 404;
      res.end();
    });
    servers.push(server);
    await listen(server, port);
    assert.equal((await waitForReady({ probe: { kind: 'http', port, path: 'moved' }, timeoutMs: 1000 })).ready, true);
    assert.deepEqual(await waitForReady({ probe: { kind: 'http', port, path: '/missing' }, timeoutMs: 300, initialDelayMs: 20 }), {
      ready: false,
      reason: `not ready after 300 ms: http://127.0.0.1:${port}/missing did not answer 2xx/3xx (last: HTTP 404)`,
    });
  });

  it('line: resolves on the first matching line and unsubscribes', async () => {
    const emitter = new Emitter<string>();
    let subscribed = 0;
    const lines: Event<string> = (listener) => {
      subscribed++;
      const sub = emitter.event(listener);
      return { dispose: () => (subscribed--, sub.dispose()) };
    };
    const pattern = /listening on/g; // a /g pattern must still match line after line
    pattern.lastIndex = 99;
    const waiting = waitForReady({ probe: { kind: 'line', pattern, lines }, timeoutMs: 2000 });
    emitter.fire('compiling...');
    emitter.fire('server listening on :3000');
    const result = await waiting;
    assert.equal(result.ready, true);
    assert.equal(subscribed, 0);
  });

  it('times out with a reason that names what was tried and the last result', async () => {
    const port = await findFreePort();
    const lines = new Emitter<string>();
    const [httpResult, tcpResult, lineResult] = await Promise.all([
      waitForReady({ probe: { kind: 'http', port, path: '/health' }, timeoutMs: 300 }),
      waitForReady({ probe: { kind: 'tcp', port }, timeoutMs: 1500 }),
      waitForReady({ probe: { kind: 'line', pattern: /ready/, lines: lines.event }, timeoutMs: 200 }),
    ]);
    assert.deepEqual(httpResult, {
      ready: false,
      reason: `not ready after 300 ms: http://127.0.0.1:${port}/health did not answer 2xx/3xx (last: connection refused)`,
    });
    assert.deepEqual(tcpResult, {
      ready: false,
      reason: `not ready after 1.5 s: nothing accepted a connection on 127.0.0.1:${port} (last: connection refused)`,
    });
    assert.deepEqual(lineResult, { ready: false, reason: 'not ready after 200 ms: no output line matched /ready/' });
  });

  it('backs off by doubling the pause up to maxDelayMs and clears every timer', async () => {
    const port = await findFreePort();
    const { clock, delays, pending } = trackingClock();
    const result = await waitForReady({ probe: { kind: 'tcp', port }, timeoutMs: 400, initialDelayMs: 10, maxDelayMs: 40, clock });
    assert.equal(result.ready, false);
    assert.equal(delays[0], 400); // the overall timeout
    assert.deepEqual(delays.slice(1, 6), [10, 20, 40, 40, 40]);
    assert.equal(pending.size, 0);
  });

  it('abort resolves at once and leaves no timers or sockets behind', async () => {
    const port = await findFreePort();
    let serverSocket: net.Socket | undefined;
    const requested = new Promise<void>((resolve) => {
      // Accepts and never answers, so an attempt is in flight when we abort.
      const server = http.createServer((req) => {
        serverSocket = req.socket;
        resolve();
      });
      servers.push(server);
      void listen(server, port);
    });
    const { clock, pending } = trackingClock();
    const controller = new AbortController();
    const waiting = waitForReady({ probe: { kind: 'http', port, path: '/' }, signal: controller.signal, clock });
    await requested;
    const socketClosed = new Promise((resolve) => serverSocket!.once('close', resolve));
    const t0 = Date.now();
    controller.abort();
    assert.deepEqual(await waiting, { ready: false, reason: 'aborted' });
    assert.ok(Date.now() - t0 < 50);
    assert.equal(pending.size, 0);
    await socketClosed;
  });

  it('answers an already aborted signal without probing', async () => {
    const controller = new AbortController();
    controller.abort();
    const { clock, delays } = trackingClock();
    const result = await waitForReady({ probe: { kind: 'tcp', port: 9 }, signal: controller.signal, clock });
    assert.deepEqual(result, { ready: false, reason: 'aborted' });
    assert.deepEqual(delays, []);
  });

  it('rejects bad options with a message naming the value', async () => {
    await assert.rejects(waitForReady({ probe: { kind: 'tcp', port: 0 } }), { message: 'invalid port: 0 (expected an integer 1-65535)' });
    await assert.rejects(waitForReady({ probe: { kind: 'tcp', port: 80 }, timeoutMs: -5 }), {
      message: 'invalid timeoutMs: -5 (expected a number > 0)',
    });
  });
});
