import * as vscode from 'vscode';

interface PythonApi {
  environments?: { getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined };
}

/** The interpreter to run Python apps with: the setting, else the Python extension's choice, else python3. */
export async function pythonFor(folder: vscode.Uri, configured: string): Promise<string> {
  if (configured) return configured;
  try {
    const ext = vscode.extensions.getExtension<PythonApi>('ms-python.python');
    if (ext) {
      const api = ext.isActive ? ext.exports : await ext.activate();
      const path = api?.environments?.getActiveEnvironmentPath(folder)?.path;
      if (path) return path;
    }
  } catch {
    // The Python extension is optional; its failures must not stop a preview.
  }
  return process.platform === 'win32' ? 'python' : 'python3';
}
