import type { ExportFilter, ExportFormat } from '../shared/historyApi';
import { stripAnsi } from '../shared/ansi';
import { LOG_LEVELS, type LogLine } from '../shared/protocol';
import { type DecodedChunk, STDERR_BIT } from './chunkCodec';
import type { RunTables } from './runTables';

const PADDED_LEVELS = LOG_LEVELS.map((level) => level.padEnd(5));

/** One exported line, newline included: `ts LEVEL text` (ANSI removed) or a LogLine as JSON. */
export function formatLine(line: LogLine, format: ExportFormat): string {
  if (format === 'jsonl') return `${JSON.stringify(line)}\n`;
  return `${line.ts} ${line.level.padEnd(5)} ${stripAnsi(line.text)}\n`;
}

/** Throws unless `format` is one `formatLine` knows. */
export function checkExportFormat(format: unknown): asserts format is ExportFormat {
  if (format !== 'text' && format !== 'jsonl') {
    throw new RangeError(`exportRun: format must be 'text' or 'jsonl', got ${JSON.stringify(format)}`);
  }
}

/** The lines of a run that `filter` selects, in `format`; throws for an unknown run or a bad filter. */
export function exportLines(tables: RunTables, runId: number, format: unknown, filter?: ExportFilter): string {
  checkExportFormat(format);
  if (!tables.getRun(runId)) throw new Error(`exportRun: no run with id ${runId}`);
  // Straight from the chunks' columns into one string per chunk: no LogLine per line (what
  // formatLine would give, field for field).
  const parts: string[] = [];
  let current: DecodedChunk | undefined;
  let out = '';
  tables.forEachSelected(runId, filter, (chunk, i) => {
    if (chunk !== current) {
      if (out) parts.push(out);
      out = '';
      current = chunk;
    }
    const text = chunk.texts.slice(chunk.textAt[i], chunk.textAt[i + 1]);
    const meta = chunk.meta[i];
    if (format === 'text') {
      out += `${chunk.ts[i]} ${PADDED_LEVELS[meta & 3]} ${stripAnsi(text)}\n`;
      return;
    }
    const entry = chunk.entry[i] > 0 ? `,"entrySeq":${chunk.entry[i]}` : '';
    out +=
      `{"seq":${chunk.seq[i]},"ts":${JSON.stringify(chunk.ts[i])},"level":"${LOG_LEVELS[meta & 3]}",` +
      `"stream":"${meta & STDERR_BIT ? 'stderr' : 'stdout'}","text":${JSON.stringify(text)}${entry}}\n`;
  });
  if (out) parts.push(out);
  return parts.join('');
}
