import assert from 'node:assert/strict';
import http from 'node:http';
import { openHistoryStore, type HistoryStore } from '../../src/store';
import type { LogLine } from '../../src/shared/protocol';
import { FakeClock } from './helpers/fakeClock';
import { EMIT_LINES, emitterSpec, startHost, untilLines } from './helpers/host';
import { RawSseClient } from './helpers/sse';
import { removeTmpDirs, storeWorkerPath, tmpDir } from './store/helpers';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads its own route's shape
function getJson(url: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c) => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: res.headers['content-type']?.startsWith('application/json') ? JSON.parse(text) : text,
          }),
        );
      })
      .on('error', reject);
  });
}

describe('host with history', function () {
  this.timeout(120_000);
  let history: HistoryStore;
  let dir: string;
  let host: Awaited<ReturnType<typeof startHost>> | undefined;

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

  it('stores all 200 000 lines of a run with seq, level, stream and text, and its exit code and count', async () => {
    host = await startHost({ history });
    const total = 200_000;
    const preview = await host.manager.start({
      command: [
        process.execPath,
        '-e',
        `let s='';for(let i=1;i<=${total};i++){s+=(i%1000===0?'ERROR: line ':'line ')+i+'\\n';if(i%5000===0){process.stdout.write(s);s=''}}process.stderr.write('bye\\n');process.exitCode=4`,
      ],
      cwd: process.cwd(),
      ready: { kind: 'none' },
    });
    await preview.exited;
    await host.dispose();
    host = undefined;
    await history.dispose();
    history = await openHistoryStore({ dir, workerPath: await storeWorkerPath() });
    const [run] = await history.listRuns();
    assert.equal(run.exitCode, 4);
    assert.equal(run.lineCount, total + 1);
    assert.equal(run.abnormal, false);
    let after = 0;
    let count = 0;
    let stdoutNumber = 0;
    let stderrLines = 0;
    for (;;) {
      const page = await history.readLines(run.id, { after, limit: 10_000 });
      if (page.length === 0) break;
      for (const line of page) {
        count++;
        assert.equal(line.seq, after + 1, 'seqs are stored without holes');
        after = line.seq;
        if (line.stream === 'stderr') {
          assert.equal(line.text, 'bye');
          stderrLines++;
          continue;
        }
        // stdout and stderr are separate pipes: only each stream's own order is fixed.
        stdoutNumber++;
        assert.equal(line.text, (stdoutNumber % 1000 === 0 ? 'ERROR: line ' : 'line ') + stdoutNumber);
        assert.equal(line.level, stdoutNumber % 1000 === 0 ? 'ERROR' : 'INFO');
        assert.match(line.ts, /^\d{4}-\d\d-\d\dT/);
      }
    }
    assert.equal(stdoutNumber, total);
    assert.equal(stderrLines, 1);
    assert.equal(count, total + 1);
  });

  it('fills a stalled client from the store: all 200 000 lines in order, no gap', async () => {
    const clock = new FakeClock(); // the stall's length, as the host sees it
    host = await startHost({ history, ring: { capacity: 5_000 }, clock }, { clock });
    const total = 200_000;
    const preview = await host.manager.start(emitterSpec(total));
    const client = new RawSseClient(host.server.streamUrl(preview.id));
    await client.ready;
    client.pause();
    await untilLines(preview, total);
    clock.advance(1000); // stalled a second past the last line
    client.resume();
    await client.until(() => Number(client.events.at(-1)?.id) === total, 90_000);
    assert.deepEqual(client.ofType('gap'), [], 'no gap: the store had every line');
    const seqs = client.ofType('log').map((e) => Number(e.id));
    assert.equal(seqs.length, total);
    assert.deepEqual(seqs, range(1, total));
    client.close();
  });

  it('resumes a Last-Event-ID older than the ring exactly after it, from the store', async () => {
    host = await startHost({ history, ring: { capacity: 1_000 } });
    const preview = await host.manager.start(emitterSpec(20_000));
    await untilLines(preview, 20_000);
    assert.ok(preview.ring.oldestSeq > 2501);
    const client = new RawSseClient(host.server.streamUrl(preview.id), { 'Last-Event-ID': '2500' });
    await client.ready;
    await client.until(() => Number(client.events.at(-1)?.id) === 20_000);
    assert.deepEqual(client.ofType('gap'), []);
    assert.deepEqual(
      client.ofType('log').map((e) => Number(e.id)),
      range(2501, 20_000),
    );
    client.close();
  });

  it('tells a client exactly which lines the size cap trimmed, then streams the rest from the store and the ring', async () => {
    await history.dispose();
    history = await openHistoryStore({
      dir: await tmpDir(),
      workerPath: await storeWorkerPath(),
      // Lines in chunks take ~6 bytes each here (the emitter's lines differ in their number and time only).
      retention: { maxBytes: 96 * 1024, minLinesPerRun: 2_000 },
    });
    host = await startHost({ history, ring: { capacity: 1_000 } });
    const preview = await host.manager.start(
      emitterSpec(20_000, 0, { command: [process.execPath, EMIT_LINES, '20000', '0', '--stay', '--pad', '100'] }),
    );
    await untilLines(preview, 20_000);
    await history.flush(); // a whole write applies the cap to the running run
    const client = new RawSseClient(host.server.streamUrl(preview.id));
    await client.ready;
    await client.until(() => Number(client.events.at(-1)?.id) === 20_000);
    const gaps = client.ofType('gap').map((e) => JSON.parse(e.data));
    assert.equal(gaps.length, 1, JSON.stringify(gaps));
    const [gap] = gaps;
    assert.equal(gap.from, 1);
    assert.ok(gap.to >= 1 && gap.to <= 18_000, `at least the newest 2 000 lines are kept (gap to ${gap.to})`);
    assert.deepEqual(
      client.ofType('log').map((e) => Number(e.id)),
      range(gap.to + 1, 20_000),
    );
    client.close();
  });

  it('serves runs, paged and filtered run logs, and exports', async () => {
    host = await startHost({ history });
    const preview = await host.manager.start({
      command: [process.execPath, '-e', 'for (let i = 1; i <= 30; i++) console.log(i % 10 === 0 ? `ERROR: failed ${i}` : `ok ${i}`)'],
      cwd: process.cwd(),
      name: 'web',
      ready: { kind: 'none' },
    });
    await preview.exited;
    await history.flush();
    const api = `${host.server.apiBase}`;
    const t = `token=${host.server.token}`;
    const runs = await getJson(`${api}/runs?${t}`);
    assert.equal(runs.status, 200);
    assert.equal(runs.body[0].previewName, 'web');
    const id = runs.body[0].id;
    const errors = await getJson(`${api}/runs/${id}/logs?${t}&level=ERROR`);
    assert.deepEqual(
      errors.body.lines.map((l: LogLine) => l.text),
      ['ERROR: failed 10', 'ERROR: failed 20', 'ERROR: failed 30'],
    );
    const page = await getJson(`${api}/runs/${id}/logs?${t}&after=5&limit=3`);
    assert.deepEqual(
      page.body.lines.map((l: LogLine) => l.seq),
      [6, 7, 8],
    );
    const search = await getJson(`${api}/runs/${id}/logs?${t}&q=ok%202`);
    assert.deepEqual(
      search.body.lines.map((l: LogLine) => l.text),
      ['ok 2', 'ok 21', 'ok 22', 'ok 23', 'ok 24', 'ok 25', 'ok 26', 'ok 27', 'ok 28', 'ok 29'],
    );
    const text = await getJson(`${api}/runs/${id}/export?${t}&format=text`);
    assert.equal(text.status, 200);
    assert.match(text.body, /ERROR: failed 30/);
    assert.equal(text.body.trim().split('\n').length, 30);
    const jsonl = await getJson(`${api}/runs/${id}/export?${t}&format=jsonl`);
    assert.equal(JSON.parse(jsonl.body.trim().split('\n')[0]).text, 'ok 1');
    const back = await getJson(`${api}/runs/${id}/logs?${t}&before=25&limit=3`);
    assert.deepEqual(
      back.body.lines.map((l: LogLine) => l.seq),
      [22, 23, 24],
    );
    const filtered = await getJson(`${api}/runs/${id}/export?${t}&format=jsonl&level=error&q=FAILED&from=11&to=30`);
    assert.deepEqual(
      filtered.body
        .trim()
        .split('\n')
        .map((l: string) => JSON.parse(l).text),
      ['ERROR: failed 20', 'ERROR: failed 30'],
    );
    const range = await getJson(`${api}/runs/${id}/export?${t}&from=29`);
    assert.equal(range.body.trim().split('\n').length, 2);
    for (const [query, message] of [
      ['logs?before=0', /invalid before: "0"/],
      ['logs?before=x', /invalid before: "x"/],
      ['export?from=-1', /invalid from: "-1"/],
      ['export?from=9&to=3', /from 9 is after to 3/],
      ['export?level=LOUD', /invalid level: "LOUD"/],
    ] as const) {
      const bad = await getJson(`${api}/runs/${id}/${query}&${t}`);
      assert.equal(bad.status, 400, query);
      assert.match(bad.body.error, message);
    }
    assert.equal((await getJson(`${api}/runs/999/logs?${t}`)).status, 404);
    assert.equal((await getJson(`${api}/runs/${id}/logs?${t}&level=LOUD`)).status, 400);
    assert.equal((await getJson(`${api}/runs/${id}/export?${t}&format=pdf`)).status, 400);
    assert.equal((await getJson(`${api}/runs`)).status, 401);
  });

  it('shows in /api/stats the store backlog and how long each write of the database file took', async () => {
    host = await startHost({ history });
    const preview = await host.manager.start(emitterSpec(20_000));
    await untilLines(preview, 20_000);
    await history.flush();
    const stats = await getJson(`${host.server.apiBase}/stats?token=${host.server.token}`);
    assert.equal(stats.status, 200);
    const h = stats.body.history;
    assert.equal(h.backlogChars, 0, 'everything appended has been stored');
    assert.ok(h.persists >= 1, `persists: ${h.persists}`);
    const size = (await import('node:fs')).statSync(history.file).size;
    assert.equal(h.lastPersist.bytes, size, 'the last write wrote the file as it is now');
    assert.ok(h.lastPersist.ms > 0 && h.slowestPersist.ms >= h.lastPersist.ms, JSON.stringify(h));
  });
});
