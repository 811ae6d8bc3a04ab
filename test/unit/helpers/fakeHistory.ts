import type { ExportFilter, LineQuery, RunErrorRecord, RunHistory, RunSummary } from '../../../src/shared/historyApi';
import type { LogLine } from '../../../src/shared/protocol';

/**
 * An in-memory RunHistory with the calls of issue 11 (`putRunErrors`, `readRunErrors`,
 * `seenFingerprints`, `LineQuery.before`), for host tests on a branch whose store lacks them.
 */
export class FakeHistory implements RunHistory {
  readonly runs: RunSummary[] = [];
  readonly lines = new Map<number, LogLine[]>();
  readonly errors = new Map<number, RunErrorRecord[]>();
  /** Set by a test to see what the host's warm-up sends (RunHistory.warmUpAppend). */
  warmUpAppend?: (lines: readonly LogLine[]) => void;
  /** Every putRunErrors call, in order. */
  readonly puts: { runId: number; errors: RunErrorRecord[] }[] = [];

  async beginRun(run: Parameters<RunHistory['beginRun']>[0]): Promise<number> {
    const id = this.runs.length + 1;
    this.runs.push({ ...run, id, endedAt: null, exitCode: null, signal: null, abnormal: false, lineCount: 0 });
    this.lines.set(id, []);
    return id;
  }

  append(runId: number, lines: readonly LogLine[]): boolean {
    const stored = this.lines.get(runId)!;
    for (const line of lines) stored.push({ ...line });
    this.runs[runId - 1].lineCount = stored.length;
    return true;
  }

  async whenDrained(): Promise<void> {}

  async endRun(runId: number, end: Parameters<RunHistory['endRun']>[1]): Promise<void> {
    Object.assign(this.runs[runId - 1], { endedAt: end.endedAt, exitCode: end.exitCode, signal: end.signal });
  }

  async readLines(runId: number, query: LineQuery): Promise<LogLine[]> {
    const after = query.after ?? 0;
    const before = query.before ?? Infinity;
    const limit = Math.min(query.limit ?? 1000, 10_000);
    const selected = (this.lines.get(runId) ?? []).filter(
      (l) => l.seq > after && l.seq < before && (!query.levels || query.levels.includes(l.level)) && (!query.q || l.text.includes(query.q)),
    );
    return query.before !== undefined ? selected.slice(-limit) : selected.slice(0, limit);
  }

  async listRuns(): Promise<RunSummary[]> {
    return [...this.runs].reverse();
  }

  async exportRun(runId: number, _format: 'text' | 'jsonl', _filter?: ExportFilter): Promise<string> {
    return (this.lines.get(runId) ?? []).map((l) => l.text).join('\n');
  }

  async putRunErrors(runId: number, errors: readonly RunErrorRecord[]): Promise<void> {
    this.errors.set(
      runId,
      errors.map((e) => ({ ...e })),
    );
    this.puts.push({ runId, errors: errors.map((e) => ({ ...e })) });
  }

  async readRunErrors(runId: number): Promise<RunErrorRecord[]> {
    return (this.errors.get(runId) ?? []).map((e) => ({ ...e }));
  }

  async seenFingerprints(previewName: string, beforeRunId: number): Promise<string[]> {
    const out = new Set<string>();
    for (const run of this.runs) {
      if (run.previewName !== previewName || run.id >= beforeRunId) continue;
      for (const e of this.errors.get(run.id) ?? []) out.add(e.fingerprint);
    }
    return [...out];
  }

  async flush(): Promise<void> {}

  async dispose(): Promise<void> {}
}
