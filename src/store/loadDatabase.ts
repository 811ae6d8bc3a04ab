import * as fs from 'node:fs';
import type { Database, SqlJsStatic } from 'sql.js';
import { quarantineFile } from './quarantine';
import { checkShape, migrate } from './schema';

/** A database ready for use, and what opening it took. */
export interface LoadedDatabase {
  db: Database;
  /** True when the in-memory database differs from the file (new, migrated): persist it. */
  changed: boolean;
  /** Set when the file was unusable and moved aside. */
  quarantined?: { movedTo: string; reason: string };
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
  if (!bytes || bytes.length === 0) return { db: createDatabase(sql), changed: true };

  let db: Database | undefined;
  try {
    db = new sql.Database(bytes);
    checkIntegrity(db);
    const changed = migrate(db);
    checkShape(db);
    return { db, changed };
  } catch (error) {
    db?.close();
    if (!quarantine) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const movedTo = quarantineFile(file);
    return { db: createDatabase(sql), changed: true, quarantined: { movedTo, reason } };
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
    throw new Error(`integrity check failed: ${rows.slice(0, 3).map((r) => String(r[0])).join('; ')}`);
  }
}
