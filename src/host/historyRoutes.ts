import type express from 'express';
import type { ExportFormat, RunHistory } from '../shared/historyApi';
import { parseLineQuery } from './queryParams';

/**
 * History API (token-checked with the rest of /api): `GET /api/runs` newest first,
 * `GET /api/runs/:id/logs?after=&limit=&level=&q=` and `GET /api/runs/:id/export?format=text|jsonl`.
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
    const q = typeof req.query.q === 'string' && req.query.q !== '' ? req.query.q : undefined;
    if (query instanceof Error) {
      res.status(400).json({ error: query.message });
      return;
    }
    try {
      if (!(await runExists(history, runId))) {
        res.status(404).json({ error: `no such run: ${runId}` });
        return;
      }
      res.json({ lines: await history.readLines(runId, { ...query, q }) });
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
    try {
      if (!Number.isSafeInteger(runId) || !(await runExists(history, runId))) {
        res.status(404).json({ error: `no such run: ${JSON.stringify(req.params.id)}` });
        return;
      }
      const body = await history.exportRun(runId, format as ExportFormat);
      res.type(format === 'text' ? 'text/plain' : 'application/x-ndjson');
      res.setHeader('Content-Disposition', `attachment; filename="run-${runId}.${format === 'text' ? 'log' : 'jsonl'}"`);
      res.send(body);
    } catch (err) {
      next(err);
    }
  });
}

async function runExists(history: RunHistory, runId: number): Promise<boolean> {
  return (await history.listRuns()).some((r) => r.id === runId);
}
