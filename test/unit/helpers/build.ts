import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../../..');
export const CLI = path.join(REPO, 'dist/cli.js');
let built = false;

/** Builds dist/ once per test run, so CLI tests exercise the real bundle (worker and wasm beside it). */
export function ensureBuilt(): void {
  if (built) return;
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: 'inherit' });
  built = true;
}
