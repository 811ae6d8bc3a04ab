import assert from 'node:assert/strict';
import * as net from 'node:net';
import { AppStartup, LATE_READY_MS, type AppStartupOptions } from '../../src/host/appStartup';
import { findFreePort } from '../../src/host/ports';
import { Preview } from '../../src/host/preview';
import type { StatusEvent } from '../../src/shared/protocol';
import { FakeClock } from './helpers/fakeClock';
import { withDeadline } from './helpers/wait';

/** A node server that ignores $PORT: it listens on `port` at `host` and prints `say` (with {port}). */
function server(port: number, host: string, say: string): string[] {
  const script = `
    const s = require('node:http').createServer((q, r) => r.end('hi'));
    s.listen(${port}, ${JSON.stringify(host)}, () => console.log(${JSON.stringify(say)}.replace('{port}', s.address().port)));
    process.on('SIGTERM', () => process.exit(0));`;
  return [process.execPath, '-e', script];
}

async function readyStatus(preview: Preview): Promise<StatusEvent> {
  const final = new Promise<StatusEvent>((resolve) => preview.onDidChangeState((s) => s.state !== 'starting' && resolve(s)));
  await preview.start();
  return final;
}

async function ipv6Available(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false));
    s.listen(0, '::1', () => s.close(() => resolve(true)));
  });
}

