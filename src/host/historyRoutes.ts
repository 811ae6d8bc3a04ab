import type express from 'express';
import { isLogLevel, type LogLevel } from '../shared/protocol';
import type { ExportFormat, RunHistory } from './history';

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
    const after = req.query.after === undefined ? 0 : Number(req.query.after);
    const limit = req.query.limit === undefined ? 1000 : Number(req.query.limit);
    const levelText = typeof req.query.level === 'string' && req.query.level !== '' ? req.query.level.toUpperCase().split(',') : undefined;
    const q = typeof req.query.q === 'string' && req.query.q !== '' ? req.query.q : undefined;
    const problem = !Number.isSafeInteger(runId) || runId < 1
      ? `invalid run id: ${JSON.stringify(req.params.id)}`
      : !Number.isSafeInteger(after) || after < 0
        ? `invalid after: ${JSON.stringify(req.query.after)} (expected a whole number ≥ 0)`
        : !Number.isSafeInteger(limit) || limit < 1 || limit > 10_000
          ? `invalid limit: ${JSON.stringify(req.query.limit)} (expected 1-10000)`
          : levelText?.find((l) => !isLogLevel(l)) !== undefined
            ? `invalid level: ${JSON.stringify(levelText?.find((l) => !isLogLevel(l)))} (expected ERROR, WARN, INFO or DEBUG)`
            : undefined;
    if (problem) {
      res.status(400).json({ error: problem });
      return;
    }
    try {
      if (!(await runExists(history, runId))) {
        res.status(404).json({ error: `no such run: ${runId}` });
        return;
      }
      res.json({ lines: await history.readLines(runId, { after, limit, levels: levelText as LogLevel[] | undefined, q }) });
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
