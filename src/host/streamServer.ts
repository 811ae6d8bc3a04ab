import express, { type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LogLine, LogPage } from '../shared/protocol';
import { systemClock, type Clock } from '../common/clock';
import type { Disposable } from '../common/disposable';
import type { Preview } from './preview';
import type { PreviewManager } from './previewManager';
import { createToken, isAllowedOrigin, isLoopbackHost, requestToken, tokenMatches } from './security';
import { allParsed, parseLineQuery, parsePieceBytes, parseSeq } from './queryParams';
import { SseSession, type Backfill } from './sseSession';
import { mountHistoryRoutes } from './historyRoutes';
import { mountEventRoutes } from './eventRoutes';
import { HostStatsMonitor } from './stats';
import { defaultWebviewDir, mountTerminalPage } from './terminalPage';

export interface StreamServerOptions {
  manager: PreviewManager;
  /** Always loopback; only the port is a choice (0 = any free one). */
  port?: number;
  token?: string;
  clock?: Clock;
  keepAliveMs?: number;
  retryMs?: number;
  /** More origins allowed to call the API (besides VS Code webviews and loopback pages). */
  allowOrigin?: (origin: string) => boolean;
  /** The built webview bundle for the browser page at `GET /` (default: dist/webview beside the bundle). */
  webviewDir?: string;
  /** Extra routes (history) mounted after the security checks. */
  routes?: (app: express.Express, server: StreamServer) => void;
}

export const DEFAULT_KEEP_ALIVE_MS = 15_000;

/**
 * The loopback HTTP server: preview list, log pages, and one SSE stream per preview. Bound to
 * 127.0.0.1, every /api route wants the token, and a non-loopback Host is refused.
 */
export class StreamServer implements Disposable {
  readonly token: string;
  private readonly sessions = new Map<string, Set<SseSession>>();
  private readonly disposables: Disposable[] = [];
  private server?: Server;
  private disposed = false;
  private stats?: HostStatsMonitor;
  private readonly extraHosts = new Set<string>();

  private constructor(private readonly options: StreamServerOptions) {
    this.token = options.token ?? createToken();
  }

  /** Creates the server and resolves once it listens. */
  static async listen(options: StreamServerOptions): Promise<StreamServer> {
    const server = new StreamServer(options);
    await server.listen();
    return server;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** e.g. http://127.0.0.1:PORT */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get apiBase(): string {
    return `${this.origin}/api`;
  }

  /** The SSE URL of a preview with the token in it, usable as is by EventSource or curl. */
  streamUrl(previewId: string): string {
    return `${this.apiBase}/previews/${encodeURIComponent(previewId)}/logs/stream?token=${this.token}`;
  }

  /**
   * Also accepts this host name in the Host header: the name a remote front's proxy forwards to
   * us with (from `asExternalUri`). Loopback names are always accepted.
   */
  allowHostName(name: string): void {
    this.extraHosts.add(name.toLowerCase());
  }

  /** How many clients are connected to this preview's stream. */
  clientCount(previewId: string): number {
    return this.sessions.get(previewId)?.size ?? 0;
  }

  /** Resolves once every client of the preview has been sent every line read so far. */
  async whenClientsCaughtUp(previewId: string): Promise<void> {
    const pending = [...(this.sessions.get(previewId) ?? [])].filter((s) => !s.isCaughtUp);
    await Promise.all(
      pending.map(
        (session) =>
          new Promise<void>((resolve) => {
            const done = () => {
              a.dispose();
              b.dispose();
              resolve();
            };
            const a = session.onDidCatchUp(done);
            const b = session.onDidClose(done);
          }),
      ),
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables) d.dispose();
    this.stats?.dispose();
    for (const set of this.sessions.values()) for (const session of set) session.dispose();
    this.sessions.clear();
    this.server?.close();
    this.server?.closeAllConnections();
  }

