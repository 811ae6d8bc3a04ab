import assert from 'node:assert/strict';
import http from 'node:http';
import type { ErrorSummary, LogLine, LogPage, RequestRecord } from '../../src/shared/protocol';
import { fakeSpawn, type FakeChild } from './helpers/fakeProcess';
import { FakeHistory } from './helpers/fakeHistory';
import { startHost, untilLines } from './helpers/host';
import { RawSseClient } from './helpers/sse';
import { FASTAPI_BOOM_STDOUT } from './helpers/capturedFastapi';
import { NODE_CAUGHT, PYTHON_LOGGED } from './helpers/capturedTraces';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads its own route's shape
function getJson(url: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      })
      .on('error', reject);
  });
}

type Host = Awaited<ReturnType<typeof startHost>>;
const children = new WeakMap<object, FakeChild>();

/** A host whose one preview is a fake child the test writes for. */
async function hostWithChild(history?: FakeHistory): Promise<{ host: Host; child: FakeChild; id: string; api: (path: string) => string }> {
  const fake = fakeSpawn();
  const host = await startHost({ history, spawn: fake.spawn });
  const preview = await host.manager.start({ name: 'api', command: ['dev-server'], cwd: process.cwd(), ready: { kind: 'none' } });
  children.set(preview, fake.children[0]);
  const api = (path: string) => `${host.server.apiBase}${path}${path.includes('?') ? '&' : '?'}token=${host.server.token}`;
  return { host, child: fake.children[0], id: preview.id, api };
}

const write = (stream: NodeJS.WritableStream, lines: readonly string[]) => stream.write(lines.map((l) => l + '\n').join(''));

