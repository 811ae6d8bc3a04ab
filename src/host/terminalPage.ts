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
 * The terminal page for browsers: `GET /?token=…&preview=ID` (token-checked like the API) and its
 * bundle under `/assets/`. The same UI as the VS Code panel, built by the same HTML function.
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
    const wanted = typeof req.query.preview === 'string' ? req.query.preview : undefined;
    const preview = wanted ? options.manager.get(wanted) : options.manager.list()[0];
    if (!preview) {
      res
        .status(404)
        .type('text/plain')
        .send(wanted ? `no such preview: ${JSON.stringify(wanted)}` : 'no preview is running');
      return;
    }
    const origin = options.origin();
    const nonce = createNonce();
    const page = {
      nonce,
      scriptUri: '/assets/main.js',
      styleUri: '/assets/main.css',
      cspSource: origin,
      connectSrc: origin,
      title: `${preview.name} — Preview Host`,
      config: {
        streamUrl: `/api/previews/${encodeURIComponent(preview.id)}/logs/stream`,
        previewsUrl: '/api/previews',
        runsUrl: '/api/runs',
        token: options.token,
        previewId: preview.id,
        mode: 'browser' as const,
      },
    };
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
