/**
 * The floor under `bench:webview`'s long-task figure: a bare page (no parsing, no DOM) that reads a
 * stream of SSE frames with `fetch` as fast as a local server writes them, in 64 KiB BYOB reads as
 * the terminal page does, while a PerformanceObserver counts main-thread tasks ≥ 50 ms. Whatever it
 * counts comes from Chromium's fetch body and the machine, not from the page's code.
 *
 *   npx tsx bench/fetch-floor.ts [--mb 30] [--repeat 3]
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../test/chromium.mjs';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MB = arg('mb', 30);
const REPEAT = arg('repeat', 3);

const line = { seq: 1, ts: new Date().toISOString(), level: 'INFO', stream: 'stdout', text: 'x'.repeat(100) };
const frame = `event: log\nid: 1\ndata: ${JSON.stringify(line)}\n\n`;
const chunk = Buffer.from(frame.repeat(Math.ceil(16_384 / frame.length)));

const PAGE = `<!doctype html><script>
window.longtasks = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longtasks.push(Math.round(e.duration)); }).observe({ type: 'longtask' });
window.run = async () => {
  const t0 = performance.now();
  const reader = (await fetch('/stream')).body.getReader({ mode: 'byob' });
  let buffer = new ArrayBuffer(65536), bytes = 0;
  for (;;) {
    const { value, done } = await reader.read(new Uint8Array(buffer));
    if (done) break;
    bytes += value.byteLength;
    buffer = value.buffer;
  }
  return { bytes, ms: performance.now() - t0, longtasks: window.longtasks };
};
</script>`;

async function main(): Promise<void> {
  const server = http.createServer((req, res) => {
    if (req.url !== '/stream') {
      res.setHeader('content-type', 'text/html');
      res.end(PAGE);
      return;
    }
    res.setHeader('content-type', 'text/event-stream');
    let sent = 0;
    const pump = () => {
      while (sent < MB * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, headless: true, args: CHROMIUM_ARGS });
  console.log(`fetch floor (headless Chromium ${browser.version()}, ${MB} MB of SSE frames, ${cpus().length} CPUs)\n`);
  console.log('run  read in   tasks ≥ 50 ms (ms each)');
  for (let i = 1; i <= REPEAT; i++) {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const r = await page.evaluate(() => (window as unknown as { run(): Promise<{ ms: number; longtasks: number[] }> }).run());
    console.log(`${String(i).padEnd(4)} ${`${Math.round(r.ms)} ms`.padEnd(9)} ${r.longtasks.length} (${r.longtasks.join(', ')})`);
    await page.close();
  }
  await browser.close();
  server.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
