#!/usr/bin/env node
// The baseline the host is measured against: the simplest SSE forwarder a person would write by
// hand with node:http. It spawns the command, splits stdout/stderr naively on '\n', and writes each
// line straight to every connected response as `event: log` with the host's data shape — no ring,
// no levels (always INFO), no backpressure handling beyond what node does, no history for late
// clients.
//
//   node bench/forwarder.mjs -- <command…>
//
// First stdout line: {"url","token","previewId","port","apiBase","pid"} like `preview-host run --json`.
// GET /api/stats?reset=1 answers like the host's (rssBytes, heapUsedBytes, eventLoopDelay in ms).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const dash = process.argv.indexOf('--');
const command = dash > 0 ? process.argv.slice(dash + 1) : [];
if (command.length === 0) {
  process.stderr.write('usage: node bench/forwarder.mjs -- <command…>\n');
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
let histogram;

function forward(stream, text) {
  const data = { seq: ++seq, ts: new Date().toISOString(), level: 'INFO', stream, text };
  const frame = `event: log\nid: ${seq}\ndata: ${JSON.stringify(data)}\n\n`;
  for (const res of clients) res.write(frame);
}

function splitter(stream) {
  let partial = '';
  return (chunk) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop();
    for (const text of parts) forward(stream, text);
  };
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
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, PORT: String(appPort) },
  detached: true, // own process group, so stopping takes the whole tree
});
child.stdout.setEncoding('utf8').on('data', splitter('stdout'));
child.stderr.setEncoding('utf8').on('data', splitter('stderr'));
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
