import * as fs from 'node:fs';
import type { Database, SqlJsStatic } from 'sql.js';
import { journalPathOf, replayJournal } from './journal';
import { quarantineFile } from './quarantine';
import { freePages } from './retention';
import { checkShape, migrate, SCHEMA_VERSION, userVersion } from './schema';

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
  /**
   * Copies of a file (and its journal) from an older schema, made before converting it: delete them
   * once the converted database is written whole.
   */
  backups?: string[];
}

/** Where the file of schema `version` is kept while it is converted: `<file>.v<version>.bak`. */
export function backupPathOf(file: string, version: number): string {
  return `${file}.v${version}.bak`;
}

/**
 * Opens `file` in memory, checks it (SQLite integrity, schema version, table shape) and migrates it.
 * A missing or empty file gives a new database. An unusable file is moved aside with
 * `quarantineFile` when `quarantine` is set (we own the file), else the error is thrown.
 */
export function loadDatabase(sql: SqlJsStatic, file: string, quarantine: boolean, backup = false): LoadedDatabase {
  let bytes: Buffer | undefined;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (!bytes || bytes.length === 0) return { db: createDatabase(sql, true), changed: true, replayed: 0 };

  let db: Database | undefined;
  let changed: boolean;
  let backups: string[] | undefined;
  try {
    db = new sql.Database(withHeadroom(bytes));
    checkIntegrity(db);
    const from = userVersion(db);
    if (backup && from > 0 && from < SCHEMA_VERSION) backups = backUp(file, from);
    changed = migrate(db);
    // A conversion leaves the old tables' pages free: the file should not keep carrying them.
    if (changed && from > 0 && freePages(db) > 0) db.exec('VACUUM');
    checkShape(db);
  } catch (error) {
    db?.close();
    if (!quarantine) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const movedTo = quarantineFile(file);
    // Its journal follows the unusable state: kept beside it, never applied to the new one.
    if (fs.existsSync(journalPathOf(file))) quarantineFile(journalPathOf(file));
    return { db: createDatabase(sql, true), changed: true, quarantined: { movedTo, reason }, replayed: 0 };
  }
  try {
    const replayed = replayJournal(db, file);
    return { db, changed: changed || replayed > 0, replayed, backups };
  } catch (error) {
    return { db, changed, replayed: 0, journalError: error instanceof Error ? error.message : String(error), backups };
  }
}

// Copies the file and its journal before a conversion; a copy left by an interrupted one is replaced.
// Copies the file and its journal before a conversion (a copy left by an interrupted one is
// replaced). Without room for a copy the conversion still goes ahead: the file itself is only
// replaced by an atomic write of the converted database.
function backUp(file: string, version: number): string[] {
  const copies: string[] = [];
  for (const from of [file, journalPathOf(file)]) {
    const to = from === file ? backupPathOf(file, version) : journalPathOf(backupPathOf(file, version));
    try {
      if (!fs.existsSync(from)) continue;
      fs.copyFileSync(from, to);
      copies.push(to);
    } catch {
      break;
    }
  }
  return copies;
}

/** Deletes the backups of older schemas beside `file` once it holds the converted database. */
export function removeBackups(file: string): void {
  for (let version = 1; version < SCHEMA_VERSION; version++) {
    fs.rmSync(backupPathOf(file, version), { force: true });
    fs.rmSync(journalPathOf(backupPathOf(file, version)), { force: true });
  }
}

/** A new, empty database at the current schema; with `headroom`, room to grow (see withHeadroom). */
export function createDatabase(sql: SqlJsStatic, headroom = false): Database {
  const db = new sql.Database();
  migrate(db);
  if (!headroom) return db;
  const image = db.export();
  db.close();
  return new sql.Database(withHeadroom(image));
}

/** Room a database is opened with: a quarter of its size, at least HEADROOM_MIN_BYTES. */
const HEADROOM_MIN_BYTES = 4 * 1024 * 1024;

/**
 * A database file's bytes followed by zeros, when its header says how many pages it has (SQLite
 * then ignores what follows them and writes new pages over it; an export holds only the pages).
 * sql.js keeps the file in one array that, past 1 MiB, grows by an eighth at a time, each time
 * allocated anew and copied: in a flood into a new history that was 6 copies, ~1 500 page faults
 * and ~15 ms of the worker's CPU (perf), none of it with room from the start. A header that does
 * not give the size (an old or foreign writer) gets the bytes as they are: SQLite would take the
 * zeros for pages.
 */
export function withHeadroom(bytes: Uint8Array): Uint8Array {
  if (!headerGivesSize(bytes)) return bytes;
  const padded = new Uint8Array(bytes.length + Math.max(HEADROOM_MIN_BYTES, bytes.length >> 2));
  padded.set(bytes);
  return padded;
}

// "In-header database size" (file format, offset 28) is valid when nonzero and the change counter
// (24) equals version-valid-for (92); ours must also cover the file exactly.
function headerGivesSize(bytes: Uint8Array): boolean {
  if (bytes.length < 100) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const raw = view.getUint16(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const pages = view.getUint32(28);
  return pages > 0 && view.getUint32(24) === view.getUint32(92) && pages * pageSize === bytes.length;
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
