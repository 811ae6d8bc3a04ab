#!/usr/bin/env node
// The benchmark's dev server: listens on $PORT like a real one (so the host's readiness probe is
// satisfied) and writes nothing until `GET /go`, so the bench can connect its clients first and no
// backlog skews the numbers. Then it prints COUNT lines `line <i> t=<wall-clock ms> <pad>`:
//
//   node bench/emitter.mjs --count N [--rate R | --burst] [--pad N]
//
// --rate R   R lines per second (paced by a 1 ms timer)
// --burst    every line built first, then one write (the pipe takes it as fast as it is read)
// (neither)  flood: 200-line writes as fast as the pipe takes them
// --realistic  after the `line <i> t=<ms>` the client checks, a line of bench/realistic.mjs (access
//             lines, Python logging, pino JSON; ~77 bytes) instead of the pad, so the host's store
//             compresses varied text as it would a real server's
// --warmup W  first, at start, a flood of W lines (numbered 1…W; the COUNT lines after /go follow
//             on from W + 1), so the host has run its whole path before it is measured
// It stays alive afterwards (the host keeps serving either way); SIGTERM ends it.
import { createServer } from 'node:http';
import { realisticLines } from './realistic.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const warmup = arg('warmup', 0);
const total = arg('count', 1000) + warmup;
const rate = arg('rate', 0);
const burst = process.argv.includes('--burst');
const pad = 'x'.repeat(arg('pad', 0));
// Made once listening (~0.7 s; connections wait in the backlog meanwhile), before /go is
// answered, so the measured flood is only writing.
let realistic;
// Same clock as the client: wall clock with sub-ms precision, comparable across processes.
const now = () => performance.timeOrigin + performance.now();
let i = 0;
let started = false;

const line = () => (realistic ? realisticLine() : paddedLine());
const realisticLine = () => `line ${++i} t=${now().toFixed(3)} ${realistic[(i - 1) % realistic.length]}\n`;
const paddedLine = () => `line ${++i} t=${now().toFixed(3)} ${pad}\n`;

function flood(upTo = total) {
  // On Linux, writes to a pipe are synchronous: this loop runs at the reader's pace.
  while (i < upTo) {
    let text = '';
    for (let k = 0; k < 200 && i < upTo; k++) text += line();
    if (!process.stdout.write(text)) return void process.stdout.once('drain', () => flood(upTo));
  }
}

function burstOnce() {
  const parts = new Array(total);
  for (let k = 0; k < total; k++) parts[k] = line();
  process.stdout.write(parts.join(''));
}

function paced() {
  const start = now();
  const tick = () => {
    const due = Math.min(total, Math.floor(((now() - start) / 1000) * rate) + 1);
    let text = '';
    while (i < due) text += line();
    if (text) process.stdout.write(text);
    if (i < total) setTimeout(tick, 1);
  };
  tick();
}

const server = createServer((req, res) => {
  if (req.url !== '/go') {
    res.writeHead(200).end('bench emitter\n');
    return;
  }
  if (started) {
    res.writeHead(409).end('already started\n');
    return;
  }
  started = true;
  res.writeHead(204).end();
  // Answer first: a flood blocks this process on the pipe until it is done.
  setImmediate(rate > 0 ? paced : burst ? burstOnce : () => flood());
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  if (process.argv.includes('--realistic')) realistic = realisticLines(Math.min(total, 200_000));
  if (warmup > 0) flood(warmup); // the measured lines wait for /go
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
