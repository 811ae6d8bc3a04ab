import type { Database } from 'sql.js';
import type { RetentionPolicy } from './messages';
import type { RunTables } from './runTables';

/** Defaults: the last 20 runs of each preview, a 50 MiB file, and a run's newest 50 000 lines. */
export const DEFAULT_RETENTION: RetentionPolicy = { maxRunsPerPreview: 20, maxBytes: 50 * 1024 * 1024, minLinesPerRun: 50_000 };

// Trimming lines goes down to this share of the cap, so a long run is not trimmed (and VACUUMed)
// again with every write.
const TRIM_TO = 0.9;

/**
 * Deletes the oldest runs until each preview has at most `maxRunsPerPreview` and the file fits in
 * `maxBytes`, then VACUUMs so the file really shrinks. Runs in `running` and the latest run of each
 * preview (so "the previous run" can be shown) are not deleted; if they alone are over the cap,
 * their oldest lines are, oldest run first, down to their newest `minLinesPerRun` lines. Returns how
 * many runs were deleted or trimmed.
 */
export function applyRetention(db: Database, tables: RunTables, policy: RetentionPolicy, running: ReadonlySet<number>): number {
  tables.sealAll(); // sizes and counts below then cover every line
  let changed = 0;
  const perPreview = new Map<string, number>();
  for (const run of tables.listRuns()) {
    const kept = perPreview.get(run.previewName) ?? 0;
    if (kept < policy.maxRunsPerPreview || running.has(run.id)) {
      perPreview.set(run.previewName, kept + 1);
    } else {
      tables.deleteRun(run.id);
      changed++;
    }
  }

  // A few rounds: the size after VACUUM is only estimated before it.
  for (let round = 0; round < 3 && exportSize(db) > policy.maxBytes; round++) {
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
    if (liveSize(db) > policy.maxBytes)
      removed += trimKeptRuns(
        db,
        tables,
        policy,
        [...keep].sort((a, b) => a - b),
      );
    changed += removed;
    if (freePages(db) > 0) db.exec('VACUUM');
    if (removed === 0) break;
  }
  if (changed > 0 && freePages(db) > 0) db.exec('VACUUM');
  return changed;
}

// Deletes the oldest lines of the kept runs (oldest run first, whole chunks) until the live size is
// under TRIM_TO of the cap, never going below a run's newest `minLinesPerRun`. Returns how many runs
// it trimmed.
function trimKeptRuns(db: Database, tables: RunTables, policy: RetentionPolicy, runIdsOldestFirst: number[]): number {
  const lines = tables.lineCounts();
  const total = [...lines.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  const bytesPerLine = liveSize(db) / total;
  let excess = liveSize(db) - policy.maxBytes * TRIM_TO;
  let trimmed = 0;
  for (const runId of runIdsOldestFirst) {
    if (excess <= 0) break;
    const spare = (lines.get(runId) ?? 0) - policy.minLinesPerRun;
    if (spare <= 0) continue;
    const deleted = tables.deleteOldestLines(runId, Math.ceil(excess / bytesPerLine), spare);
    if (deleted === 0) continue;
    excess -= deleted * bytesPerLine;
    trimmed++;
  }
  return trimmed;
}

/** The size `db.export()` would write: every page, free ones included. */
export function exportSize(db: Database): number {
  return pragma(db, 'page_count') * pragma(db, 'page_size');
}

// The size after a VACUUM: pages in use only.
function liveSize(db: Database): number {
  return (pragma(db, 'page_count') - freePages(db)) * pragma(db, 'page_size');
}

/** Pages of the file that hold nothing (what a VACUUM would drop). */
export function freePages(db: Database): number {
  return pragma(db, 'freelist_count');
}

function pragma(db: Database, name: string): number {
  return Number(db.exec(`PRAGMA ${name}`)[0]?.values[0]?.[0] ?? 0);
}
