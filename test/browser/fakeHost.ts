/**
 * A small stand-in for the preview host, implementing the stream contract of issue 2 on node:http:
 * `retry:`, `event: log` with `id: <seq>`, `event: status`, `event: gap`, `event: partial`, resume by Last-Event-ID
 * or `?after=`, `?token=` checked, write backpressure honoured. It serves the terminal page the way
 * the real host does: `renderTerminalHtml` at `GET /`, the bundle at `/assets/main.js|css`.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import type { GapEvent, LogLevel, LogLine, PartialLine, PreviewInfo, StatusEvent } from '../../src/shared/protocol';
import { createNonce, renderTerminalHtml, terminalCsp } from '../../src/shared/terminalHtml';
import { firstAfterSeq } from '../../src/shared/seqOrder';
import type { TerminalConfig } from '../../src/shared/webviewProtocol';
import { FakeRunRoutes } from './fakeRunRoutes';

const DIST = path.resolve(__dirname, '../../dist/webview');

/** Each event keeps its SSE frame, serialized once when emitted (as a real host would). */
type StreamEvent = ({ kind: 'log'; line: LogLine } | { kind: 'gap'; gap: GapEvent }) & { frame: string };

interface Client {
  res: http.ServerResponse;
  cursor: number;
  writing: boolean;
  /** `?max=`: the response ends with a `more` event once it has carried this many characters. */
  maxChars?: number;
  sent: number;
}

export interface FakeHostOptions {
  port?: number;
  retryMs?: number;
  token?: string;
  previewId?: string;
  maxLines?: number;
  mode?: TerminalConfig['mode'];
  /** Config `title` (shown until /api/previews answers). */
  title?: string;
  transport?: TerminalConfig['transport'];
  /** Bytes per `res.write()` when catching up (the real host batches too). */
  chunkBytes?: number;
  /** The history run of the live preview (its lines are this host's events): enables scroll back. */
  runId?: number;
  /** Serves the page for this past run (lines in `pastRuns`) instead of the live preview. */
  showPastRun?: number;
}

export class FakeHost {
  readonly token: string;
  readonly previewId: string;
  port = 0;
  /** Every event in order; seqs of log events are 1..N with no holes except gaps. */
  readonly events: StreamEvent[] = [];
  /** What each stream request asked to resume after (`Last-Event-ID` header, `?after=`). */
  readonly resumeRequests: { lastEventId: string | undefined; after: string | null }[] = [];
  /** How often the page asked for `/api/previews` (the header's details). */
  previewListRequests = 0;
  status: StatusEvent = { state: 'starting', ts: new Date().toISOString() };
  /** The run's errors, requests and export (issue 11's routes). */
  readonly runs: FakeRunRoutes;
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly clients = new Set<Client>();
  private nextSeq = 1;
  private held = false;
  /** Each stream's unfinished line, until its next line: sent after the backlog to every new stream. */
  private readonly partials = new Map<PartialLine['stream'], PartialLine>();
  private readonly startedAt = new Date(Date.now() - 83_000).toISOString();
  /** Past runs' lines by run id, for `/api/runs/:id/logs`. */
  readonly pastRuns = new Map<number, LogLine[]>();
  /** Every history page asked for (`before`, `after`, `limit` as sent). */
  readonly historyRequests: { runId: number; before: string | null; after: string | null; limit: string | null }[] = [];

