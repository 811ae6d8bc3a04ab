import * as fs from 'node:fs';
import type { RunStart } from '../shared/historyApi';

/** Size of a file on disk, 0 when missing. */
export function sizeOnDisk(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Throws a TypeError or RangeError naming the first malformed field of a RunStart. */
export function checkRunStart(run: RunStart): void {
  if (typeof run?.previewName !== 'string' || run.previewName === '') {
    throw new TypeError(`beginRun: previewName must be a non-empty string, got ${JSON.stringify(run?.previewName)}`);
  }
  if (!Array.isArray(run.command) || !run.command.every((part) => typeof part === 'string')) {
    throw new TypeError(`beginRun: command must be an array of strings, got ${JSON.stringify(run.command)}`);
  }
  if (typeof run.cwd !== 'string') throw new TypeError(`beginRun: cwd must be a string, got ${JSON.stringify(run.cwd)}`);
  if (!Number.isInteger(run.port) || run.port < 0 || run.port > 65535) {
    throw new RangeError(`beginRun: port must be an integer 0-65535, got ${JSON.stringify(run.port)}`);
  }
  if (typeof run.startedAt !== 'string' || Number.isNaN(Date.parse(run.startedAt))) {
    throw new TypeError(`beginRun: startedAt must be an ISO-8601 time, got ${JSON.stringify(run.startedAt)}`);
  }
}
