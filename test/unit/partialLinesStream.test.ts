import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http, { type ServerResponse } from 'node:http';
import path from 'node:path';
import type { Preview } from '../../src/host/preview';
import { LogRing } from '../../src/host/ring';
import { SseSession } from '../../src/host/sseSession';
import type { LogLine, LogPage, PartialLine } from '../../src/shared/protocol';
import { openHistoryStore, type HistoryStore } from '../../src/store';
import { FakeClock } from './helpers/fakeClock';
import { startHost } from './helpers/host';
import { RawSseClient } from './helpers/sse';
import { removeTmpDirs, storeWorkerPath, tmpDir } from './store/helpers';

const PROMPT = 'Port 3000 is in use. Use another? (Y/n) ';

/**
 * A server that prints a line, then a prompt without newline in the same write, and finishes the
 * prompt's line with "y" once `answer` exists (the test's stand-in for the user typing).
 */
function promptSpec(answer: string) {
  const script = `
    const fs = require('node:fs');
    process.stdout.write('starting\\n' + ${JSON.stringify(PROMPT)});
    const t = setInterval(() => {
      if (!fs.existsSync(${JSON.stringify(answer)})) return;
      clearInterval(t);
      process.stdout.write('y\\nlistening\\n');
      setInterval(() => {}, 1000);
    }, 10);`;
  return { command: [process.execPath, '-e', script], cwd: process.cwd(), ready: { kind: 'none' as const }, graceMs: 500 };
}

function getJson<T>(url: string): Promise<T> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c) => (text += c));
        res.on('end', () => resolve(JSON.parse(text) as T));
      })
      .on('error', reject);
  });
}

function untilPartial(preview: Preview): Promise<PartialLine> {
  return new Promise((resolve) => {
    const sub = preview.onDidChangePartial(({ partial }) => {
      if (!partial) return;
      sub.dispose();
      resolve(partial);
    });
  });
}

const logs = (client: RawSseClient) => client.ofType('log').map((e) => (JSON.parse(e.data) as LogLine).text);
// Kept on real time: the preview must stay up (no final status to wait for), and what would come
// extra is a second partial or line, written at once if at all; 150 ms is far past a loopback hop.
const settle = () => new Promise((r) => setTimeout(r, 150));

describe('partial lines over the stream', function () {
  this.timeout(30_000);
  let host: Awaited<ReturnType<typeof startHost>> | undefined;
  let history: HistoryStore;
  let dir: string;

  beforeEach(async () => {
    dir = await tmpDir();
    history = await openHistoryStore({ dir, workerPath: await storeWorkerPath() });
  });
  afterEach(async () => {
    await host?.dispose();
    host = undefined;
    await history.dispose();
  });
  after(removeTmpDirs);

  it('sends a prompt without newline as `event: partial` (no id) within 250 ms of it being written, then the whole line once', async () => {
    host = await startHost({ history });
    const answer = path.join(dir, 'answer');
    const preview = await host.manager.start(promptSpec(answer));
    const client = new RawSseClient(host.server.streamUrl(preview.id));
    await client.ready;
    await client.until(() => client.ofType('log').length >= 1);
    const lineAt = Date.now();
    await client.until(() => client.ofType('partial').length >= 1);
    const waited = Date.now() - lineAt;
    // Real clock, real process: shown after PARTIAL_LINE_DELAY_MS (200), so within 250 ms; the
    // lower bound allows for timer jitter.
    assert.ok(waited >= 150 && waited < 250, `partial after ${waited} ms`);

    const [frame] = client.ofType('partial');
    assert.equal(frame.id, undefined, 'no id: Last-Event-ID stays at the last finished line');
    const partial = JSON.parse(frame.data) as PartialLine;
    assert.deepEqual({ ...partial, ts: '' }, { stream: 'stdout', ts: '', level: 'INFO', text: PROMPT, seq: 2 });
    assert.deepEqual(logs(client), ['starting'], 'the prompt is not a line yet');
    assert.ok(client.events.indexOf(frame) > client.events.indexOf(client.ofType('log')[0]), 'after the line before it');

    fs.writeFileSync(answer, '');
    await client.until(() => client.ofType('log').length >= 3);
    await settle();
    assert.deepEqual(logs(client), ['starting', `${PROMPT}y`, 'listening']);
    assert.equal(client.ofType('log')[1].id, '2', 'the finished line has the seq the partial hinted');
    assert.equal(client.ofType('partial').length, 1);
    client.close();
  });

  it('gives a new or resuming client the shown partial after its backlog, and the finished line alone once done', async () => {
    host = await startHost({ history });
    const answer = path.join(dir, 'answer');
    const preview = await host.manager.start(promptSpec(answer));
    await untilPartial(preview);
    const url = host.server.streamUrl(preview.id);
    const logsUrl = `${host.server.apiBase}/previews/${preview.id}/logs?token=${host.server.token}`;

    const cases: [RawSseClient, string[]][] = [
      [new RawSseClient(url), ['log', 'partial']],
      [new RawSseClient(url, { 'Last-Event-ID': '1' }), ['partial']],
    ];
    for (const [client, expected] of cases) {
      await client.ready;
      await client.until(() => client.ofType('partial').length >= 1);
      await settle();
      assert.deepEqual(
        client.events.filter((e) => e.event !== 'status').map((e) => e.event),
        expected,
      );
      assert.equal((JSON.parse(client.ofType('partial')[0].data) as PartialLine).text, PROMPT);
      client.close();
    }
    const shown = await getJson<LogPage>(logsUrl);
    assert.deepEqual(
      shown.lines.map((l) => l.text),
      ['starting'],
    );
    assert.deepEqual(
      shown.partials?.map((p) => p.text),
      [PROMPT],
    );

    fs.writeFileSync(answer, '');
    await new Promise<void>((resolve) => {
      const sub = preview.ring.onDidAppend(() => preview.ring.lastSeq >= 3 && (sub.dispose(), resolve()));
    });
    assert.deepEqual(preview.partials(), []);
    const resumed = new RawSseClient(url, { 'Last-Event-ID': '1' });
    await resumed.ready;
    await resumed.until(() => resumed.ofType('log').length >= 2);
    await settle();
    assert.deepEqual(logs(resumed), [`${PROMPT}y`, 'listening']);
    assert.deepEqual(resumed.ofType('partial'), []);
    resumed.close();
    const done = await getJson<LogPage>(logsUrl);
    assert.deepEqual(
      done.lines.map((l) => l.text),
      ['starting', `${PROMPT}y`, 'listening'],
    );
    assert.equal(done.partials, undefined);

    await history.flush();
    const stored = await history.readLines(preview.historyRunId!, { after: 0, limit: 100 });
    assert.deepEqual(
      stored.map((l) => [l.seq, l.text]),
      [
        [1, 'starting'],
        [2, `${PROMPT}y`],
        [3, 'listening'],
      ],
    );
  });

  it('stores a prompt the process exits on as one line, and shows no partial after the exit', async () => {
    host = await startHost({ history });
    const ASK = 'Overwrite dist/? (y/N) ';
    const preview = await host.manager.start({
      // Exits when poked, once the test has seen the partial: the prompt is on screen when it goes.
      command: [
        process.execPath,
        '-e',
        `process.stdout.write(${JSON.stringify(ASK)}); process.on('SIGUSR2', () => process.exit(0)); setInterval(() => {}, 1 << 30)`,
      ],
      cwd: process.cwd(),
      ready: { kind: 'none' },
    });
    const client = new RawSseClient(host.server.streamUrl(preview.id));
    await client.ready;
    await client.until(() => client.ofType('partial').length >= 1);
    process.kill(preview.pid!, 'SIGUSR2');
    await preview.exited;
    await client.until(() => client.ofType('log').length >= 1);
    assert.deepEqual(logs(client), [ASK]);
    assert.deepEqual(preview.partials(), []);
    client.close();
    await history.flush();
    const stored = await history.readLines(preview.historyRunId!, { after: 0, limit: 100 });
    assert.deepEqual(
      stored.map((l) => l.text),
      [ASK],
    );
  });
});

