import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { errorCountText, newOrSeenNote, type ErrorTracker } from '../host/errorTracker';
import type { Preview } from '../host/preview';
import { ProblemMatcher, resolveLogPath, type Problem } from '../host/problems';

// Lives beside the matcher, where unit tests reach it without VS Code; the controller imports it here.
export { resolveLogPath };

/**
 * Python tracebacks and Node stacks of a preview's run, as entries in the Problems panel, each saying
 * whether an earlier run of the preview had the same error (its fingerprint, from the run's
 * ErrorTracker). Its entries belong to one run: a restart makes a new reporter after `clear()`ing
 * the old one.
 */
export class ProblemsReporter implements vscode.Disposable {
  private readonly matchers = { stdout: new ProblemMatcher(), stderr: new ProblemMatcher() };
  /** Each file's problems, with the seq of the entry each belongs to. */
  private readonly byFile = new Map<string, { problem: Problem; entrySeq: number }[]>();
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(
    private readonly collection: vscode.DiagnosticCollection,
    private readonly preview: Preview,
    private readonly cwd: string,
    private readonly errors?: ErrorTracker,
    /** Told the run's "2 errors · 1 new" (undefined: none) whenever it changes. */
    onErrorCount?: (text: string | undefined) => void,
  ) {
    this.subscriptions.push(
      preview.ring.onDidAppend((lines) => {
        for (const line of lines) {
          // A problem's seq is its stack's last line, which the line that ends a Node stack follows.
          for (const p of this.matchers[line.stream].push(line.text, line.seq)) this.add(p, this.entryOf(p.seq));
        }
      }),
    );
    if (errors) {
      this.subscriptions.push(
        errors.onDidChange(() => {
          for (const file of this.byFile.keys()) this.render(file);
          if (onErrorCount) void errors.summaries().then((s) => onErrorCount(errorCountText(s)));
        }),
      );
    }
    void preview.exited.then(() => {
      for (const m of Object.values(this.matchers)) for (const p of m.flush()) this.add(p, this.entryOf(p.seq));
    });
  }

  /** Removes this run's entries from the Problems panel. */
  clear(): void {
    for (const file of this.byFile.keys()) this.collection.delete(vscode.Uri.file(file));
    this.byFile.clear();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private entryOf(seq: number): number {
    const line = this.preview.ring.line(seq);
    return line?.entrySeq ?? seq;
  }

  private add(problem: Problem, entrySeq: number): void {
    const file = resolveLogPath(problem.file, this.cwd);
    if (!existsSync(file)) return; // e.g. a path inside a container: nothing to open
    const list = this.byFile.get(file) ?? [];
    const same = (p: Problem) => p.message === problem.message && p.line === problem.line && p.column === problem.column;
    if (list.some((e) => same(e.problem))) return;
    list.push({ problem, entrySeq });
    this.byFile.set(file, list);
    this.render(file);
  }

  private render(file: string): void {
    const diagnostics = (this.byFile.get(file) ?? []).map(({ problem, entrySeq }) => {
      const line = Math.max(0, problem.line - 1);
      const column = Math.max(0, (problem.column ?? 1) - 1);
      const fingerprint = this.errors?.fingerprintOfEntry(entrySeq);
      const note = fingerprint === undefined ? '' : newOrSeenNote(this.errors!.isNew(fingerprint));
      const diagnostic = new vscode.Diagnostic(
        new vscode.Range(line, column, line, Number.MAX_SAFE_INTEGER),
        problem.message + note,
        vscode.DiagnosticSeverity.Error,
      );
      diagnostic.source = `Preview: ${this.preview.name}`;
      return diagnostic;
    });
    this.collection.set(vscode.Uri.file(file), diagnostics);
  }
}
