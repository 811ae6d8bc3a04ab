import type { ExportFormat } from '../shared/historyApi';
import { stripAnsi } from '../shared/ansi';
import type { LogLine } from '../shared/protocol';

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
