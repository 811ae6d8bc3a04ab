import type { ExportFilter, ExportFormat } from '../shared/historyApi';
import { stripAnsi } from '../shared/ansi';
import type { LogLine } from '../shared/protocol';
import type { RunTables } from './runTables';

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
  const parts: string[] = [];
  tables.forEachLine(runId, (line) => parts.push(formatLine(line, format)), filter);
  return parts.join('');
}
