// Issue 11, acceptance 1 (host part), on a real FastAPI app under uvicorn: two identical failures
// are two entries and one error counted twice; a second run of the same preview with the same
// failure and a new one marks only the new one `new`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { openHistoryStore } from '../../src/store';
import type { RunHistory } from '../../src/shared/historyApi';
import type { ErrorSummary, LogLine, RequestRecord } from '../../src/shared/protocol';
import type { Preview } from '../../src/host/preview';
import { FakeHistory } from '../unit/helpers/fakeHistory';
import { startHost } from '../unit/helpers/host';
import { removeTmpDirs, storeWorkerPath, tmpDir } from '../unit/store/helpers';
import { withDeadline } from '../unit/helpers/wait';
import { PYTHON } from './fixtures';

const FIXTURE = path.resolve(__dirname, '../fixtures/fastapi-app');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each call reads its own route's shape
function get(url: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c) => (text += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: res.headers['content-type']?.includes('json') ? JSON.parse(text) : text }),
        );
      })
      .on('error', reject);
  });
}

/** Resolves once the preview's lines satisfy `test`. */
function until(preview: Preview, what: string, test: (lines: LogLine[]) => boolean, timeoutMs = 30_000): Promise<void> {
  const check = () => test(preview.ring.slice(0));
  if (check()) return Promise.resolve();
  let sub: { dispose(): void } | undefined;
  const met = new Promise<void>((resolve) => (sub = preview.ring.onDidAppend(() => check() && resolve())));
  return withDeadline(
    met,
    timeoutMs,
    () =>
      `no ${what} after ${timeoutMs} ms; lines:\n${preview.ring
        .slice(0)
        .map((l) => l.text)
        .join('\n')}`,
  ).finally(() => sub?.dispose());
}

/**
 * The real store when it keeps errors per run (issue 11's store calls), else an in-memory history
 * with those calls: the host's part is the same either way.
 */
async function openHistory(): Promise<{ history: RunHistory; kind: string }> {
  const store = await openHistoryStore({ dir: await tmpDir(), workerPath: await storeWorkerPath() });
  if (typeof store.putRunErrors === 'function' && typeof store.seenFingerprints === 'function')
    return { history: store, kind: 'sql.js store' };
  await store.dispose();
  return { history: new FakeHistory(), kind: 'in-memory history (this branch’s store has no putRunErrors yet)' };
}

describe('FastAPI failures as entries and errors across runs (issue 11)', function () {
  this.timeout(120_000);
  let app: string;
  before(() => {
    // A copy of the fixture with one more failing route, for the second run's new error.
    app = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-host-fastapi-'));
    fs.cpSync(FIXTURE, app, { recursive: true });
    fs.appendFileSync(
      path.join(app, 'app', 'main.py'),
      '\n\n@app.get("/divide")\ndef divide(by: int = 0) -> dict:\n    return {"result": 1 / by}\n',
    );
  });
  after(async () => {
    fs.rmSync(app, { recursive: true, force: true });
    await removeTmpDirs();
  });

  it('two /boom failures: two entries, one error counted twice; a second run marks only its new error new', async function () {
    const { history, kind } = await openHistory();
    this.test!.title += ` [${kind}]`;
    const host = await startHost({ history });
    const api = (p: string) => `${host.server.apiBase}${p}${p.includes('?') ? '&' : '?'}token=${host.server.token}`;
    const run = async (paths: string[]) => {
      const preview = await host.manager.start({
        name: 'fastapi',
        command: [PYTHON, '-m', 'uvicorn', 'app.main:app', '--port', '{port}'],
        cwd: app,
        ready: { kind: 'http', path: '/' },
        graceMs: 3000,
      });
      await until(preview, 'startup', (lines) => lines.some((l) => l.text.includes('Application startup complete')));
      await withDeadline(
        new Promise<void>((resolve) =>
          preview.state === 'ready' ? resolve() : preview.onDidChangeState((s) => s.state === 'ready' && resolve()),
        ),
        30_000,
        () => `not ready: ${preview.state}`,
      );
      for (const p of paths) assert.equal((await get(`${preview.url!.replace(/\/$/, '')}${p}`)).status, 500);
      const count = (lines: LogLine[], re: RegExp) => lines.filter((l) => re.test(l.text)).length;
      await until(
        preview,
        `${paths.length} exception lines and access lines`,
        (lines) =>
          count(lines, /^(?:RuntimeError|ZeroDivisionError): /) === paths.length && count(lines, / HTTP\/1\.1" 500 /) === paths.length,
      );
      return preview;
    };

    try {
      const first = await run(['/boom', '/boom']);
      const lines = first.ring.slice(0);
      const heads = lines.filter((l) => l.text.endsWith('Exception in ASGI application'));
      assert.equal(heads.length, 2);
      // Each traceback is one entry: its head, then every line up to the exception pointing at it.
      for (const head of heads) {
        const entry = lines.filter((l) => l.entrySeq === head.seq);
        assert.equal(head.entrySeq, undefined);
        assert.equal(entry[0].text, 'Traceback (most recent call last):');
        assert.equal(entry.at(-1)!.text, 'RuntimeError: fixture boom: the handler failed on purpose');
        assert.ok(entry.length > 40, `${entry.length} lines in the entry`);
      }
      const entryHeads = lines.filter((l) => l.entrySeq === undefined);
      const errorEntries = entryHeads.filter((h) => h.level === 'ERROR' || lines.some((l) => l.entrySeq === h.seq && l.level === 'ERROR'));
      const requestSeqs = new Set(((await get(api(`/previews/${first.id}/requests`))).body as RequestRecord[]).map((r) => r.seq));
      // uvicorn's two `"GET /boom HTTP/1.1" 500` access lines are ERROR-level requests of their own (on stdout).
      assert.deepEqual(
        errorEntries.filter((h) => requestSeqs.has(h.seq)).map((h) => h.stream),
        ['stdout', 'stdout'],
      );
      assert.deepEqual(
        errorEntries.filter((h) => !requestSeqs.has(h.seq)).map((h) => h.seq),
        heads.map((h) => h.seq),
        'the ERROR entries that are not requests: the two tracebacks',
      );

      const errors = (await get(api(`/previews/${first.id}/errors`))).body as ErrorSummary[];
      assert.deepEqual(
        errors.map((e) => [e.title, e.count, e.firstSeq, e.lastSeq, e.new]),
        [['RuntimeError: fixture boom: the handler failed on purpose', 2, heads[0].seq, heads[1].seq, true]],
      );
      const firstRun = first.historyRunId!;
      await host.manager.remove(first.id);
      const stored = (await get(api(`/runs/${firstRun}/errors`))).body as ErrorSummary[];
      assert.deepEqual(stored, errors);

      const second = await run(['/boom', '/divide']);
      const secondRun = second.historyRunId!;
      const summaries = (await get(api(`/runs/${secondRun}/errors`))).body as ErrorSummary[];
      assert.deepEqual(
        summaries.map((e) => [e.title, e.count, e.new]),
        [
          ['RuntimeError: fixture boom: the handler failed on purpose', 1, false],
          ['ZeroDivisionError: division by zero', 1, true],
        ],
      );
      assert.equal(summaries[0].fingerprint, errors[0].fingerprint, 'the same failure keeps its fingerprint across runs');
      await host.manager.remove(second.id);
    } finally {
      await host.dispose();
      await history.dispose();
    }
  });
});
