import fs from 'node:fs/promises';
import path from 'node:path';

/** Looks a command up on PATH; the path found, or undefined. Injected in tests. */
export type Which = (command: string) => Promise<string | undefined>;

/** Folders never searched for apps: dependencies, environments, build output. */
export const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  'env',
  '.env',
  '__pycache__',
  'site-packages',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  'dist',
  'build',
  '.next',
  '.nuxt',
  '.svelte-kit',
  'coverage',
]);

export async function readText(file: string): Promise<string | undefined> {
  try {
    const stat = await fs.stat(file);
    // Entry files are small; a huge file is not worth reading to guess a framework.
    return stat.isFile() && stat.size < 1024 * 1024 ? await fs.readFile(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

export async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  const text = await readText(file);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** The sub-folders of `dir` worth searching, sorted by name. */
export async function subdirectories(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && !SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** The `.py` files of `dir` up to `depth` folders down, shallow ones first, at most `limit`. */
export async function pythonFiles(dir: string, depth: number, limit = 400): Promise<string[]> {
  const found: string[] = [];
  let level = [''];
  for (let d = 0; d <= depth && level.length > 0 && found.length < limit; d++) {
    const next: string[] = [];
    for (const rel of level) {
      let entries;
      try {
        entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const child = rel ? `${rel}/${e.name}` : e.name;
        if (e.isFile() && e.name.endsWith('.py')) found.push(child);
        else if (e.isDirectory() && !SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.') && !/^tests?$/.test(e.name)) next.push(child);
      }
    }
    level = next;
  }
  return found.slice(0, limit);
}

/** How a user would type `parts` in a shell: parts quoted only where needed. */
export function commandLine(parts: readonly string[], platform: NodeJS.Platform = process.platform): string {
  return parts
    .map((p) => {
      if (p !== '' && /^[\w@%+=:,./{}\\-]+$/.test(p)) return p;
      return platform === 'win32' ? `"${p.replace(/"/g, '""')}"` : `'${p.replace(/'/g, `'\\''`)}'`;
    })
    .join(' ');
}

/** Runs a shell command line the way a terminal would. */
export function shellCommand(line: string, platform: NodeJS.Platform = process.platform): string[] {
  return platform === 'win32' ? [process.env.ComSpec ?? 'cmd.exe', '/d', '/s', '/c', line] : ['/bin/sh', '-c', line];
}

/** Finds `command` on PATH (with PATHEXT on Windows). */
export const whichOnPath: Which = async (command) => {
  const dirs = (process.env.PATH ?? process.env.Path ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const file = path.join(dir, command + ext);
      try {
        await fs.access(file, process.platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
        if ((await fs.stat(file)).isFile()) return file;
      } catch {
        // not in this folder
      }
    }
  }
  return undefined;
};
