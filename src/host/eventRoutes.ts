import type express from 'express';
import type { Request, Response } from 'express';
import { MAX_PAGE, type RunHistory, type RunSummary } from '../shared/historyApi';
import type { ErrorSummary, LogLine, RequestRecord } from '../shared/protocol';
import { RequestScanner, matchesRequest, parseRequestFilter } from '../shared/accessLog';
import { firstAfterSeq } from '../shared/seqOrder';
import type { Preview } from './preview';
import type { PreviewManager } from './previewManager';

/** Runs whose requests stay parsed between calls (a live run is then only read on from where it was). */
const CACHED_RUNS = 8;
/** The most requests one call returns (the newest ones). */
export const MAX_REQUESTS = 100_000;

/**
 * Routes of issue 11 (token-checked with the rest of /api):
 * - `GET /api/runs/:id/errors` → ErrorSummary[] of a stored run (the live one's are current);
 * - `GET /api/runs/:id/requests?status=&method=&path=&after=&limit=` → RequestRecord[] of a stored
 *   run (with `limit`, the first that many after `after`: a page);
 * - `GET /api/previews/:id/errors` and `…/requests`: the same for a preview's current run, from the
 *   ring when there is no history.
 */
export function mountEventRoutes(app: express.Express, manager: PreviewManager): void {
  const scanners = new ScannerCache();
  const history = manager.history;

  app.get('/api/previews/:id/errors', async (req, res, next) => {
    const preview = previewOr404(manager, req, res);
    if (preview === undefined) return;
    try {
      res.json((await manager.errorsOf(preview.id)?.summaries()) ?? []);
    } catch (err) {
      next(err);
    }
  });

  app.get('/api/previews/:id/requests', async (req, res, next) => {
    const preview = previewOr404(manager, req, res);
    const filter = preview && parseRequestFilter(req.query);
    if (filter instanceof Error) return void res.status(400).json({ error: filter.message });
    if (preview === undefined || filter === undefined) return;
    try {
      const runId = preview.historyRunId;
      const records =
        history !== undefined && runId !== undefined
          ? await scanners.scan(`run:${runId}`, (after) => readAll(history, runId, after))
          : await scanners.scan(`preview:${preview.id}`, async (after) => preview.ring.slice(after));
      res.json(selectRequests(records, filter));
    } catch (err) {
      next(err);
    }
  });

  if (history === undefined) return;

  app.get('/api/runs/:id/errors', async (req, res, next) => {
    try {
      const run = await runOr404(history, req, res);
      if (run === undefined) return;
      const live = manager.list().find((p) => p.historyRunId === run.id);
      const records = live ? manager.errorsOf(live.id)?.currentRecords() : await history.readRunErrors?.(run.id);
      if (records === undefined) {
        res.status(501).json({ error: 'this history store keeps no errors per run (it has no readRunErrors)' });
        return;
      }
      const seen = new Set((await history.seenFingerprints?.(run.previewName, run.id)) ?? []);
      const summaries: ErrorSummary[] = records.map((r) => ({ ...r, new: !seen.has(r.fingerprint) }));
      res.json(summaries);
    } catch (err) {
      next(err);
    }
  });

  app.get('/api/runs/:id/requests', async (req, res, next) => {
    const filter = parseRequestFilter(req.query);
    if (filter instanceof Error) return void res.status(400).json({ error: filter.message });
    try {
      const run = await runOr404(history, req, res);
      if (run === undefined) return;
      const records = await scanners.scan(`run:${run.id}`, (after) => readAll(history, run.id, after));
      res.json(selectRequests(records, filter));
    } catch (err) {
      next(err);
    }
  });
}

/** The records the filter selects: with `limit`, the first that many (a page); else the newest MAX_REQUESTS. */
function selectRequests(records: readonly RequestRecord[], filter: Exclude<ReturnType<typeof parseRequestFilter>, Error>): RequestRecord[] {
  if (filter.limit !== undefined) {
    const page: RequestRecord[] = [];
    const size = Math.min(filter.limit, MAX_REQUESTS);
    // Records are in seq order: start at the first after `after`, not at the top.
    for (let i = firstAfterSeq(records, filter.after ?? 0, (r) => r.seq); i < records.length && page.length < size; i++) {
      if (matchesRequest(records[i], filter)) page.push(records[i]);
    }
    return page;
  }
  const out = records.filter((r) => matchesRequest(r, filter));
  return out.length > MAX_REQUESTS ? out.slice(-MAX_REQUESTS) : out;
}

/** A run's lines after `after`, page by page (each page one store read). */
async function* readAll(history: RunHistory, runId: number, after: number): AsyncGenerator<LogLine[]> {
  for (;;) {
    const page = await history.readLines(runId, { after, limit: MAX_PAGE });
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1].seq;
    if (page.length < MAX_PAGE) return;
  }
}

type LineSource = (after: number) => AsyncIterable<LogLine[]> | Promise<LogLine[]>;

/** Request scanners by run (or ring), least recently used dropped; one scan at a time per key. */
class ScannerCache {
  private readonly entries = new Map<string, { scanner: RequestScanner; busy: Promise<unknown> }>();

  async scan(key: string, source: LineSource): Promise<readonly RequestRecord[]> {
    let entry = this.entries.get(key);
    if (entry === undefined) entry = { scanner: new RequestScanner(), busy: Promise.resolve() };
    this.entries.delete(key);
    this.entries.set(key, entry); // most recently used last
    if (this.entries.size > CACHED_RUNS) this.entries.delete(this.entries.keys().next().value as string);
    const { scanner } = entry;
    const run = entry.busy.then(async () => {
      const lines = source(scanner.lastSeq);
      if (Symbol.asyncIterator in lines) for await (const page of lines) scanner.push(page);
      else scanner.push(await lines);
    });
    entry.busy = run.catch(() => {});
    await run;
    return scanner.records;
  }
}

function previewOr404(manager: PreviewManager, req: Request, res: Response): Preview | undefined {
  const preview = manager.get(String(req.params.id));
  if (!preview) res.status(404).json({ error: `no such preview: ${JSON.stringify(req.params.id)}` });
  return preview;
}

async function runOr404(history: RunHistory, req: Request, res: Response): Promise<RunSummary | undefined> {
  const runId = Number(req.params.id);
  if (!Number.isSafeInteger(runId) || runId < 1) {
    res.status(400).json({ error: `invalid run id: ${JSON.stringify(req.params.id)} (expected a whole number ≥ 1)` });
    return undefined;
  }
  const run = (await history.listRuns()).find((r) => r.id === runId);
  if (run === undefined) res.status(404).json({ error: `no such run: ${runId}` });
  return run;
}
