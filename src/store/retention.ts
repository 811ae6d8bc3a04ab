import type { Database } from 'sql.js';
import type { RetentionPolicy } from './messages';
import type { RunTables } from './runTables';

/** Defaults: the last 20 runs of each preview, and a 50 MiB file. */
export const DEFAULT_RETENTION: RetentionPolicy = { maxRunsPerPreview: 20, maxBytes: 50 * 1024 * 1024 };

/**
 * Deletes the oldest runs until each preview has at most `maxRunsPerPreview` and the file fits in
 * `maxBytes`, then VACUUMs so the file really shrinks. Never deleted: runs in `running`, and (by the
 * size cap) the latest run of each preview, so "the previous run" can always be shown. When those
 * alone are bigger than `maxBytes`, the file stays over the cap until they age out.
 * Returns how many runs went.
 */
export function applyRetention(
  db: Database,
  tables: RunTables,
  policy: RetentionPolicy,
  running: ReadonlySet<number>,
): number {
  let deleted = 0;
  const perPreview = new Map<string, number>();
  for (const run of tables.listRuns()) {
    const kept = perPreview.get(run.previewName) ?? 0;
    if (kept < policy.maxRunsPerPreview || running.has(run.id)) {
      perPreview.set(run.previewName, kept + 1);
    } else {
      tables.deleteRun(run.id);
      deleted++;
    }
  }

  // A few rounds: the size after VACUUM is only estimated before it.
  for (let round = 0; round < 3 && fileSize(db) > policy.maxBytes; round++) {
    const runs = tables.listRuns();
    const latest = new Set(runs.map((run) => run.previewName)); // newest first: first seen is latest
    const keep = new Set(running);
    for (const run of runs) {
      if (latest.delete(run.previewName)) keep.add(run.id);
    }
    const oldestFirst = runs.filter((run) => !keep.has(run.id)).reverse();
    let removed = 0;
    for (const run of oldestFirst) {
      if (liveSize(db) <= policy.maxBytes) break;
      tables.deleteRun(run.id);
      removed++;
    }
    deleted += removed;
    if (freePages(db) > 0) db.exec('VACUUM');
    if (removed === 0) break;
  }
  if (deleted > 0 && freePages(db) > 0) db.exec('VACUUM');
  return deleted;
}

/** The size `db.export()` would write: every page, free ones included. */
export function fileSize(db: Database): number {
  return pragma(db, 'page_count') * pragma(db, 'page_size');
}

// The size after a VACUUM: pages in use only.
function liveSize(db: Database): number {
  return (pragma(db, 'page_count') - freePages(db)) * pragma(db, 'page_size');
}

function freePages(db: Database): number {
  return pragma(db, 'freelist_count');
}

function pragma(db: Database, name: string): number {
  return Number(db.exec(`PRAGMA ${name}`)[0]?.values[0]?.[0] ?? 0);
}