describe('Preview learns where the app serves', function () {
  this.timeout(20_000);
  const previews: Preview[] = [];
  afterEach(async () => {
    for (const p of previews.splice(0)) {
      await p.stop();
      p.dispose();
    }
  });

  it('an app that ignores $PORT and prints its URL is ready there, and says so in status and info', async () => {
    const own = await findFreePort();
    const p = new Preview({
      id: '1',
      spec: { command: server(own, '127.0.0.1', '  ➜  Local:   http://localhost:{port}/'), cwd: process.cwd() },
    });
    previews.push(p);
    const status = await readyStatus(p);
    assert.equal(status.state, 'ready', status.reason);
    assert.equal(status.appUrl, `http://localhost:${own}/`);
    assert.equal(p.info().appUrl, `http://localhost:${own}/`);
    assert.notEqual(p.info().port, own, 'the chosen port stays what $PORT was');
  });

  // Each reloader's line when its app died and it waits for a fix: nodemon, node --watch, Django's
  // runserver (its server thread's exception), uvicorn --reload (its worker's traceback).
  const crashLines = [
    '[nodemon] app crashed - waiting for file changes before starting...',
    "Failed running './bin/www'",
    'Exception in thread django-main-thread:',
    'Process SpawnProcess-2:',
  ];
  for (const crashLine of crashLines) {
    it(`a reloader whose app crashed (${crashLine}) goes back to starting, and to ready when the app answers again`, async () => {
      // The app serves, dies (the port closes), its reloader says so and lives on; after a fix the
      // app serves again on the same port.
      const script = `
        const http = require('node:http');
        const serve = (then) => { const s = http.createServer((q, r) => r.end('ok')); s.listen(process.env.PORT, '127.0.0.1', () => then(s)); };
        serve((s) => setTimeout(() => s.close(() => {
          console.log(${JSON.stringify(crashLine)});
          setTimeout(() => serve(() => {}), 800);
        }), 300));
        process.on('SIGTERM', () => process.exit(0));`;
      const p = new Preview({ id: '1', spec: { command: [process.execPath, '-e', script], cwd: process.cwd() } });
      previews.push(p);
      const states: string[] = [];
      const readyAgain = new Promise<void>((resolve) =>
        p.onDidChangeState((s) => {
          states.push(s.state);
          if (states.join(' ').endsWith('ready starting ready')) resolve();
        }),
      );
      await p.start();
      await withDeadline(readyAgain, 10_000, () => `states: ${states.join(' → ')}`);
      assert.ok(
        p.ring.slice(0).some((l) => l.text.includes('[preview-host] the app crashed')),
        'the host says why it is starting again',
      );
    });
  }

  it("after a reloader's crash, a port that accepts but does not answer HTTP is not ready (uvicorn's reloader holds the socket)", async () => {
    // The port stays open throughout; while "crashed" nothing answers a request on it.
    const script = `
      let healthy = true;
      const waiting = [];
      require('node:http').createServer((q, r) => (healthy ? r.end('ok') : waiting.push(r))).listen(process.env.PORT, '127.0.0.1', () => {
        setTimeout(() => {
          healthy = false;
          console.log('Process SpawnProcess-2:');
          setTimeout(() => {
            healthy = true;
            console.log('INFO:     Application startup complete.');
            for (const r of waiting.splice(0)) r.destroy();
          }, 1500);
        }, 300);
      });
      process.on('SIGTERM', () => process.exit(0));`;
    const p = new Preview({ id: '1', spec: { command: [process.execPath, '-e', script], cwd: process.cwd() } });
    previews.push(p);
    const states: string[] = [];
    let servingWhenReadyAgain: boolean | undefined;
    const readyAgain = new Promise<void>((resolve) =>
      p.onDidChangeState((s) => {
        states.push(s.state);
        if (states.join(' ').endsWith('ready starting ready')) {
          servingWhenReadyAgain = p.ring.slice(0).some((l) => l.text.includes('Application startup complete'));
          resolve();
        }
      }),
    );
    await p.start();
    await withDeadline(readyAgain, 15_000, () => `states: ${states.join(' → ')}`);
    assert.equal(servingWhenReadyAgain, true, 'ready again only once the app answers HTTP');
  });

  it('an app that printed its own URL comes back there after its reloader restarts it, saying nothing new', async () => {
    // Like uvicorn --reload on a port of its own: the URL is printed once, by the reloader.
    const own = await findFreePort();
    const script = `
      const http = require('node:http');
      const serve = (then) => { const s = http.createServer((q, r) => r.end('ok')); s.listen(${own}, '127.0.0.1', () => then(s)); };
      console.log('INFO:     Uvicorn running on http://127.0.0.1:${own} (Press CTRL+C to quit)');
      serve((s) => setTimeout(() => s.close(() => {
        console.log('Process SpawnProcess-2:');
        setTimeout(() => serve(() => console.log('INFO:     Application startup complete.')), 800);
      }), 300));
      process.on('SIGTERM', () => process.exit(0));`;
    const p = new Preview({ id: '1', spec: { command: [process.execPath, '-e', script], cwd: process.cwd() } });
    previews.push(p);
    const statuses: StatusEvent[] = [];
    const readyAgain = new Promise<void>((resolve) =>
      p.onDidChangeState((s) => {
        statuses.push(s);
        if (
          statuses
            .map((x) => x.state)
            .join(' ')
            .endsWith('ready starting ready')
        )
          resolve();
      }),
    );
    await p.start();
    await withDeadline(readyAgain, 10_000, () => `states: ${statuses.map((x) => x.state).join(' → ')}`);
    assert.equal(statuses.at(-1)!.appUrl, `http://127.0.0.1:${own}/`);
  });

  it('an app on the chosen port that prints nothing keeps the old address', async () => {
    const script = `require('node:http').createServer((q, r) => r.end()).listen(process.env.PORT, '127.0.0.1'); process.on('SIGTERM', () => process.exit(0));`;
    const p = new Preview({ id: '1', spec: { command: [process.execPath, '-e', script], cwd: process.cwd() } });
    previews.push(p);
    const status = await readyStatus(p);
    assert.equal(status.state, 'ready', status.reason);
    assert.equal(status.appUrl, `http://127.0.0.1:${p.appPort}/`);
  });

  it('an app bound to IPv6 loopback only is found there', async function () {
    if (!(await ipv6Available())) this.skip(); // a machine without ::1 cannot bind it at all
    const script = `require('node:http').createServer((q, r) => r.end()).listen(process.env.PORT, '::1'); process.on('SIGTERM', () => process.exit(0));`;
    const p = new Preview({ id: '1', spec: { command: [process.execPath, '-e', script], cwd: process.cwd() } });
    previews.push(p);
    const status = await readyStatus(p);
    assert.equal(status.state, 'ready', status.reason);
    assert.equal(status.appUrl, `http://[::1]:${p.appPort}/`);
  });

  it('shows the command as written, with the port filled in', async () => {
    const p = new Preview({
      id: '1',
      spec: {
        command: ['/bin/sh', '-c', 'exit 0'],
        displayCommand: 'npm run dev -- --port {port}',
        cwd: process.cwd(),
        port: 4321,
        ready: { kind: 'none' },
      },
    });
    previews.push(p);
    assert.equal(p.info().displayCommand, 'npm run dev -- --port {port}', 'before start the placeholder is shown as is');
    await p.start();
    assert.equal(p.info().displayCommand, 'npm run dev -- --port 4321');
  });
});

