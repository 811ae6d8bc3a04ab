/**
 * The host's per-run routes as the panel reaches them: a run's distinct errors, its requests and
 * its filtered export. A live preview's errors and requests come from its own routes
 * (`/api/previews/:id/…`, no history needed), falling back to its history run; a past run and
 * every export use `/api/runs/:id/…`. A live preview's run id is the `runId` its details carry,
 * else the run `GET /api/runs` lists with its name and start time.
 */
import type { ExportFilter, ExportFormat, RunSummary } from '../src/shared/historyApi';
import type { ErrorSummary, PreviewInfo, RequestRecord } from '../src/shared/protocol';
import type { TerminalConfig } from '../src/shared/webviewProtocol';

/** A route answered with an error status, or could not be reached: the message says which and why. */
export class RunApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export class RunApi {
  private preview: Pick<PreviewInfo, 'id' | 'name' | 'startedAt'> | undefined;
  /** The live preview's history run, when its details name it. */
  private namedRunId: number | undefined;
  private resolved: Promise<number | undefined> | undefined;
  /** False once the live routes answered 404 (a host without them): the history run is asked instead. */
  private liveRoutes = true;

  constructor(private readonly config: () => TerminalConfig) {}

  /** The preview's details (they identify its history run); true when that changed what is known. */
  setPreview(info: PreviewInfo): boolean {
    if (info.id !== this.config().previewId) return false;
    // The details come from the host's JSON unchecked: take the run id only when it is one.
    const runId = isRunId(info.runId) ? info.runId : undefined;
    const changed = this.preview?.name !== info.name || this.preview.startedAt !== info.startedAt || this.namedRunId !== runId;
    if (changed) this.resolved = undefined;
    this.preview = { id: info.id, name: info.name, startedAt: info.startedAt };
    this.namedRunId = runId;
    return changed;
  }

  /** The preview's name, once its details are known (export file names start with it). */
  get previewName(): string | undefined {
    return this.preview?.name;
  }

  /** Another run is shown: forget its details. */
  reset(): void {
    this.preview = undefined;
    this.namedRunId = undefined;
    this.resolved = undefined;
    this.liveRoutes = true;
  }

  async errors(): Promise<ErrorSummary[]> {
    const list = await this.runJson('errors', {});
    return Array.isArray(list) ? (list as ErrorSummary[]) : [];
  }

  /**
   * Requests with seq > `after`, at most `limit` of them (a host that ignores `after` or `limit`
   * sends all; the caller drops repeats).
   */
  async requests(after: number, limit?: number): Promise<RequestRecord[]> {
    const params: Record<string, string> = {};
    if (after > 0) params.after = String(after);
    if (limit !== undefined) params.limit = String(limit);
    const list = await this.runJson('requests', params);
    return Array.isArray(list) ? (list as RequestRecord[]) : [];
  }

  /** The run's lines that `filter` selects, as one text in `format`. */
  async exportText(format: ExportFormat, filter: ExportFilter): Promise<string> {
    const runId = await this.runId();
    if (runId === undefined) throw new RunApiError('Export needs the run history, and this host keeps none for this run');
    const params: Record<string, string> = { format };
    if (filter.levels) params.level = filter.levels.join(',');
    if (filter.q) params.q = filter.q;
    if (filter.from !== undefined) params.from = String(filter.from);
    if (filter.to !== undefined) params.to = String(filter.to);
    try {
      return await (await this.get(`runs/${runId}/export`, params)).text();
    } catch (err) {
      if (err instanceof RunApiError && err.status === 404) {
        this.resolved = undefined; // the run went: find it again next time
        this.namedRunId = undefined;
      }
      throw err;
    }
  }

  /** The run shown: a past run's id from the config, else the live preview's history run, once known. */
  runId(): Promise<number | undefined> {
    const fixed = pastRunId(this.config());
    if (fixed !== undefined) return Promise.resolve(fixed);
    if (this.namedRunId !== undefined) return Promise.resolve(this.namedRunId);
    if (this.resolved) return this.resolved;
    // Kept once found; asked again while unknown (the store may not have made the run yet).
    const found: Promise<number | undefined> = this.findLiveRun().then(
      (id) => {
        if (id === undefined && this.resolved === found) this.resolved = undefined;
        return id;
      },
      (err: unknown) => {
        if (this.resolved === found) this.resolved = undefined;
        throw err;
      },
    );
    this.resolved = found;
    return found;
  }

  private async runJson(what: 'errors' | 'requests', params: Record<string, string>): Promise<unknown> {
    const config = this.config();
    if (pastRunId(config) === undefined && this.liveRoutes) {
      try {
        return await (await this.get(`previews/${encodeURIComponent(config.previewId)}/${what}`, params)).json();
      } catch (err) {
        if (!(err instanceof RunApiError && err.status === 404)) throw err;
        this.liveRoutes = false;
      }
    }
    const runId = await this.runId();
    if (runId === undefined) return [];
    return (await this.get(`runs/${runId}/${what}`, params)).json();
  }

  private async findLiveRun(): Promise<number | undefined> {
    const preview = this.preview;
    if (!preview) return undefined;
    let runs: RunSummary[];
    try {
      runs = (await (await this.get('runs', {})).json()) as RunSummary[];
    } catch (err) {
      if (err instanceof RunApiError && err.status === 404) return undefined; // no history on this host
      throw err;
    }
    const run = Array.isArray(runs) ? runs.find((r) => r.previewName === preview.name && r.startedAt === preview.startedAt) : undefined;
    return run?.id;
  }

  private async get(path: string, params: Record<string, string>): Promise<Response> {
    const config = this.config();
    const url = new URL(path, apiBase(config));
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    // `?token=` rather than a header: no CORS preflight from the webview's origin.
    url.searchParams.set('token', config.token);
    let res: Response;
    try {
      res = await fetch(url, { cache: 'no-store', credentials: 'omit' });
    } catch (err) {
      throw new RunApiError(`The host did not answer (${(err as Error).message})`);
    }
    if (!res.ok) throw new RunApiError(await errorText(res), res.status);
    return res;
  }
}

/** `…/api/` of the host the page reads (its URLs may sit behind a proxy path). */
export function apiBase(config: TerminalConfig): string {
  const stream = new URL(config.runsUrl ?? config.streamUrl, location.href);
  const i = stream.pathname.lastIndexOf('/api/');
  return new URL(i >= 0 ? stream.pathname.slice(0, i + 5) : '/api/', stream).toString();
}

/** A past run's id, when the config shows one (its `runId`, or a `/api/runs/:id/` stream URL). */
export function pastRunId(config: TerminalConfig): number | undefined {
  if (config.runId !== undefined) return config.runId; // isTerminalConfig checked it
  const m = /\/api\/runs\/(\d+)\//.exec(config.streamUrl);
  return m ? Number(m[1]) : undefined;
}

function isRunId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** The host's `{ error }` text, or the status line. */
async function errorText(res: Response): Promise<string> {
  let detail = '';
  try {
    const body = (await res.json()) as { error?: unknown };
    if (typeof body?.error === 'string') detail = body.error;
  } catch {
    // not JSON: the status says enough
  }
  return `the host answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`;
}
