import type { BatchView } from './lineBatch';

/**
 * The journal's record of appended lines: one run's lines in columns, their texts as one string.
 * One JSON.stringify of a few arrays and one long string per batch costs a fraction of one tuple
 * per line (the journal was a large share of what storing a flood cost the worker).
 *
 * [runId, seq[], meta[], entrySeq[] (0 for none), tsLengths[] (-1: the previous line's timestamp
 * again), timestamps joined, textLengths[], texts joined]
 */
export type BatchRecord = [
  runId: number,
  seq: number[],
  meta: number[],
  entry: number[],
  tsLengths: number[],
  ts: string,
  textLengths: number[],
  text: string,
];

const SAME_TS = -1;

/** Lines [from, to) of `view` (all of run `runId`) as a record. */
export function batchRecord(runId: number, view: BatchView, from: number, to: number): BatchRecord {
  const n = to - from;
  const seq = new Array<number>(n);
  const meta = new Array<number>(n);
  const entry = new Array<number>(n);
  const tsLengths = new Array<number>(n);
  const textLengths = new Array<number>(n);
  const tsParts: string[] = [];
  let lastTs: string | undefined;
  for (let k = 0; k < n; k++) {
    const i = from + k;
    seq[k] = view.seq[i];
    meta[k] = view.meta[i] & 7; // level and stream (a decoded chunk's view has codec bits above)
    entry[k] = view.entry[i];
    const ts = view.ts[i];
    if (ts === lastTs) tsLengths[k] = SAME_TS;
    else {
      tsLengths[k] = ts.length;
      tsParts.push(ts);
      lastTs = ts;
    }
    textLengths[k] = view.textAt[i + 1] - view.textAt[i];
  }
  const text = view.texts.slice(view.textAt[from], view.textAt[to]);
  return [runId, seq, meta, entry, tsLengths, tsParts.join(''), textLengths, text];
}

/**
 * The record's lines as a view, or undefined when it is not a whole, consistent record (a damaged
 * journal must never put wrong lines into the database).
 */
export function viewOfBatchRecord(value: unknown): { runId: number; view: BatchView } | undefined {
  if (!Array.isArray(value) || value.length !== 8) return undefined;
  const [runId, seq, meta, entry, tsLengths, ts, textLengths, text] = value as unknown[];
  if (!Number.isSafeInteger(runId) || typeof ts !== 'string' || typeof text !== 'string') return undefined;
  if (![seq, meta, entry, tsLengths, textLengths].every(Array.isArray)) return undefined;
  const n = (seq as unknown[]).length;
  if ([meta, entry, tsLengths, textLengths].some((column) => (column as unknown[]).length !== n)) return undefined;
  const view: BatchView = {
    runIds: [runId as number],
    bounds: [0, n],
    seq: new Float64Array(n),
    meta: new Uint8Array(n),
    entry: new Float64Array(n),
    ts: new Array<string>(n),
    textAt: new Uint32Array(n + 1),
    texts: text,
  };
  let tsAt = 0;
  let lastTs: string | undefined;
  for (let i = 0; i < n; i++) {
    const s = (seq as unknown[])[i];
    const m = (meta as unknown[])[i];
    const e = (entry as unknown[])[i];
    const tl = (tsLengths as unknown[])[i];
    const xl = (textLengths as unknown[])[i];
    if (!isCount(s) || s === 0 || (i > 0 && s <= view.seq[i - 1])) return undefined;
    if (!isCount(m) || m > 7 || !isCount(e) || !isCount(xl)) return undefined;
    if (tl === SAME_TS) {
      if (lastTs === undefined) return undefined;
    } else {
      if (!isCount(tl) || tsAt + tl > ts.length) return undefined;
      lastTs = ts.slice(tsAt, (tsAt += tl));
    }
    view.seq[i] = s;
    view.meta[i] = m;
    view.entry[i] = e;
    view.ts[i] = lastTs;
    view.textAt[i + 1] = view.textAt[i] + xl;
  }
  if (tsAt !== ts.length || view.textAt[n] !== text.length) return undefined;
  return { runId: runId as number, view };
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