describe('entries, errors and requests over HTTP', function () {
  this.timeout(60_000);
  let host: Host | undefined;
  afterEach(async () => {
    // A fake child ends only when told: end the ones still running, as a stop would.
    for (const preview of host?.manager.list() ?? []) if (!preview.hasEnded) children.get(preview)?.exit(null, 'SIGTERM');
    await host?.dispose();
    host = undefined;
  });

  it('sends entrySeq on the stream, in /logs pages and to history; heads and single lines have none', async () => {
    const history = new FakeHistory();
    const setup = await hostWithChild(history);
    host = setup.host;
    const sse = new RawSseClient(setup.api(`/previews/${setup.id}/logs/stream`));
    await sse.ready;
    write(setup.child.stderr, ['starting', ...PYTHON_LOGGED, 'ready']);
    const preview = host.manager.get(setup.id)!;
    await untilLines(preview, 8);
    await sse.until(() => sse.ofType('log').length >= 8);
    const streamed = sse.ofType('log').map((e) => JSON.parse(e.data) as LogLine);
    const expected = [undefined, undefined, 2, 2, 2, 2, 2, undefined];
    assert.deepEqual(
      streamed.map((l) => l.entrySeq),
      expected,
    );
    assert.ok(!sse.ofType('log')[0].data.includes('entrySeq'), 'absent, not null, on a head');
    const page = (await getJson(setup.api(`/previews/${setup.id}/logs`))).body as LogPage;
    assert.deepEqual(
      page.lines.map((l) => l.entrySeq),
      expected,
    );
    await host.manager.history!.flush();
    assert.deepEqual(
      history.lines.get(1)!.map((l) => l.entrySeq),
      expected,
    );
    sse.close();
  });

  it('serves a live preview’s errors and requests, and a stored run’s, with clear errors for bad input', async () => {
    const history = new FakeHistory();
    // An earlier run of the same preview name had the Node TypeError.
    const earlier = await history.beginRun({ previewName: 'api', command: ['x'], cwd: '/srv', port: 1, startedAt: 't' });
    const setup = await hostWithChild(history);
    host = setup.host;
    const preview = host.manager.get(setup.id)!;
    write(setup.child.stdout, [FASTAPI_BOOM_STDOUT[0], 'GET /items?page=2 200 3.112 ms - 150', ' GET /missing 404 in 12ms']);
    write(setup.child.stderr, [...NODE_CAUGHT, ...PYTHON_LOGGED]);
    await untilLines(preview, 14);
    const runId = preview.historyRunId!;
    assert.equal(runId, earlier + 1);
    const nodeFingerprint = host.manager.errorsOf(setup.id)!.currentRecords()[0].fingerprint;
    await history.putRunErrors(earlier, [{ fingerprint: nodeFingerprint, title: 'TypeError', count: 3, firstSeq: 1, lastSeq: 9 }]);

    const live = (await getJson(setup.api(`/previews/${setup.id}/errors`))).body as ErrorSummary[];
    assert.deepEqual(
      live.map((e) => [e.title, e.count, e.new]),
      [
        ["TypeError: Cannot read properties of null (reading 'x')", 1, false],
        ['ZeroDivisionError: division by zero', 1, true],
      ],
    );
    const byRun = (await getJson(setup.api(`/runs/${runId}/errors`))).body as ErrorSummary[];
    assert.deepEqual(byRun, live);

    const requests = (await getJson(setup.api(`/runs/${runId}/requests`))).body as RequestRecord[];
    assert.deepEqual(
      requests.map((r) => [r.seq, r.method, r.path, r.status, r.durationMs]),
      [
        [1, 'GET', '/boom', 500, undefined],
        [2, 'GET', '/items?page=2', 200, 3.112],
        [3, 'GET', '/missing', 404, 12],
      ],
    );
    assert.ok(requests.every((r) => typeof r.ts === 'string'));
    const select = async (query: string) =>
      ((await getJson(setup.api(`/runs/${runId}/requests?${query}`))).body as RequestRecord[]).map((r) => r.seq);
    assert.deepEqual(await select('status=4xx'), [3]);
    assert.deepEqual(await select('status=500'), [1]);
    assert.deepEqual(await select('status=4xx,5xx&method=get'), [1, 3]);
    assert.deepEqual(await select('path=items'), [2]);
    assert.deepEqual(
      ((await getJson(setup.api(`/previews/${setup.id}/requests?status=2xx`))).body as RequestRecord[]).map((r) => r.seq),
      [2],
    );

    // More lines later: the run's requests are read on from where the last call stopped.
    write(setup.child.stdout, ['GET /later 201 1.000 ms - 2']);
    await untilLines(preview, 15);
    assert.deepEqual(await select('path=later'), [15]);
    // Pages: the first `limit` after `after`, oldest first, filters applied before counting.
    assert.deepEqual(await select('limit=2'), [1, 2]);
    assert.deepEqual(await select('after=2&limit=2'), [3, 15]);
    assert.deepEqual(await select('after=1&limit=1&status=4xx'), [3]);
    assert.deepEqual(await select('after=15&limit=5'), []);

    const bad = async (path: string, status: number, message: RegExp) => {
      const res = await getJson(setup.api(path));
      assert.equal(res.status, status, path);
      assert.match(res.body.error, message);
    };
    await bad(`/runs/${runId}/requests?status=4x`, 400, /invalid status: "4x"/);
    await bad(`/runs/${runId}/requests?method=G%20T`, 400, /invalid method: "G T"/);
    await bad(`/runs/${runId}/requests?limit=0`, 400, /invalid limit: "0" \(expected a whole number ≥ 1\)/);
    await bad(`/previews/${setup.id}/requests?limit=x`, 400, /invalid limit: "x"/);
    await bad(`/previews/${setup.id}/requests?status=abc`, 400, /invalid status/);
    await bad('/runs/0/errors', 400, /invalid run id: "0"/);
    await bad('/runs/x/requests', 400, /invalid run id: "x"/);
    await bad('/runs/99/errors', 404, /no such run: 99/);
    await bad('/previews/nope/errors', 404, /no such preview: "nope"/);

    // The run ends: its records are stored, and the run route reads them from history.
    setup.child.exit(0);
    await preview.exited;
    await new Promise((r) => setTimeout(r, 50));
    await host.manager.remove(setup.id);
    const stored = (await getJson(setup.api(`/runs/${runId}/errors`))).body as ErrorSummary[];
    assert.deepEqual(
      stored.map((e) => [e.title, e.count, e.new]),
      [
        ["TypeError: Cannot read properties of null (reading 'x')", 1, false],
        ['ZeroDivisionError: division by zero', 1, true],
      ],
    );
  });

  it('serves a preview’s requests and errors from the ring when there is no history', async () => {
    const setup = await hostWithChild();
    host = setup.host;
    write(setup.child.stdout, ['GET / 200 1.5 ms - 2', 'POST /x 503 2.0 ms - 9']);
    write(setup.child.stderr, NODE_CAUGHT);
    await untilLines(host.manager.get(setup.id)!, 7);
    const requests = (await getJson(setup.api(`/previews/${setup.id}/requests?status=5xx`))).body as RequestRecord[];
    assert.deepEqual(
      requests.map((r) => [r.method, r.path, r.status, r.durationMs]),
      [['POST', '/x', 503, 2]],
    );
    const errors = (await getJson(setup.api(`/previews/${setup.id}/errors`))).body as ErrorSummary[];
    assert.deepEqual(
      errors.map((e) => [e.title, e.count, e.new]),
      [["TypeError: Cannot read properties of null (reading 'x')", 1, true]],
    );
    assert.equal((await getJson(setup.api('/runs/1/errors'))).status, 404, 'no run routes without history');
  });
});