describe('AppStartup (fake clock)', () => {
  /** An AppStartup launched on `port` whose callbacks write to `events`. */
  function startup(clock: FakeClock, options: Partial<Pick<AppStartupOptions, 'check' | 'timeoutMs'>> = {}, port = 3000) {
    const events: string[] = [];
    const s = new AppStartup({
      check: { kind: 'none' },
      ...options,
      clock,
      onReady: (url) => events.push(`ready ${url}`),
      onFail: (reason) => events.push(`fail ${reason}`),
      onStuckOnTakenPort: () => events.push('stuck'),
    });
    s.launched(port);
    return { s, events };
  }
  /** Lets the probe's promises run. */
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('an app that says its port is taken and neither exits nor moves is stopped after 2 s, not before', () => {
    const clock = new FakeClock();
    const { s, events } = startup(clock);
    s.watch('[nodemon] Error: listen EADDRINUSE: address already in use :::3000');
    clock.advance(1999);
    assert.deepEqual(events, []);
    clock.advance(1);
    assert.deepEqual(events, ['stuck']);
    assert.equal(s.takePortInUse(), '[nodemon] Error: listen EADDRINUSE: address already in use :::3000');
    s.dispose();
  });

  it('Django: a URL printed before "port in use" does not cancel it', () => {
    const clock = new FakeClock();
    const { s, events } = startup(clock);
    s.watch('Starting development server at http://127.0.0.1:3000/');
    s.watch('Quit the server with CONTROL-C.');
    s.watch('Error: That port is already in use.');
    assert.equal(s.takePortInUse(), 'Error: That port is already in use.');
    assert.deepEqual(events, []);
    s.dispose();
  });

  it('a ready line that also names a URL makes the app ready there (readyLine)', async () => {
    const clock = new FakeClock();
    const ready: string[] = [];
    const s = new AppStartup({
      check: { kind: 'line', pattern: 'listening on' },
      clock,
      onReady: (url) => ready.push(url),
      onFail: (reason) => assert.fail(reason),
      onStuckOnTakenPort: () => assert.fail('not stuck'),
    });
    s.launched(3000);
    s.watch('[web] listening on http://127.0.0.1:3000/');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(ready, ['http://127.0.0.1:3000/']);
    s.dispose();
  });

  it('an app that comes up after the ready timeout turns ready then (Django waiting for a fix), within LATE_READY_MS', async () => {
    const clock = new FakeClock();
    const { s, events } = startup(clock, { check: { kind: 'line', pattern: 'Starting development server' }, timeoutMs: 8000 }, 8000);
    clock.advance(8000);
    await settle();
    assert.deepEqual(events, ['fail not ready after 8 s: no output line matched /Starting development server/']);
    clock.advance(10 * 60_000);
    await settle();
    s.watch('Starting development server at http://127.0.0.1:8000/');
    await settle();
    assert.deepEqual(events.slice(1), ['ready http://127.0.0.1:8000/']);
    s.dispose();

    // Past LATE_READY_MS it gives up for good: no second failure, no ready.
    const { s: t, events: later } = startup(clock, { check: { kind: 'line', pattern: 'ready' }, timeoutMs: 1000 }, 8001);
    clock.advance(1000);
    await settle();
    clock.advance(LATE_READY_MS);
    await settle();
    t.watch('ready');
    await settle();
    assert.deepEqual(later, ['fail not ready after 1 s: no output line matched /ready/']);
    t.dispose();
  });

  it('waiting for a reloader to start its crashed app again (awaitRestart) does not fail at the ready timeout', async () => {
    const clock = new FakeClock();
    const { s, events } = startup(clock, { check: { kind: 'line', pattern: 'listening' }, timeoutMs: 5000 });
    s.watch('listening');
    await settle();
    s.awaitRestart();
    clock.advance(5 * 60_000);
    await settle();
    s.watch('listening');
    await settle();
    assert.deepEqual(events, ['ready http://127.0.0.1:3000/', 'ready http://127.0.0.1:3000/']);
    s.dispose();
  });

  it('an app that moves to another port by itself (Vite, Next) is not stopped', () => {
    const clock = new FakeClock();
    const { s, events } = startup(clock);
    s.watch('Port 3000 is in use, trying another one...');
    s.watch('  ➜  Local:   http://localhost:3001/');
    clock.advance(5000);
    assert.deepEqual(events, []);
    assert.equal(s.takePortInUse(), undefined);
    s.dispose();
  });
});