  constructor(private readonly opts: FakeHostOptions = {}) {
    this.token = opts.token ?? 'test-token-0123456789abcdef';
    this.previewId = opts.previewId ?? 'p1';
    this.runs = new FakeRunRoutes({
      previewId: this.previewId,
      previewName: 'sample-app',
      startedAt: this.startedAt,
      lines: () => this.events.flatMap((e) => (e.kind === 'log' ? [e.line] : [])),
    });
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The terminal page URL, token included. */
  get pageUrl(): string {
    return `${this.origin}/?token=${this.token}`;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port || this.opts.port || 0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Closes the server and every connection (the page sees the host die). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const c of this.clients) c.res.destroy();
    this.clients.clear();
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Stops, waits, and listens again on the same port, with the same history. */
  async restart(downMs = 0): Promise<void> {
    await this.stop();
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.start();
  }

  /** Drops every open stream socket; the server keeps listening. */
  dropConnections(): void {
    for (const c of this.clients) c.res.socket?.destroy();
    this.clients.clear();
  }

  /** Appends lines (seq assigned here) and pushes them to connected clients. */
  emit(lines: { text: string; level?: LogLevel; stream?: 'stdout' | 'stderr'; entrySeq?: number }[]): void {
    for (const l of lines) {
      const line: LogLine = {
        seq: this.nextSeq++,
        ts: new Date().toISOString(),
        level: l.level ?? 'INFO',
        stream: l.stream ?? 'stdout',
        text: l.text,
        ...(l.entrySeq !== undefined && { entrySeq: l.entrySeq }),
      };
      this.partials.delete(line.stream); // the next line is the unfinished one, finished
      this.events.push({ kind: 'log', line, frame: `event: log\nid: ${line.seq}\ndata: ${JSON.stringify(line)}\n\n` });
    }
    this.pumpAll();
  }

  /** Declares the next `count` seqs unavailable (as the host does when a client fell behind). */
  emitGap(count: number): GapEvent {
    const gap = { from: this.nextSeq, to: this.nextSeq + count - 1, count };
    this.nextSeq += count;
    this.events.push({ kind: 'gap', gap, frame: `event: gap\nid: ${gap.to}\ndata: ${JSON.stringify(gap)}\n\n` });
    this.pumpAll();
    return gap;
  }

  /** Shows a stream's unfinished line (`event: partial`, no id) to clients that have every line. */
  emitPartial(p: { text: string; level?: LogLevel; stream?: 'stdout' | 'stderr' }): void {
    const partial: PartialLine = {
      stream: p.stream ?? 'stdout',
      ts: new Date().toISOString(),
      level: p.level ?? 'INFO',
      text: p.text,
      seq: this.nextSeq,
    };
    this.partials.set(partial.stream, partial);
    for (const c of this.clients) this.sendPartials(c, [partial]);
  }

  /** Forgets the unfinished lines without finishing them (a host restarted meanwhile). */
  clearPartials(): void {
    this.partials.clear();
  }

  setStatus(status: Omit<StatusEvent, 'ts'>): void {
    this.status = { ...status, ts: new Date().toISOString() };
    const frame = `event: status\ndata: ${JSON.stringify(this.status)}\n\n`;
    for (const c of this.clients) c.res.write(frame);
  }

  private previewInfo(): PreviewInfo {
    return {
      id: this.previewId,
      name: 'sample-app',
      command: ['uvicorn', 'app:app', '--port', '8000'],
      displayCommand: 'uvicorn app:app --port 8000',
      cwd: '/srv/sample',
      pid: 4242,
      port: 8000,
      appUrl: this.status.state === 'ready' ? 'http://127.0.0.1:8000/' : null,
      state: this.status.state,
      exitCode: this.status.exitCode ?? null,
      signal: this.status.signal ?? null,
      reason: this.status.reason ?? null,
      startedAt: this.startedAt,
      lastSeq: this.lastSeq,
      ...(this.opts.runId !== undefined && { runId: this.opts.runId }),
    };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const authorized = url.searchParams.get('token') === this.token;
    if (url.pathname === '/' && req.method === 'GET') {
      if (!authorized) return void res.writeHead(401).end('token required');
      const nonce = createNonce();
      const config: TerminalConfig = {
        streamUrl: `/api/previews/${this.previewId}/logs/stream`,
        previewsUrl: '/api/previews',
        runsUrl: '/api/runs',
        token: this.token,
        previewId: this.opts.showPastRun !== undefined ? `run-${this.opts.showPastRun}` : this.previewId,
        ...(this.opts.showPastRun !== undefined && { runId: this.opts.showPastRun }),
        mode: this.opts.mode ?? 'browser',
        ...(this.opts.maxLines ? { maxLines: this.opts.maxLines } : {}),
        ...(this.opts.title ? { title: this.opts.title } : {}),
        ...(this.opts.transport ? { transport: this.opts.transport } : {}),
      };
      const csp = { nonce, cspSource: this.origin, connectSrc: this.origin };
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': terminalCsp(csp),
        'Cache-Control': 'no-store',
      });
      res.end(renderTerminalHtml({ ...csp, scriptUri: '/assets/main.js', styleUri: '/assets/main.css', config }));
      return;
    }
    const asset = /^\/assets\/(main\.(?:js|css)(?:\.map)?)$/.exec(url.pathname);
    if (asset) {
      const body = await readFile(path.join(DIST, asset[1]!));
      const type = asset[1]!.endsWith('.css') ? 'text/css' : asset[1]!.endsWith('.js') ? 'text/javascript' : 'application/json';
      res.writeHead(200, { 'Content-Type': `${type}; charset=utf-8` }).end(body);
      return;
    }
    if (url.pathname.startsWith('/api/') && !authorized) return void res.writeHead(401).end();
    if (this.runs.handle(url, res)) return; // issue 11: a run's errors, requests, export
    if (url.pathname === '/api/previews') {
      this.previewListRequests++;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify([this.previewInfo()]));
      return;
    }
    if (url.pathname === `/api/previews/${this.previewId}/logs/stream`) return this.stream(req, res, url);
    const runLogs = /^\/api\/runs\/(\d+)\/logs$/.exec(url.pathname);
    if (runLogs) return this.runLogs(Number(runLogs[1]), url, res);
    res.writeHead(404).end();
  }

  /** `GET /api/runs/:id/logs?after=&before=&limit=` as the history routes answer it (LineQuery). */
  private runLogs(runId: number, url: URL, res: http.ServerResponse): void {
    const q = url.searchParams;
    this.historyRequests.push({ runId, before: q.get('before'), after: q.get('after'), limit: q.get('limit') });
    const all = runId === this.opts.runId ? this.events.flatMap((e) => (e.kind === 'log' ? [e.line] : [])) : this.pastRuns.get(runId);
    if (!all)
      return void res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: `no such run: ${runId}` }));
    const after = Number(q.get('after') ?? 0);
    const before = q.has('before') ? Number(q.get('before')) : Infinity;
    const limit = Math.min(Number(q.get('limit') ?? 1000), 10_000);
    const range = all.filter((l) => l.seq > after && l.seq < before);
    // `before` pages are the newest `limit` lines under it, still in seq order.
    const lines = q.has('before') ? range.slice(Math.max(0, range.length - limit)) : range.slice(0, limit);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ lines }));
  }

  private stream(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const header = req.headers['last-event-id'];
    const lastEventId = Array.isArray(header) ? header[0] : header;
    const afterParam = url.searchParams.get('after');
    this.resumeRequests.push({ lastEventId, after: afterParam });
    // The header wins: it is newer than the `?after=` baked into the URL.
    const after = Math.max(Number(lastEventId ?? 0) || 0, Number(afterParam ?? 0) || 0);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    });
    res.write(`retry: ${this.opts.retryMs ?? 300}\n\n`);
    res.write(`event: status\ndata: ${JSON.stringify(this.status)}\n\n`);
    // The first event past `after` (a reader that comes back piece by piece, `?max=`, asks often).
    const cursor = firstAfterSeq(this.events, after, lastSeqOf);
    const max = Number(url.searchParams.get('max'));
    const client: Client = { res, cursor, writing: false, sent: 0, ...(max > 0 && { maxChars: max }) };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    this.pump(client);
    this.sendPartials(client, [...this.partials.values()]);
  }

  /** Only to a client that has every line so far (a simplification: the real host queues them). */
  private sendPartials(client: Client, partials: PartialLine[]): void {
    if (client.writing || client.cursor < this.events.length) return;
    for (const p of partials) client.res.write(`event: partial\ndata: ${JSON.stringify(p)}\n\n`);
  }

  /**
   * Holds what is emitted from now on back from clients until `release()` (a bench makes its lines
   * before its clock starts, so that making them does not compete with the page it measures).
   */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    this.pumpAll();
  }

  private pumpAll(): void {
    if (this.held) return;
    for (const c of this.clients) this.pump(c);
  }

  /** Writes what the client has not had yet, in chunks, waiting for 'drain' when the socket is full. */
  private pump(client: Client): void {
    if (this.held || client.writing || !this.clients.has(client)) return;
    const chunkBytes = this.opts.chunkBytes ?? 16 * 1024;
    while (client.cursor < this.events.length) {
      let chunk = '';
      while (client.cursor < this.events.length && chunk.length < chunkBytes) {
        chunk += this.events[client.cursor++]!.frame;
      }
      client.sent += chunk.length;
      if (client.maxChars !== undefined && client.sent >= client.maxChars) {
        client.res.end(`${chunk}event: more\ndata: ${JSON.stringify({ after: lastSeqOf(this.events[client.cursor - 1]!) })}\n\n`);
        this.clients.delete(client);
        return;
      }
      if (!client.res.write(chunk)) {
        client.writing = true;
        client.res.once('drain', () => {
          client.writing = false;
          this.pump(client);
        });
        return;
      }
    }
  }
}

function lastSeqOf(e: StreamEvent): number {
  return e.kind === 'log' ? e.line.seq : e.gap.to;
}
