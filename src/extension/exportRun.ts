import type * as vscode from 'vscode';
import type { SaveExportParams } from '../shared/webviewProtocol';

/** The parts of VS Code an export needs; tests pass fakes. */
export interface ExportDeps {
  window: Pick<typeof vscode.window, 'showSaveDialog' | 'showInformationMessage' | 'showErrorMessage' | 'showTextDocument'>;
  fs: Pick<vscode.FileSystem, 'writeFile'>;
  /** Where the save dialog starts: the preview's folder with the suggested name. */
  defaultUri(fileName: string): vscode.Uri;
}

export type ExportOutcome = { saved: vscode.Uri } | { cancelled: true } | { failed: string };

const FILTERS: Record<SaveExportParams['format'], Record<string, string[]>> = {
  text: { 'Log files': ['log', 'txt'], 'All files': ['*'] },
  jsonl: { 'JSON Lines': ['jsonl', 'ndjson'], 'All files': ['*'] },
};

/**
 * Saves an export the panel fetched: asks where (a save dialog that starts in the preview's
 * folder), writes the text as UTF-8, then says what was written, or why it could not be.
 */
export async function saveExport(params: SaveExportParams, deps: ExportDeps): Promise<ExportOutcome> {
  const fileName = /^\.*$/.test(params.fileName) ? `export.${params.format === 'text' ? 'log' : 'jsonl'}` : params.fileName;
  const lines = `${params.lineCount.toLocaleString('en-US')} log ${params.lineCount === 1 ? 'line' : 'lines'}`;
  const target = await deps.window.showSaveDialog({
    defaultUri: deps.defaultUri(fileName),
    filters: FILTERS[params.format],
    saveLabel: 'Export',
    title: `Export ${lines} (${params.format === 'text' ? 'text' : 'JSON Lines'})`,
  });
  if (!target) return { cancelled: true };
  try {
    await deps.fs.writeFile(target, new TextEncoder().encode(params.text));
  } catch (err) {
    const failed = `Could not export the log to ${target.fsPath}: ${(err as Error).message}`;
    void deps.window.showErrorMessage(failed);
    return { failed };
  }
  void deps.window.showInformationMessage(`Exported ${lines} to ${target.fsPath}`, 'Open').then((choice) => {
    if (choice === 'Open') void deps.window.showTextDocument(target);
  });
  return { saved: target };
}
