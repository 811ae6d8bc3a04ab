import type express from 'express';
import type { ExportFilter, ExportFormat, RunHistory } from '../shared/historyApi';
import { allParsed, parseLevels, parseLineQuery, parseSeq } from './queryParams';

/**
 * History API (token-checked with the rest of /api): `GET /api/runs` newest first,
 * `GET /api/runs/:id/logs?after=&before=&limit=&level=&q=` (with `before`, the newest `limit` lines
 * below it, in seq order) and `GET /api/runs/:id/export?format=text|jsonl&level=&q=&from=&to=`.
 */
export function mountHistoryRoutes(app: express.Express, history: RunHistory): void {
  app.get('/api/runs', async (_req, res, next) => {
    try {
      res.json(await history.listRuns());
    } catch (err) {
      next(err);
    }
  });

  app.get('/api/runs/:id/logs', async (req, res, next) => {
    const runId = Number(req.params.id);
    const badId = !Number.isSafeInteger(runId) || runId < 1;
    const query = badId ? new Error(`invalid run id: ${JSON.stringify(req.params.id)}`) : parseLineQuery(req.query);
    const before = optionalSeq(req.query.before, 'before', 1);
    const q = typeof req.query.q === 'string' && req.query.q !== '' ? req.query.q : undefined;
    if (query instanceof Error || before instanceof Error) {
      res.status(400).json({ error: (query instanceof Error ? query : (before as Error)).message });
      return;
    }
    try {
      if (!(await runExists(history, runId))) {
        res.status(404).json({ error: `no such run: ${runId}` });
        return;
      }
      res.json({ lines: await history.readLines(runId, { ...query, q, before }) });
    } catch (err) {
      next(err);
    }
  });

  app.get('/api/runs/:id/export', async (req, res, next) => {
    const runId = Number(req.params.id);
    const format = (req.query.format ?? 'text') as string;
    if (format !== 'text' && format !== 'jsonl') {
      res.status(400).json({ error: `invalid format: ${JSON.stringify(format)} (expected text or jsonl)` });
      return;
    }
    const filter = parseExportFilter(req.query);
    if (filter instanceof Error) {
      res.status(400).json({ error: filter.message });
      return;
    }
    try {
      if (!Number.isSafeInteger(runId) || !(await runExists(history, runId))) {
        res.status(404).json({ error: `no such run: ${JSON.stringify(req.params.id)}` });
        return;
      }
      const body = await history.exportRun(runId, format as ExportFormat, filter);
      res.type(format === 'text' ? 'text/plain' : 'application/x-ndjson');
      res.setHeader('Content-Disposition', `attachment; filename="run-${runId}.${format === 'text' ? 'log' : 'jsonl'}"`);
      res.send(body);
    } catch (err) {
      next(err);
    }
  });
}

/** `?level=&q=&from=&to=` of an export (from and to inclusive seqs); or the first invalid one. */
function parseExportFilter(query: Record<string, unknown>): ExportFilter | Error {
  if (query.q !== undefined && typeof query.q !== 'string') return new Error(`invalid q: ${JSON.stringify(query.q)} (expected one string)`);
  const parsed = allParsed(parseLevels(query.level), optionalSeq(query.from, 'from', 0), optionalSeq(query.to, 'to', 0));
  if (parsed instanceof Error) return parsed;
  const [levels, from, to] = parsed;
  if (from !== undefined && to !== undefined && from > to) return new Error(`invalid range: from ${from} is after to ${to}`);
  return { levels, q: query.q || undefined, from, to };
}

/** A seq parameter that may be absent (undefined), else a whole number ≥ `min`. */
function optionalSeq(value: unknown, name: string, min: number): number | undefined | Error {
  if (value === undefined || value === '') return undefined;
  const n = parseSeq(value, name);
  if (n instanceof Error || n >= min) return n;
  return new Error(`invalid ${name}: ${JSON.stringify(value)} (expected a whole number ≥ ${min})`);
}

async function runExists(history: RunHistory, runId: number): Promise<boolean> {
  return (await history.listRuns()).some((r) => r.id === runId);
}
