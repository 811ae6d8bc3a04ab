import * as fs from 'node:fs';

/**
 * Moves an unusable database aside as `<file>.corrupt-<timestamp>` (its bytes untouched, so the
 * user can still rescue it) and returns the new path.
 */
export function quarantineFile(file: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = `${file}.corrupt-${stamp}`;
  for (let n = 2; fs.existsSync(target); n++) target = `${file}.corrupt-${stamp}-${n}`;
  fs.renameSync(file, target);
  return target;
}
