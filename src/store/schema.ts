import type { Database } from 'sql.js';
import { convertLinesToChunks } from './migrateToChunks';

/** One step of the schema; migration i (0-based) brings `user_version` from i to i + 1. */
export type Migration = (db: Database) => void;

/** Every schema step, oldest first. Append only: never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  (db) => {
    db.exec(`
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: ids of deleted runs are never reused
        preview_name TEXT NOT NULL,
        command TEXT NOT NULL,                -- JSON array of argv
        cwd TEXT NOT NULL,
        port INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,                        -- NULL while running
        exit_code INTEGER,
        signal TEXT,
        abnormal INTEGER NOT NULL DEFAULT 0,
        line_count INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX runs_by_preview ON runs (preview_name, started_at);
      -- The primary key serves 'run_id = ? AND seq > ? ORDER BY seq LIMIT ?'; level and text
      -- filters scan forward in that same range.
      CREATE TABLE lines (
        run_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        ts TEXT NOT NULL,
        level TEXT NOT NULL,
        stream TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
    `);
  },
  (db) => {
    // journal_id: which database state the journal file follows (see journal.ts).
    db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;');
  },
  (db) => {
    // Lines in compressed chunks (chunkCodec.ts) instead of one row each. A rowid table: SQLite
    // then fills overflow pages of big payloads exactly, where an index b-tree (WITHOUT ROWID) leaves
    // the last one half empty. Chunks of a run never overlap, so either index orders them.
    db.exec(`
      CREATE TABLE chunks (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        first_ts TEXT NOT NULL,
        last_ts TEXT NOT NULL,
        line_count INTEGER NOT NULL,
        levels INTEGER NOT NULL,              -- bit i set: a line of LOG_LEVELS[i] is in it
        payload BLOB NOT NULL
      );
      CREATE UNIQUE INDEX chunks_by_first ON chunks (run_id, first_seq);
      CREATE INDEX chunks_by_last ON chunks (run_id, last_seq);
      -- The distinct errors of a run (ErrorSummary), in the order the host gave them.
      CREATE TABLE run_errors (
        run_id INTEGER NOT NULL,
        ord INTEGER NOT NULL,
        fingerprint TEXT NOT NULL,
        title TEXT NOT NULL,
        count INTEGER NOT NULL,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        PRIMARY KEY (run_id, ord)
      ) WITHOUT ROWID;
    `);
    convertLinesToChunks(db);
    db.exec('DROP TABLE lines');
  },
  () => {
    // Chunk payloads may be brotli from here on (chunkCodec.ts, BROTLI_PAYLOAD). Nothing to
    // convert: deflated ones still read. The step is there so that a version before it, which
    // cannot read them, quarantines the file (kept aside) instead of failing on its chunks.
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** `PRAGMA user_version` of a database. */
export function userVersion(db: Database): number {
  return Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
}

/**
 * Brings `db` to SCHEMA_VERSION, each step in its own transaction. Returns whether anything ran.
 * Throws for a database newer than this code knows.
 */
export function migrate(db: Database): boolean {
  const from = userVersion(db);
  if (from > SCHEMA_VERSION) {
    throw new Error(`schema version ${from} is newer than this version of Preview Host knows (${SCHEMA_VERSION})`);
  }
  for (let version = from; version < SCHEMA_VERSION; version++) {
    db.exec('BEGIN');
    try {
      MIGRATIONS[version](db);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
  return from < SCHEMA_VERSION;
}

/** Throws unless the tables have every column this code reads (guards against a foreign SQLite file). */
export function checkShape(db: Database): void {
  db.exec(`SELECT id, preview_name, command, cwd, port, started_at, ended_at, exit_code, signal, abnormal,
    line_count FROM runs LIMIT 0`);
  db.exec('SELECT run_id, first_seq, last_seq, first_ts, last_ts, line_count, levels, payload FROM chunks LIMIT 0');
  db.exec('SELECT run_id, ord, fingerprint, title, count, first_seq, last_seq FROM run_errors LIMIT 0');
}
