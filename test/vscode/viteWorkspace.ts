// A stock Vite app exactly as a user gets it (`npm create vite`, template vanilla-ts, `npm install`),
// made once from the npm registry and cached outside the repo, keyed by the create-vite version.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Pinned so a new create-vite release cannot change what the tests run. */
export const CREATE_VITE_VERSION = '9.3.0';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(args: string[], cwd: string): void {
  // npm_config_yes: `npm create` asks before installing create-vite, and this machine says no by default.
  const result = spawnSync(npm, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, npm_config_yes: 'true', CI: '1' }, shell: process.platform === 'win32' });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} in ${cwd} failed (exit ${result.status ?? result.signal})`);
}

/** The cached app's folder (named `vite-app`), created when missing; throws with npm's reason when it cannot be. */
export function ensureStockViteApp(cacheRoot = process.env.PREVIEW_HOST_CACHE ?? path.join(os.homedir(), '.cache', 'preview-host')): string {
  const parent = path.join(cacheRoot, `create-vite-${CREATE_VITE_VERSION}`);
  const app = path.join(parent, 'vite-app');
  const marker = path.join(parent, '.complete');
  if (existsSync(marker)) return app;
  rmSync(parent, { recursive: true, force: true });
  mkdirSync(parent, { recursive: true });
  run(['create', `vite@${CREATE_VITE_VERSION}`, 'vite-app', '--', '--template', 'vanilla-ts', '--no-interactive'], parent);
  run(['install', '--no-audit', '--no-fund'], app);
  writeFileSync(marker, new Date().toISOString());
  return app;
}
