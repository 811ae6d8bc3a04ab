#!/usr/bin/env node
// The benchmark's client, in its own process so its parsing does not share the server's event loop.
//
//   node bench/client.mjs --url URL --expected N            an `eventsource` EventSource
//   node bench/client.mjs --url URL --expected N --stall MS a raw http request whose response is
//                                                           paused for MS, then read to the end
//   --from W     the lines to count start after seq W (a warm-up's lines came first); the URL
//                should carry after=W so the host does not send the earlier ones again
//   --dump FILE  also write `receive-time latency server-ts−emit-time` (ms) per line to FILE
//
// stdout, one JSON object per line: {"type":"open"} once connected, then {"type":"result",…} when
// received + lines in gaps reaches N (or on SIGTERM, with what it has so far).
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { EventSource } from 'eventsource';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const url = arg('url');
const expected = Number(arg('expected', 0));
const stallMs = Number(arg('stall', 0));
const raw = stallMs > 0;
const dump = arg('dump');
const from = Number(arg('from', 0));
if (!url || !expected) {
  process.stderr.write('usage: node bench/client.mjs --url URL --expected N [--stall MS]\n');
  process.exit(2);
}

// Same clock as the emitter's t= stamps.
const now = () => performance.timeOrigin + performance.now();
const LINE = /"text":"line (\d+) t=(\d+\.\d+)/;
const latencies = new Float64Array(expected);
const receivedAt = dump ? new Float64Array(expected) : undefined;
const serverIn = dump ? new Float64Array(expected) : undefined; // the server's ts (ms precision) − emitter stamp
const TS = /"ts":"([^"]+)"/;
const s = {
  received: 0,
  gapEvents: 0,
  gapLines: 0,
  outOfOrder: 0, // a seq other than the one expected next (after any gap)
  badLines: 0, // a log event whose text is not the emitter's line of that seq
  statusEvents: 0,
  errors: 0,
  firstAt: 0,
  lastAt: 0,
  resumedAt: 0,
};
let nextSeq = from + 1;
let measured = 0; // lines with a latency
let finished = false;

function onLog(seq, data) {
  const t = now();
  if (s.received === 0) s.firstAt = t;
  s.lastAt = t;
  if (seq !== nextSeq) s.outOfOrder++;
  nextSeq = seq + 1;
  s.received++;
  const m = LINE.exec(data);
  // The emitter is the child's only output, so seq N must carry `line N`.
  if (!m || Number(m[1]) !== seq) s.badLines++;
  if (m && measured < expected) {
    latencies[measured] = t - Number(m[2]);
    if (receivedAt) {
      receivedAt[measured] = t;
      serverIn[measured] = Date.parse(TS.exec(data)?.[1]) - Number(m[2]);
    }
    measured++;
  }
  if (s.received + s.gapLines >= expected) finish();
}

function onGap(data) {
  const gap = JSON.parse(data);
  s.gapEvents++;
  s.gapLines += gap.count;
  if (gap.from !== nextSeq) s.outOfOrder++;
  nextSeq = gap.to + 1;
  if (s.received + s.gapLines >= expected) finish();
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function finish() {
  if (finished) return;
  finished = true;
  const n = measured;
  if (dump) {
    const rows = [];
    for (let k = 0; k < n; k++) rows.push(`${(receivedAt[k] - s.firstAt).toFixed(3)} ${latencies[k].toFixed(3)} ${serverIn[k].toFixed(3)}`);
    writeFileSync(dump, rows.join('\n') + '\n');
  }
  const sorted = latencies.subarray(0, Math.max(0, n)).sort();
  const seconds = (s.lastAt - s.firstAt) / 1000;
  const cpu = process.cpuUsage(cpuAtOpen);
  const result = {
    type: 'result',
    ...s,
    complete: s.received + s.gapLines >= expected,
    linesPerSec: seconds > 0 ? s.received / seconds : null,
    cpuMs: (cpu.user + cpu.system) / 1000, // this client's own cost since it connected
    latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: percentile(sorted, 100) },
    firstLineLatencyMs: s.received > 0 ? latencies[0] : null,
  };
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
}

process.on('SIGTERM', finish);
process.on('SIGINT', finish);
let cpuAtOpen;
const opened = () => {
  cpuAtOpen = process.cpuUsage();
  process.stdout.write(JSON.stringify({ type: 'open' }) + '\n');
};

if (!raw) {
  const es = new EventSource(url);
  es.addEventListener('open', opened);
  es.addEventListener('log', (e) => onLog(Number(e.lastEventId), e.data));
  es.addEventListener('gap', (e) => onGap(e.data));
  es.addEventListener('status', () => s.statusEvents++);
  es.addEventListener('error', () => s.errors++);
} else {
  // A client that stops reading: the response is paused, so the socket fills and the server's
  // writes back up. After MS it reads again and parses the SSE frames by hand.
  const req = request(url, { headers: { Accept: 'text/event-stream' } }, (res) => {
    res.pause();
    opened();
    setTimeout(() => {
      s.resumedAt = now();
      res.setEncoding('utf8');
      let partial = '';
      res.on('data', (chunk) => {
        const frames = (partial + chunk).split('\n\n');
        partial = frames.pop();
        for (const text of frames) frame(text);
      });
      res.on('end', finish);
      res.resume();
    }, stallMs);
  });
  req.on('error', () => {
    s.errors++;
    finish();
  });
  req.end();
}

function frame(text) {
  let event = 'message';
  let id = '';
  let data = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('id: ')) id = line.slice(4);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (event === 'log') onLog(Number(id), data);
  else if (event === 'gap') onGap(data);
  else if (event === 'status') s.statusEvents++;
}
