import type { Database } from 'sql.js';
import { emptyColumns, encodeChunk, LEVEL_INDEX, metaOf } from './chunkCodec';

/**
 * Schema step 3: moves every line of the one-row-per-line `lines` table into chunks, run by run in
 * seq order, sealed at the same bounds the chunk writer uses. Runs inside the migration's
 * transaction; the caller drops `lines` after it.
 */
export function convertLinesToChunks(db: Database): void {
  const select = db.prepare('SELECT run_id, seq, ts, level, stream, text FROM lines ORDER BY run_id, seq');
  const insert = db.prepare(
    `INSERT INTO chunks (run_id, first_seq, last_seq, first_ts, last_ts, line_count, levels, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let runId = -1;
  const columns = emptyColumns();
  const seal = (): void => {
    if (columns.count === 0) return;
    const chunk = encodeChunk(columns);
    insert.run([runId, chunk.firstSeq, chunk.lastSeq, chunk.firstTs, chunk.lastTs, chunk.count, chunk.levels, chunk.payload]);
    columns.clear();
  };
  try {
    while (select.step()) {
      const [run, seq, ts, level, stream, text] = select.get() as [number, number, string, string, string, string];
      if (run !== runId) {
        seal();
        runId = run;
      }
      columns.push(seq, metaOf(LEVEL_INDEX.get(level) ?? 2, stream === 'stderr'), ts, 0, text);
      if (columns.full) seal();
    }
    seal();
  } finally {
    select.free();
    insert.free();
  }
}