describe('SseSession partial frames', () => {
  /** A response that takes writes until `full`, then waits for the test to drain it. */
  function fakeResponse() {
    const res = Object.assign(new EventEmitter(), {
      out: '',
      full: false,
      writableEnded: false,
      write(text: string | Buffer) {
        res.out += String(text);
        return !res.full;
      },
      end() {
        res.writableEnded = true;
      },
    });
    return res;
  }
  const partial = (text: string, stream: 'stdout' | 'stderr' = 'stdout'): PartialLine => ({ stream, ts: 'x', level: 'INFO', text, seq: 0 });
  const frames = (out: string) =>
    out
      .split('\n\n')
      .filter((f) => f.startsWith('event:'))
      .map((f) => {
        const event = /^event: (\w+)/.exec(f)![1];
        return event === 'log'
          ? `log ${/^id: (\d+)/m.exec(f)![1]}`
          : `${event} ${(JSON.parse(/^data: (.*)$/m.exec(f)![1]) as PartialLine).text ?? ''}`;
      });

  it('writes a partial after the lines read before it, and only the newest of a stream a slow client has not had', () => {
    const ring = new LogRing();
    const res = fakeResponse();
    const session = new SseSession(res as unknown as ServerResponse, {
      ring,
      after: 0,
      clock: new FakeClock(),
      keepAliveMs: 15_000,
      retryMs: 1000,
    });
    ring.append([{ ts: 'x', level: 'INFO', stream: 'stdout', text: 'one' }]);
    session.sendPartial(partial('a'));
    assert.deepEqual(frames(res.out), ['log 1', 'partial a']);

    res.full = true;
    ring.append([{ ts: 'x', level: 'INFO', stream: 'stdout', text: 'a done' }]); // written, then the socket is full
    session.sendPartial(partial('b'));
    session.sendPartial(partial('err', 'stderr'));
    session.sendPartial(partial('bc'));
    ring.append([{ ts: 'x', level: 'INFO', stream: 'stdout', text: 'bc done' }]);
    assert.equal(session.isCaughtUp, false);
    res.full = false;
    res.emit('drain');
    assert.deepEqual(frames(res.out), ['log 1', 'partial a', 'log 2', 'partial err', 'partial bc', 'log 3']);
    for (const f of res.out.split('\n\n')) if (f.startsWith('event: partial')) assert.doesNotMatch(f, /^id:/m, 'no id');
    assert.equal(session.isCaughtUp, true);
    session.dispose();
  });
});
