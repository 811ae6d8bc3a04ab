import * as fs from 'node:fs';
import * as path from 'node:path';

let counter = 0;

/** The prefix of the temp files `writeFileAtomic` uses for `file` (left behind only by a crash). */
export function tempPrefix(file: string): string {
  return `${path.basename(file)}.tmp-`;
}

/**
 * Replaces `file` with `data` so that a crash at any moment leaves either the old or the new file:
 * write a temp file in the same directory, fsync it, rename it over the target, fsync the directory
 * (so the rename itself survives a power loss).
 */
export function writeFileAtomic(file: string, data: Uint8Array): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `${tempPrefix(file)}${process.pid}-${++counter}`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'w');
    let written = 0;
    while (written < data.byteLength) {
      written += fs.writeSync(fd, data, written, data.byteLength - written);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, file);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fsyncDirectory(dir);
}

/** Flushes a directory entry change (rename, create) to disk; a no-op where directories can't be opened. */
export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows can't open or fsync a directory; its rename is durable enough there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Deletes temp files a crashed writer of `file` left behind; call only while holding its lock. */
export function removeStaleTempFiles(file: string): void {
  const prefix = tempPrefix(file);
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix)) fs.rmSync(path.join(path.dirname(file), name), { force: true });
  }
}
