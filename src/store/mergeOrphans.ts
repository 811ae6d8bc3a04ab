import * as fs from 'node:fs';
import type { Database, SqlJsStatic } from 'sql.js';
import type { LogLine } from '../shared/protocol';
import { listFallbackFiles, lockPathOf } from './claimFile';
import { journalPathOf } from './journal';
import { loadDatabase } from './loadDatabase';
import { type HeldLock, tryLock } from './lockFile';
import { RunTables } from './runTables';

/** Fallback files merged into the main database: delete them once that database is on disk. */
export interface MergedOrphans {
  runs: number;
  /** Call after the merged database is persisted: deletes the merged files and their locks. */
  removeFiles(): void;
  notices: string[];
}

// Lines copied per insert call; bounds the memory a big orphan takes.
const CHUNK = 5000;

/**
 * Folds fallback files whose owners are gone (another window's history, see claimFile) into the main
 * database, so they neither pile up in the directory nor lose their runs. Files still locked by a
 * live host are left alone; unusable ones are quarantined.
 */
export function mergeOrphans(sql: SqlJsStatic, db: Database, tables: RunTables, dir: string, fileName: string): MergedOrphans {
  const merged: { file: string; lock: HeldLock }[] = [];
  const notices: string[] = [];
  let runs = 0;
  for (const file of listFallbackFiles(dir, fileName)) {
    let lock: HeldLock;
    try {
      const attempt = tryLock(lockPathOf(file));
      if (!('held' in attempt)) continue;
      lock = attempt.held;
    } catch {
      continue;
    }
    const loaded = loadDatabase(sql, file, true);
    if (loaded.quarantined) {
      notices.push(
        `History file ${file} could not be opened (${loaded.quarantined.reason}); ` + `it was moved to ${loaded.quarantined.movedTo}.`,
      );
    }
    try {
      runs += copyRuns(loaded.db, db, tables);
      merged.push({ file, lock });
    } catch (error) {
      // Left in place for a later try; its runs copied so far stay (each run is one transaction).
      notices.push(`Could not merge the history in ${file}: ${(error as Error).message}`);
      lock.release();
    } finally {
      loaded.db.close();
    }
  }
  return {
    runs,
    notices,
    removeFiles() {
      for (const { file, lock } of merged) {
        fs.rmSync(file, { force: true });
        fs.rmSync(journalPathOf(file), { force: true });
        lock.release();
      }
    },
  };
}

function copyRuns(from: Database, to: Database, toTables: RunTables): number {
  const fromTables = new RunTables(from);
  try {
    fromTables.endAbandonedRuns();
    const runs = fromTables.listRuns().reverse(); // oldest first, so new ids keep their order
    for (const run of runs) {
      to.exec('BEGIN');
      try {
        const id = toTables.insertRun(run);
        let chunk: LogLine[] = [];
        fromTables.forEachLine(run.id, (line) => {
          chunk.push(line);
          if (chunk.length >= CHUNK) {
            toTables.insertLines(id, chunk);
            chunk = [];
          }
        });
        toTables.insertLines(id, chunk);
        toTables.endRun(id, {
          endedAt: run.endedAt ?? run.startedAt,
          exitCode: run.exitCode,
          signal: run.signal,
          abnormal: run.abnormal,
        });
        to.exec('COMMIT');
      } catch (error) {
        to.exec('ROLLBACK');
        throw error;
      }
    }
    return runs.length;
  } finally {
    fromTables.dispose();
  }
}
