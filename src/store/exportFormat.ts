import type { ExportFormat } from '../host/history';
import type { LogLine } from '../shared/protocol';

// CSI sequences (colours, cursor moves), OSC sequences (titles, links) and two-byte escapes.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Removes ANSI escape sequences from a line. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

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
