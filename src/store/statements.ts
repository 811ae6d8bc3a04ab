import type { Database, SqlValue, Statement } from 'sql.js';

/** Prepared statements of one database, kept and reused by their SQL text. */
export class Statements {
  private readonly cache = new Map<string, Statement>();

  constructor(readonly db: Database) {}

  get(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  run(sql: string, params: SqlValue[]): void {
    this.get(sql).run(params);
  }

  /**
   * A transaction's BEGIN, COMMIT and ROLLBACK, as statements prepared once: `db.exec` parses its
   * SQL at every call, and the store opens a transaction per batch of lines.
   */
  begin(): void {
    this.run('BEGIN', []);
  }

  commit(): void {
    this.run('COMMIT', []);
  }

  rollback(): void {
    this.run('ROLLBACK', []);
  }

  /** Calls `fn` with each row; returning false stops early. */
  each(sql: string, params: SqlValue[], fn: (row: SqlValue[]) => boolean | void): void {
    const statement = this.get(sql);
    try {
      statement.bind(params);
      while (statement.step()) if (fn(statement.get()) === false) break;
    } finally {
      statement.reset();
    }
  }

  /** The first row, or undefined. */
  first(sql: string, params: SqlValue[]): SqlValue[] | undefined {
    let row: SqlValue[] | undefined;
    this.each(sql, params, (r) => {
      row = r;
      return false;
    });
    return row;
  }

  /** Frees every statement; safe to call twice. */
  dispose(): void {
    for (const statement of this.cache.values()) statement.free();
    this.cache.clear();
  }
}
