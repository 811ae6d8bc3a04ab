#!/usr/bin/env node
// The raw ceiling: what bare node:http can carry from a child's stdout to an SSE client on this
// machine. Each stdout chunk is split on '\n' and written out at once as SSE frames to every
// client, by string concatenation: no JSON, no levels, no ring, no history, no stderr, no
// backpressure. No server that does more per line can beat it; the benchmark reports the host as
// a share of it.
//
//   node bench/ceiling.mjs -- <command…>
//
// First stdout line: {"url","token","previewId","port","apiBase","pid"} like `preview-host run --json`.
// GET /api/stats?reset=1 answers like the host's (rssBytes, heapUsedBytes, eventLoopDelay in ms).
// The data of a frame is `{"seq":N,"text":"<line>"}` with the line pasted in unescaped: right for
// the bench emitter's plain lines, which is all it is for.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const dash = process.argv.indexOf('--');
const command = dash > 0 ? process.argv.slice(dash + 1) : [];
if (command.length === 0) {
  process.stderr.write('usage: node bench/ceiling.mjs -- <command…>\n');
  process.exit(2);
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const clients = new Set();
let seq = 0;
let partial = '';
let histogram;

function onChunk(chunk) {
  const parts = (partial + chunk).split('\n');
  partial = parts.pop();
  let frames = '';
  for (const text of parts) {
    seq++;
    frames += `event: log\nid: ${seq}\ndata: {"seq":${seq},"text":"${text}"}\n\n`;
  }
  if (frames) for (const res of clients) res.write(frames);
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/api/previews/1/logs/stream') {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform' });
    res.write('retry: 1000\n\n');
    clients.add(res);
    res.on('close', () => clients.delete(res));
  } else if (url.pathname === '/api/stats') {
    if (!histogram) {
      histogram = monitorEventLoopDelay({ resolution: 1 });
      histogram.enable();
    }
    const ms = (ns) => Math.round((ns / 1e6) * 100) / 100;
    const stats = {
      rssBytes: process.memoryUsage.rss(),
      heapUsedBytes: process.memoryUsage().heapUsed,
      eventLoopDelay: { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) },
    };
    if (url.searchParams.get('reset') === '1') histogram.reset();
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(stats));
  } else {
    res.writeHead(404).end();
  }
});

const appPort = await freePort();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const child = spawn(command[0], command.slice(1), {
  stdio: ['ignore', 'pipe', 'ignore'],
  env: { ...process.env, PORT: String(appPort) },
  detached: true, // own process group, so stopping takes the whole tree
});
child.stdout.setEncoding('utf8').on('data', onChunk);
const apiBase = `http://127.0.0.1:${server.address().port}/api`;
process.stdout.write(
  JSON.stringify({ url: `${apiBase}/previews/1/logs/stream`, token: '', previewId: '1', port: appPort, apiBase, pid: child.pid }) + '\n',
);

const stop = () => {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