  private async listen(): Promise<void> {
    const app = this.createApp();
    const server = app.listen(this.options.port ?? 0, '127.0.0.1');
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new Error(`stream server could not listen on 127.0.0.1:${this.options.port ?? 0}: ${err.code ?? err.message}`)),
      );
    });
    this.disposables.push(
      this.options.manager.onDidChangeState(({ preview, status }) => {
        for (const session of this.sessions.get(preview.id) ?? []) session.sendStatus(status);
      }),
    );
  }

  private createApp(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    app.use((req, res, next) => {
      if (!isLoopbackHost(req.headers.host) && !this.extraHosts.has(hostName(req.headers.host))) {
        res.status(403).json({ error: `forbidden host: ${JSON.stringify(req.headers.host ?? '')} (only loopback names)` });
        return;
      }
      next();
    });
    app.use('/api', (req, res, next) => this.cors(req, res, next));
    app.use('/api', (req, res, next) => {
      if (!tokenMatches(this.token, requestToken(req, req.query as Record<string, unknown>))) {
        res.status(401).json({ error: 'missing or wrong token (Authorization: Bearer <token> or ?token=)' });
        return;
      }
      next();
    });
    app.get('/api/previews', (_req, res) => {
      res.json(this.options.manager.list().map((p) => p.info()));
    });
    app.get('/api/previews/:id', (req, res) => {
      const preview = this.previewOr404(req, res);
      if (preview) res.json(preview.info());
    });
    app.get('/api/previews/:id/logs', (req, res, next) => {
      const preview = this.previewOr404(req, res);
      if (preview) this.logPage(preview, req, res).catch(next);
    });
    app.get('/api/previews/:id/logs/stream', (req, res) => {
      const preview = this.previewOr404(req, res);
      if (preview) this.stream(preview, req, res);
    });
    app.get('/api/stats', (req, res) => {
      this.stats ??= new HostStatsMonitor();
      const history = this.options.manager.history?.stats?.();
      res.json({ ...this.stats.read(req.query.reset === '1'), ...(history && { history }) });
    });
    mountTerminalPage(app, {
      manager: this.options.manager,
      token: this.token,
      origin: () => this.origin,
      webviewDir: this.options.webviewDir ?? defaultWebviewDir(),
    });
    if (this.options.manager.history) mountHistoryRoutes(app, this.options.manager.history);
    mountEventRoutes(app, this.options.manager);
    this.options.routes?.(app, this);
    app.use('/api', (req, res) => {
      res.status(404).json({ error: `no such route: ${req.method} ${req.originalUrl.split('?')[0]}` });
    });
    app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
      if (!res.headersSent) res.status(500).json({ error: err.message });
    });
    return app;
  }

  private cors(req: Request, res: Response, next: NextFunction): void {
    const origin = req.headers.origin;
    if (origin && (isAllowedOrigin(origin) || this.options.allowOrigin?.(origin))) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, Last-Event-ID');
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
        res.status(204).end();
        return;
      }
    }
    next();
  }

  private previewOr404(req: Request, res: Response): Preview | undefined {
    const preview = this.options.manager.get(String(req.params.id));
    if (!preview) res.status(404).json({ error: `no such preview: ${JSON.stringify(req.params.id)}` });
    return preview;
  }

  private stream(preview: Preview, req: Request, res: Response): void {
    // EventSource resends Last-Event-ID; a fetch-based reader sends ?after=. Both: the larger wins.
    const seqs = allParsed(parseSeq(req.header('last-event-id'), 'Last-Event-ID'), parseSeq(req.query.after));
    if (seqs instanceof Error) {
      res.status(400).json({ error: seqs.message });
      return;
    }
    const after = Math.max(...seqs);
    const maxBytes = parsePieceBytes(req.query.max);
    if (maxBytes instanceof Error) {
      res.status(400).json({ error: maxBytes.message });
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    req.socket.setNoDelay(true);
    const session = new SseSession(res, {
      ring: preview.ring,
      after,
      clock: this.options.clock ?? systemClock,
      keepAliveMs: this.options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS,
      retryMs: this.options.retryMs ?? 1000,
      backfill: this.backfillFor(preview),
      maxBytes,
    });
    let set = this.sessions.get(preview.id);
    if (!set) this.sessions.set(preview.id, (set = new Set()));
    set.add(session);
    session.sendStatus(preview.lastStatus);
    // Queued behind the backlog; a resuming client needs them too: its Last-Event-ID is before them.
    for (const partial of preview.partials()) session.sendPartial(partial);
    const partials = preview.onDidChangePartial(({ partial }) => partial && session.sendPartial(partial));
    session.onDidClose(() => {
      set.delete(session);
      partials.dispose();
    });
    session.pump();
  }

  private backfillFor(preview: Preview): Backfill | undefined {
    const history = this.options.manager.history;
    if (!history) return undefined;
    return (after, limit) => preview.historyLines({ after, limit }); // across its runs: a crash restart begins one
  }

  private async logPage(preview: Preview, req: Request, res: Response): Promise<void> {
    const query = parseLineQuery(req.query);
    if (query instanceof Error) {
      res.status(400).json({ error: query.message });
      return;
    }
    const ring = preview.ring;
    let lines: LogLine[] = [];
    if (query.after + 1 < ring.oldestSeq && this.options.manager.history) {
      lines = await preview.historyLines(query);
    } else {
      for (const line of ring.slice(query.after)) {
        if (lines.length >= query.limit) break;
        if (!query.levels || query.levels.includes(line.level)) lines.push(line);
      }
    }
    const page: LogPage = { lines, oldestSeq: ring.oldestSeq, lastSeq: ring.lastSeq };
    const first = lines[0]?.seq ?? ring.oldestSeq;
    if (!query.levels && first > query.after + 1 && query.after < ring.lastSeq) {
      const to = Math.min(first, ring.lastSeq + 1) - 1;
      page.gap = { from: query.after + 1, to, count: to - query.after };
    }
    const partials = preview.partials();
    if (partials.length > 0) page.partials = partials;
    res.json(page);
  }
}

function hostName(hostHeader: string | undefined): string {
  return (hostHeader ?? '').trim().toLowerCase().replace(/:\d+$/, '');
}
