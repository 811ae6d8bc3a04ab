import * as fs from 'node:fs';
import type { Database, SqlJsStatic } from 'sql.js';
import { journalPathOf, replayJournal } from './journal';
import { quarantineFile } from './quarantine';
import { checkShape, migrate } from './schema';

/** A database ready for use, and what opening it took. */
export interface LoadedDatabase {
  db: Database;
  /** True when the in-memory database differs from the file (new, migrated): persist it. */
  changed: boolean;
  /** Set when the file was unusable and moved aside. */
  quarantined?: { movedTo: string; reason: string };
  /** Records of the file's journal applied (lines stored after the file was last written whole). */
  replayed: number;
  /** Set when the journal could not be applied (the database is used without it). */
  journalError?: string;
}

/**
 * Opens `file` in memory, checks it (SQLite integrity, schema version, table shape) and migrates it.
 * A missing or empty file gives a new database. An unusable file is moved aside with
 * `quarantineFile` when `quarantine` is set (we own the file), else the error is thrown.
 */
export function loadDatabase(sql: SqlJsStatic, file: string, quarantine: boolean): LoadedDatabase {
  let bytes: Buffer | undefined;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (!bytes || bytes.length === 0) return { db: createDatabase(sql), changed: true, replayed: 0 };

  let db: Database | undefined;
  let changed: boolean;
  try {
    db = new sql.Database(bytes);
    checkIntegrity(db);
    changed = migrate(db);
    checkShape(db);
  } catch (error) {
    db?.close();
    if (!quarantine) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const movedTo = quarantineFile(file);
    // Its journal follows the unusable state: kept beside it, never applied to the new one.
    if (fs.existsSync(journalPathOf(file))) quarantineFile(journalPathOf(file));
    return { db: createDatabase(sql), changed: true, quarantined: { movedTo, reason }, replayed: 0 };
  }
  try {
    const replayed = replayJournal(db, file);
    return { db, changed: changed || replayed > 0, replayed };
  } catch (error) {
    return { db, changed, replayed: 0, journalError: error instanceof Error ? error.message : String(error) };
  }
}

/** A new, empty database at the current schema. */
export function createDatabase(sql: SqlJsStatic): Database {
  const db = new sql.Database();
  migrate(db);
  return db;
}

// quick_check reads every page, so a truncated file fails here rather than on some later query.
function checkIntegrity(db: Database): void {
  const rows = db.exec('PRAGMA quick_check')[0]?.values ?? [];
  const first = rows[0]?.[0];
  if (rows.length !== 1 || first !== 'ok') {
    throw new Error(
      `integrity check failed: ${rows
        .slice(0, 3)
        .map((r) => String(r[0]))
        .join('; ')}`,
    );
  }
}
