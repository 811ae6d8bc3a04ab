/**
 * README's panel screenshots, made from a real run: the CLI host (with history) runs the FastAPI
 * fixture through Debian's python3, a few requests fail, and the host's page is photographed in
 * headless Chromium. Run after `npm run build`: `npx tsx media/make-screenshots.ts [APP_DIR]`.
 * The fixture is copied to APP_DIR (default /srv/fastapi-demo) first: the pictures show its path,
 * and that should not be the path of whoever made them.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { CliBanner, PreviewInfo } from '../src/shared/protocol';
import { launchChromium } from '../test/browser/harness';

const ROOT = path.resolve(__dirname, '..');
const historyDir = mkdtempSync(path.join(os.tmpdir(), 'ph-shots-'));
const appDir = process.argv[2] ?? '/srv/fastapi-demo';
cpSync(path.join(ROOT, 'test/fixtures/fastapi-app'), appDir, { recursive: true });
const cli = spawn(
  process.execPath,
  [
    path.join(ROOT, 'dist/cli.js'),
    'run',
    '--json',
    '--history',
    historyDir,
    '--cwd',
    appDir,
    '--python',
    '/usr/bin/python3',
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);

async function main(): Promise<void> {
  const banner = await new Promise<CliBanner>((resolve) => createInterface({ input: cli.stdout! }).once('line', (l) => resolve(JSON.parse(l))));
  const api = (p: string) => `${banner.apiBase}${p}${p.includes('?') ? '&' : '?'}token=${banner.token}`;
  let app: string | null = null;
  for (let i = 0; i < 100 && !app; i++) {
    const list = (await (await fetch(api('/previews'))).json()) as PreviewInfo[];
    app = list[0]?.state === 'ready' ? list[0].appUrl : null;
    if (!app) await new Promise((r) => setTimeout(r, 200));
  }
  if (!app) throw new Error('the FastAPI fixture did not become ready');
  for (const p of ['/', '/say?text=hello', '/boom', '/', '/missing', '/boom', '/say?text=again', '/docs']) await fetch(new URL(p, app));
  await new Promise((r) => setTimeout(r, 2500)); // the error summary refreshes once the entries end

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 680 }, colorScheme: 'dark' });
    await page.goto(banner.pageUrl);
    await page.waitForSelector('.errors-summary:not([hidden])');
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(ROOT, 'media/panel-entries.png') });
    await page.click('.requests-toggle');
    await page.waitForSelector('.requests-view:not([hidden])');
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(ROOT, 'media/requests-view.png') });
  } finally {
    await browser.close();
  }
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    cli.kill('SIGTERM');
    cli.once('exit', () => rmSync(historyDir, { recursive: true, force: true }));
  });
