import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { createNonce, renderTerminalHtml, terminalCsp } from '../shared/terminalHtml';
import type { PreviewManager } from './previewManager';
import { requestToken, tokenMatches } from './security';

/** Where the built webview bundle (main.js, main.css) sits: dist/webview beside the host bundle. */
export function defaultWebviewDir(): string {
  return path.join(__dirname, 'webview');
}

/**
 * The terminal page for browsers: `GET /?token=…&preview=ID` (token-checked like the API), or
 * `&run=N` for a past run of the history, read-only; and its bundle under `/assets/`. The same UI as the VS Code panel, built by the same HTML function.
 */
export function mountTerminalPage(
  app: express.Express,
  options: { manager: PreviewManager; token: string; origin: () => string; webviewDir: string },
): void {
  app.get('/', (req, res) => {
    if (!tokenMatches(options.token, requestToken(req, req.query as Record<string, unknown>))) {
      res.status(401).type('text/plain').send('missing or wrong token: open the page URL the host printed (…/?token=…)');
      return;
    }
    const origin = options.origin();
    const nonce = createNonce();
    const paths = { previewsUrl: '/api/previews', runsUrl: '/api/runs', token: options.token, mode: 'browser' as const };
    const shell = { nonce, scriptUri: '/assets/main.js', styleUri: '/assets/main.css', cspSource: origin, connectSrc: origin };
    let page: Parameters<typeof renderTerminalHtml>[0];
    if (req.query.run !== undefined) {
      // A past run of the history, read-only (as Show Log History opens it in VS Code): no preview needs to run.
      const runId = typeof req.query.run === 'string' && /^[1-9]\d{0,15}$/.test(req.query.run) ? Number(req.query.run) : NaN;
      if (!Number.isSafeInteger(runId)) {
        res
          .status(400)
          .type('text/plain')
          .send(`run must be a run id (a positive whole number), got ${JSON.stringify(req.query.run)}`);
        return;
      }
      const config = { ...paths, streamUrl: `/api/runs/${runId}/logs`, runId, previewId: `run-${runId}`, title: `run ${runId}` };
      page = { ...shell, title: `Run ${runId} — Preview Host`, config };
    } else {
      const wanted = typeof req.query.preview === 'string' ? req.query.preview : undefined;
      const preview = wanted ? options.manager.get(wanted) : options.manager.list()[0];
      if (!preview) {
        res
          .status(404)
          .type('text/plain')
          .send(wanted ? `no such preview: ${JSON.stringify(wanted)}` : 'no preview is running');
        return;
      }
      const config = { ...paths, streamUrl: `/api/previews/${encodeURIComponent(preview.id)}/logs/stream`, previewId: preview.id };
      page = { ...shell, title: `${preview.name} — Preview Host`, config };
    }
    res.setHeader('Content-Security-Policy', terminalCsp(page));
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(renderTerminalHtml(page));
  });
  // The bundle is public code (no secrets), so it is served without the token, behind the Host check.
  app.get('/assets/:file', (req, res) => {
    const file = String(req.params.file);
    if (!/^main\.(js|css)$/.test(file)) {
      res.status(404).type('text/plain').send(`no such asset: ${file}`);
      return;
    }
    const full = path.join(options.webviewDir, file);
    if (!fs.existsSync(full)) {
      res.status(404).type('text/plain').send(`asset not built: ${file} (run npm run build)`);
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(full);
  });
}
