import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { assertValidPort } from '../host/ports';

/**
 * `preview-host static --port N DIR`: the dev server for a plain static site. Logs one access
 * line per request in the common log format, so the panel levels 4xx/5xx like any other server.
 */
export async function serveStatic(argv: string[], out: NodeJS.WritableStream): Promise<never> {
  const portIndex = argv.indexOf('--port');
  const port = assertValidPort(portIndex >= 0 ? argv[portIndex + 1] : process.env.PORT);
  const rest = argv.filter((_, i) => i !== portIndex && i !== portIndex + 1);
  const root = path.resolve(rest[0] ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new Error(`not a directory: ${root}`);
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    res.on('finish', () => {
      const when = new Date().toISOString().replace('T', ' ').slice(0, 19);
      out.write(`127.0.0.1 - - [${when}] "${req.method} ${req.originalUrl} HTTP/${req.httpVersion}" ${res.statusCode} -\n`);
    });
    next();
  });
  app.use(express.static(root, { dotfiles: 'ignore', index: ['index.html'] }));
  await new Promise<void>((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1', () => resolve());
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`cannot listen on 127.0.0.1:${port}: ${err.code ?? err.message}`)),
    );
  });
  out.write(`Serving ${root} at http://127.0.0.1:${port}/\n`);
  return new Promise<never>(() => {});
}
