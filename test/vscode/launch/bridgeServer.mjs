// The test bridge: a loopback HTTP API through which extension tests (in the extension host, a
// different process) act on the workbench page as a person would: look at it, read and click a
// webview's DOM, type. Every request must carry the run's random token. Client:
// test/vscode/bridge.ts. Requests and responses are JSON; errors are { error }.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { findWebviewFrame, listWebviews } from './webviewFrames.mjs';

const MAX_BODY = 1 << 20;

/**
 * @param {object} o
 * @param {import('playwright-core').Page} o.page
 * @param {string} o.screenshotDir where POST /screenshot writes <name>.png
 * @param {Record<string, unknown>} o.info what GET /info returns (front, origin)
 * @returns {Promise<{ url: string, close: () => Promise<void> }>} url carries the token
 */
export async function startBridge({ page, screenshotDir, info }) {
  const token = randomBytes(24).toString('hex');
  /** @type {Record<string, (body: any) => Promise<unknown>>} */
  const routes = {
    'GET /info': async () => info,
    'POST /screenshot': async ({ name }) => {
      if (typeof name !== 'string' || !/^[\w.-]{1,100}$/.test(name)) {
        throw new BadRequest(`name must match [A-Za-z0-9_.-]{1,100}, got ${JSON.stringify(name)}`);
      }
      await mkdir(screenshotDir, { recursive: true });
      const file = path.join(screenshotDir, name.endsWith('.png') ? name : `${name}.png`);
      await page.screenshot({ path: file });
      return { path: file };
    },
    'POST /page/eval': async ({ expression }) => ({ value: await page.evaluate(callable(expression)) }),
    'GET /webviews': async () => ({
      webviews: (await listWebviews(page)).map(({ title, documentTitle, visible, frame }) => ({
        title,
        documentTitle,
        visible,
        loaded: !!frame,
      })),
    }),
    'POST /webview/eval': async ({ expression, titleContains, timeoutMs }) => {
      const frame = await findWebviewFrame(page, { titleContains, timeoutMs });
      return { value: await frame.evaluate(callable(expression)) };
    },
    'POST /webview/click': async ({ selector, titleContains, timeoutMs }) => {
      const frame = await findWebviewFrame(page, { titleContains, timeoutMs });
      await frame.click(stringArg('selector', selector), { timeout: timeoutMs ?? 15000 });
      return {};
    },
    'POST /keyboard': async ({ press, type }) => {
      if (press === undefined && type === undefined) throw new BadRequest('give press (e.g. "Control+Shift+P") or type (text)');
      if (press !== undefined) await page.keyboard.press(stringArg('press', press));
      if (type !== undefined) await page.keyboard.type(stringArg('type', type));
      return {};
    },
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://bridge');
    /** @param {number} status @param {unknown} body */
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!sameToken(url.searchParams.get('token') ?? '', token)) return send(403, { error: 'missing or wrong token' });
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) return send(404, { error: `no route ${req.method} ${url.pathname}; routes: ${Object.keys(routes).join(', ')}` });
    try {
      send(200, await route(await readJson(req)));
    } catch (err) {
      send(err instanceof BadRequest ? 400 : 500, { error: err instanceof Error ? err.message : String(err) });
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

class BadRequest extends Error {}

/** @param {string} name @param {unknown} value */
function stringArg(name, value) {
  if (typeof value !== 'string' || value === '') throw new BadRequest(`${name} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * The source to evaluate for `expression`: an expression, or a function's source (then called);
 * promises are awaited. Evaluated over the DevTools protocol, so a page's CSP does not block it.
 * @param {unknown} expression
 */
function callable(expression) {
  const source = stringArg('expression', expression);
  return `(async () => { const v = (${source}\n); return typeof v === 'function' ? await v() : await v; })()`;
}

/** @param {string} given @param {string} expected */
function sameToken(given, expected) {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** @param {http.IncomingMessage} req */
async function readJson(req) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new BadRequest(`body larger than ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest('body is not JSON');
  }
}
