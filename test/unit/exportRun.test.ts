import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { saveExport, type ExportDeps } from '../../src/extension/exportRun';
import type { SaveExportParams } from '../../src/shared/webviewProtocol';
import { SaveExportMessage } from '../../src/shared/webviewProtocol';

const uri = (fsPath: string) => ({ fsPath, toString: () => `file://${fsPath}` }) as unknown as vscode.Uri;

/** A save dialog that answers `choice`, a file system that records writes or fails, and the messages shown. */
function fakes(choice: string | undefined, writeError?: Error) {
  const seen = {
    dialogs: [] as vscode.SaveDialogOptions[],
    writes: [] as [string, string][],
    info: [] as string[],
    errors: [] as string[],
    opened: [] as string[],
  };
  const deps: ExportDeps = {
    window: {
      showSaveDialog: async (options?: vscode.SaveDialogOptions) => {
        seen.dialogs.push(options ?? {});
        return choice === undefined ? undefined : uri(choice);
      },
      showInformationMessage: (async (message: string) => {
        seen.info.push(message);
        return 'Open';
      }) as ExportDeps['window']['showInformationMessage'],
      showErrorMessage: (async (message: string) => {
        seen.errors.push(message);
        return undefined;
      }) as ExportDeps['window']['showErrorMessage'],
      showTextDocument: (async (target: vscode.Uri) => {
        seen.opened.push(target.fsPath);
      }) as unknown as ExportDeps['window']['showTextDocument'],
    },
    fs: {
      writeFile: async (target: vscode.Uri, content: Uint8Array) => {
        if (writeError) throw writeError;
        seen.writes.push([target.fsPath, new TextDecoder().decode(content)]);
      },
    },
    defaultUri: (name) => uri(`/srv/app/${name}`),
  };
  return { deps, seen };
}

const PARAMS: SaveExportParams = { fileName: 'app-20260101-120000-filtered.log', text: 'a\nb ✓\n', format: 'text', lineCount: 2 };
const tick = () => new Promise((r) => setImmediate(r));

describe('VS Code export: save dialog and file', () => {
  it('asks where, starting in the preview folder, writes the text as UTF-8 and offers to open it', async () => {
    const { deps, seen } = fakes('/home/me/out.log');
    const outcome = await saveExport(PARAMS, deps);
    await tick();
    assert.equal((outcome as { saved: vscode.Uri }).saved.fsPath, '/home/me/out.log');
    assert.equal(seen.dialogs[0]!.defaultUri!.fsPath, '/srv/app/app-20260101-120000-filtered.log');
    assert.deepEqual(seen.dialogs[0]!.filters, { 'Log files': ['log', 'txt'], 'All files': ['*'] });
    assert.equal(seen.dialogs[0]!.title, 'Export 2 log lines (text)');
    assert.deepEqual(seen.writes, [['/home/me/out.log', 'a\nb ✓\n']]);
    assert.deepEqual(seen.info, ['Exported 2 log lines to /home/me/out.log']);
    assert.deepEqual(seen.opened, ['/home/me/out.log'], 'Open opens the file');
  });

  it('writes nothing when the dialog is cancelled', async () => {
    const { deps, seen } = fakes(undefined);
    assert.deepEqual(await saveExport({ ...PARAMS, format: 'jsonl', fileName: 'x.jsonl' }, deps), { cancelled: true });
    assert.deepEqual(seen.dialogs[0]!.filters, { 'JSON Lines': ['jsonl', 'ndjson'], 'All files': ['*'] });
    assert.deepEqual([seen.writes, seen.info, seen.errors], [[], [], []]);
  });

  it('says which file could not be written and why', async () => {
    const { deps, seen } = fakes('/read-only/out.log', new Error('EACCES: permission denied'));
    const outcome = await saveExport(PARAMS, deps);
    const message = 'Could not export the log to /read-only/out.log: EACCES: permission denied';
    assert.deepEqual(outcome, { failed: message });
    assert.deepEqual(seen.errors, [message]);
    assert.deepEqual(seen.info, []);
  });

  it('accepts only bare file names from the page', () => {
    const ok = (fileName: string) => SaveExportMessage.is(SaveExportMessage.create({ ...PARAMS, fileName }));
    assert.deepEqual(['run.log', '../x.log', 'a/b.log', 'a\\b.log', '', 'x'.repeat(201)].map(ok), [
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
    assert.equal(SaveExportMessage.is({ method: 'saveExport', params: { ...PARAMS, format: 'csv' } }), false);
  });

  it('never suggests a dots-only name (it would name a folder)', async () => {
    const { deps, seen } = fakes(undefined);
    await saveExport({ ...PARAMS, fileName: '..' }, deps);
    assert.equal(seen.dialogs[0]!.defaultUri!.fsPath, '/srv/app/export.log');
  });
});
