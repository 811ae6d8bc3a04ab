/**
 * The fake host's per-run routes (issue 11's contract): `GET /api/runs`, a run's `/errors`,
 * `/requests?after=` and `/export?format=&level=&q=&from=&to=`, and the live preview's
 * `/errors` and `/requests`. Tests set the errors and requests; the export filters the lines the
 * host emitted, as the store does (levels, a case-insensitive substring, an inclusive seq range).
 */
import type http from 'node:http';
import type { ErrorSummary, LogLine, RequestRecord } from '../../src/shared/protocol';
import { stripAnsi } from '../../src/shared/ansi';
import { firstAfterSeq } from '../../src/shared/seqOrder';

export interface RunRouteSource {
  previewId: string;
  previewName: string;
  startedAt: string;
  lines(): LogLine[];
}

export class FakeRunRoutes {
  runId = 7;
  errors: ErrorSummary[] = [];
  requests: RequestRecord[] = [];
  /** Whether `/api/previews/:id/errors|requests` exist (a host without them answers 404). */
  liveRoutes = true;
  /** Whether the host keeps history (`/api/runs…`); without it those routes answer 404. */
  history = true;
  /** When set, `/errors` and `/requests` answer this status with `{ error }`. */
  failWith: { status: number; error: string } | undefined;
  /** Every query the routes were asked, for assertions: `preview errors`, `run requests?after=5`, `export?format=…`. */
  readonly asked: string[] = [];

  constructor(private readonly source: RunRouteSource) {}

  /** Answers a run route; false when `pathname` is none of them. */
  handle(url: URL, res: http.ServerResponse): boolean {
    const live = new RegExp(`^/api/previews/${this.source.previewId}/(errors|requests)$`).exec(url.pathname);
    const run = /^\/api\/runs\/(\d+)\/(errors|requests|export)$/.exec(url.pathname);
    if (url.pathname === '/api/runs') {
      if (!this.history) return notFound(res, 'no such route');
      const run = { id: this.runId, previewName: this.source.previewName, startedAt: this.source.startedAt, lineCount: 0 };
      return json(res, 200, [{ ...run, id: this.runId + 1, startedAt: '2020-01-01T00:00:00.000Z' }, run]);
    }
    if (live) {
      if (!this.liveRoutes) return notFound(res, 'no such route');
      return this.answer(live[1] as 'errors' | 'requests', url, res);
    }
    if (!run) return false;
    if (!this.history) return notFound(res, 'no such route');
    if (Number(run[1]) !== this.runId) return notFound(res, `no such run: ${run[1]}`);
    if (run[2] === 'export') return this.export(url, res);
    return this.answer(run[2] as 'errors' | 'requests', url, res);
  }

  private answer(what: 'errors' | 'requests', url: URL, res: http.ServerResponse): boolean {
    const after = Number(url.searchParams.get('after') ?? 0);
    this.asked.push(
      `${url.pathname.startsWith('/api/runs/') ? 'run' : 'preview'} ${what === 'requests' ? `requests?after=${after}` : 'errors'}`,
    );
    if (this.failWith) return json(res, this.failWith.status, { error: this.failWith.error });
    if (what === 'errors') return json(res, 200, this.errors);
    const limit = Number(url.searchParams.get('limit') ?? Infinity);
    // In seq order, as a host keeps them (a page reader asks again and again).
    const i = firstAfterSeq(this.requests, after, (r) => r.seq);
    return json(res, 200, this.requests.slice(i, i + limit));
  }

  private export(url: URL, res: http.ServerResponse): boolean {
    const p = url.searchParams;
    const shown = new URLSearchParams(p);
    shown.delete('token');
    this.asked.push(`export?${shown.toString()}`);
    const format = p.get('format') ?? 'text';
    if (format !== 'text' && format !== 'jsonl') return json(res, 400, { error: `invalid format: "${format}" (expected text or jsonl)` });
    const levels = p.get('level') ? p.get('level')!.split(',') : undefined;
    const q = p.get('q')?.toLowerCase();
    const from = Number(p.get('from') ?? 1);
    const to = Number(p.get('to') ?? Infinity);
    const lines = this.source
      .lines()
      .filter((l) => l.seq >= from && l.seq <= to && (!levels || levels.includes(l.level)) && (!q || l.text.toLowerCase().includes(q)));
    const body = lines.map((l) => (format === 'text' ? `${l.ts} ${l.level} ${stripAnsi(l.text)}` : JSON.stringify(l))).join('\n');
    res.writeHead(200, { 'Content-Type': format === 'text' ? 'text/plain' : 'application/x-ndjson' });
    res.end(body ? `${body}\n` : '');
    return true;
  }
}

function json(res: http.ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  return true;
}

function notFound(res: http.ServerResponse, error: string): true {
  return json(res, 404, { error });
}
