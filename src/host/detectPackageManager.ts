import path from 'node:path';
import { exists, type Which } from './detectSupport';

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** Lockfile → the package manager that wrote it, first match wins. */
const LOCKFILES: readonly [file: string, manager: PackageManager][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/** A workspace package's lockfile sits at the monorepo root, a few folders up. */
const PARENT_LEVELS = 3;

export interface PackageManagerChoice {
  manager: PackageManager;
  /** Why npm runs although the project names another one; shown in the label. */
  note?: string;
}

/**
 * The package manager the project names (package.json `packageManager`, else its lockfile, here
 * or in a parent), if it is on PATH; else npm, with a note.
 */
export async function choosePackageManager(dir: string, pkg: Record<string, unknown>, which: Which): Promise<PackageManagerChoice> {
  const named = await namedPackageManager(dir, pkg);
  if (!named || named.manager === 'npm') return { manager: 'npm' };
  if (await which(named.manager)) return { manager: named.manager };
  return { manager: 'npm', note: `${named.source} names ${named.manager}, which is not on PATH` };
}

async function namedPackageManager(
  dir: string,
  pkg: Record<string, unknown>,
): Promise<{ manager: PackageManager; source: string } | undefined> {
  // Corepack's field, e.g. "pnpm@9.1.0", is the project's explicit choice.
  const field = typeof pkg.packageManager === 'string' ? /^(npm|pnpm|yarn|bun)@/.exec(pkg.packageManager) : null;
  if (field) return { manager: field[1] as PackageManager, source: 'package.json packageManager' };
  let current = dir;
  for (let level = 0; level <= PARENT_LEVELS; level++) {
    for (const [file, manager] of LOCKFILES) {
      if (await exists(path.join(current, file))) return { manager, source: file };
    }
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return undefined;
}

/**
 * How each manager runs a script with extra arguments: npm needs `--`; pnpm, yarn and bun pass
 * what follows the script name through (pnpm 7 passed a literal `--` on, yarn 1 warns about it).
 */
export function runScriptCommand(manager: PackageManager, script: string, args: readonly string[]): string[] {
  if (args.length === 0) return [manager, 'run', script];
  return manager === 'npm' ? ['npm', 'run', script, '--', ...args] : [manager, 'run', script, ...args];
}
