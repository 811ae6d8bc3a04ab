// A realistic dev-server log for the history benchmarks: access lines of uvicorn, Django and morgan
// with varied paths, ids, client ports and timings, Python logging lines, and pino JSON lines,
// about 77 bytes a line. Deterministic: the same seed gives the same lines.
//
//   import { realisticLines } from './realistic.mjs';  realisticLines(count, seed?) → string[]
//   node bench/realistic.mjs [--count N]               prints them, with their size and gzip ratio
import { gzipSync } from 'node:zlib';

const PATHS = ['/api/items', '/api/users', '/api/orders', '/static/js/app', '/health', '/api/auth/token', '/admin/login', '/api/search'];
const METHODS = ['GET', 'GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const STATUS = [200, 200, 200, 200, 200, 201, 204, 304, 302, 400, 401, 404, 500];
const LOGGERS = ['app.views', 'app.db', 'celery.worker', 'django.request', 'uvicorn.error', 'app.cache'];
const MESSAGES = [
  'cache miss for key user:%d',
  'query took %d ms',
  'sending email to user %d',
  'task %d succeeded',
  'retrying connection (attempt %d)',
  'session %d expired',
  'GET https://api.stripe.com/v1/charges/ch_%d took 412ms',
  'user %d logged in from 10.0.3.17',
];

/** A small fast PRNG (mulberry32): the same seed, the same log. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function realisticLines(count, seed = 1) {
  const r = random(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const int = (n) => Math.floor(r() * n);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  let t = Date.parse('2026-12-01T09:00:00.000Z');
  const lines = new Array(count);
  for (let i = 0; i < count; i++) {
    t += int(40);
    const d = new Date(t);
    const path = `${pick(PATHS)}/${int(5000)}${r() < 0.3 ? `?page=${int(40)}&q=${int(1e6).toString(36)}` : ''}`;
    const status = pick(STATUS);
    const kind = r();
    if (kind < 0.3) {
      lines[i] = `INFO:     127.0.0.1:${40000 + int(25000)} - "${pick(METHODS)} ${path} HTTP/1.1" ${status}`;
    } else if (kind < 0.5) {
      lines[i] =
        `[${pad(d.getUTCDate())}/Dec/2026 ${d.toISOString().slice(11, 19)}] "${pick(METHODS)} ${path} HTTP/1.1" ${status} ${int(20000)}`;
    } else if (kind < 0.65) {
      lines[i] = `::ffff:127.0.0.1 - ${pick(METHODS)} ${path} ${status} ${int(20000)} - ${int(900)}.${pad(int(1000), 3)} ms`;
    } else if (kind < 0.85) {
      const level = r() < 0.8 ? 'INFO' : r() < 0.7 ? 'WARNING' : 'ERROR';
      lines[i] =
        `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 23).replace('.', ',')} ${level} ${pick(LOGGERS)}: ${pick(MESSAGES).replace('%d', String(int(100000)))}`;
    } else {
      lines[i] =
        `{"level":${r() < 0.9 ? 30 : 50},"time":${t},"pid":${4000 + int(8)},"reqId":"req-${int(100000).toString(36)}","msg":"request completed","url":"${path}","ms":${int(300)}}`;
    }
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--count');
  const count = i > 0 ? Number(process.argv[i + 1]) : 20;
  const lines = realisticLines(count);
  const text = lines.join('\n') + '\n';
  if (count <= 50) process.stdout.write(text);
  const bytes = Buffer.byteLength(text);
  process.stderr.write(`${count} lines, ${(bytes / count).toFixed(1)} bytes a line, gzip ${(bytes / gzipSync(text).length).toFixed(1)}×\n`);
}
