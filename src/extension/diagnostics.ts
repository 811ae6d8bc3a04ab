import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Preview } from '../host/preview';
import { ProblemMatcher, resolveLogPath, type Problem } from '../host/problems';

// Lives beside the matcher, where unit tests reach it without VS Code; the controller imports it here.
export { resolveLogPath };

/**
 * Python tracebacks and Node stacks of a preview's run, as entries in the Problems panel. Its
 * entries belong to one run: a restart makes a new reporter after `clear()`ing the old one.
 */
export class ProblemsReporter implements vscode.Disposable {
  private readonly matchers = { stdout: new ProblemMatcher(), stderr: new ProblemMatcher() };
  private readonly byFile = new Map<string, vscode.Diagnostic[]>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly collection: vscode.DiagnosticCollection,
    private readonly preview: Preview,
    private readonly cwd: string,
  ) {
    this.subscription = preview.ring.onDidAppend((lines) => {
      for (const line of lines) for (const p of this.matchers[line.stream].push(line.text, line.seq)) this.add(p);
    });
    void preview.exited.then(() => {
      for (const m of Object.values(this.matchers)) for (const p of m.flush()) this.add(p);
    });
  }

  /** Removes this run's entries from the Problems panel. */
  clear(): void {
    for (const file of this.byFile.keys()) this.collection.delete(vscode.Uri.file(file));
    this.byFile.clear();
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private add(problem: Problem): void {
    const file = resolveLogPath(problem.file, this.cwd);
    if (!existsSync(file)) return; // e.g. a path inside a container: nothing to open
    const line = Math.max(0, problem.line - 1);
    const column = Math.max(0, (problem.column ?? 1) - 1);
    const diagnostic = new vscode.Diagnostic(
      new vscode.Range(line, column, line, Number.MAX_SAFE_INTEGER),
      problem.message,
      vscode.DiagnosticSeverity.Error,
    );
    diagnostic.source = `Preview: ${this.preview.name}`;
    const list = this.byFile.get(file) ?? [];
    if (list.some((d) => d.message === diagnostic.message && d.range.isEqual(diagnostic.range))) return;
    list.push(diagnostic);
    this.byFile.set(file, list);
    this.collection.set(vscode.Uri.file(file), list);
  }
}
