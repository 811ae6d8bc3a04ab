import * as path from 'node:path';
import * as vscode from 'vscode';
import { detectRunCandidates } from '../host/detect';
import { commandLine, shellCommand } from '../host/detectSupport';
import type { PreviewSpec } from '../host/preview';
import { pythonFor } from './python';
import { readSettings, type PreviewSetting, type Settings } from './settings';

/** Something Start Preview can run: a spec plus where it came from. */
export interface RunChoice {
  /** Stable across sessions, to remember the user's pick. */
  key: string;
  /**
   * Which preview of the window this runs: one per folder, or one per `previewHost.previews`
   * entry. Another choice for the same folder (detection, then the command setting) reuses that
   * preview's panel and status item instead of leaving a stale pair beside a new one.
   */
  previewKey: string;
  label: string;
  detail: string;
  folder: vscode.WorkspaceFolder;
  spec: PreviewSpec;
}

const CHOICE_KEY = 'previewHost.lastChoice';

function specFromSetting(folder: vscode.WorkspaceFolder, p: PreviewSetting, settings: Settings): PreviewSpec {
  return {
    name: p.name,
    command: typeof p.command === 'string' ? shellCommand(p.command) : p.command,
    // The line as written, not `/bin/sh -c …`; an array joined as a shell would show it.
    displayCommand: typeof p.command === 'string' ? p.command : commandLine(p.command),
    cwd: p.cwd ? path.resolve(folder.uri.fsPath, p.cwd) : folder.uri.fsPath,
    env: p.env,
    port: p.port,
    ready: p.readyUrl ? { kind: 'http', path: p.readyUrl } : p.readyLine ? { kind: 'line', pattern: p.readyLine } : undefined,
    readyTimeoutMs: settings.readyTimeoutSeconds * 1000,
    graceMs: settings.stopGraceMs,
    redact: { enabled: settings.redact, patterns: settings.redactPatterns },
  };
}

/** Every way to run each folder: the previews setting, the command setting, else detection. */
export async function findRunChoices(
  staticServer: string[],
  report: (problem: string) => void,
): Promise<{ choices: RunChoice[]; fromPreviewsSetting: boolean }> {
  const choices: RunChoice[] = [];
  let fromPreviewsSetting = false;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const settings = readSettings(folder.uri, report);
    const redact = { enabled: settings.redact, patterns: settings.redactPatterns };
    const base = { readyTimeoutMs: settings.readyTimeoutSeconds * 1000, graceMs: settings.stopGraceMs, redact };
    if (settings.previews.length > 0) {
      fromPreviewsSetting = true;
      for (const p of settings.previews) {
        const key = `${folder.uri}#previews:${p.name}`;
        choices.push({
          key,
          previewKey: key,
          label: p.name,
          detail: `previewHost.previews in ${folder.name}`,
          folder,
          spec: specFromSetting(folder, p, settings),
        });
      }
      continue;
    }
    if (settings.command) {
      choices.push({
        key: `${folder.uri}#command`,
        previewKey: folder.uri.toString(),
        label: settings.command,
        detail: `previewHost.command in ${folder.name}`,
        folder,
        spec: {
          name: folder.name,
          command: shellCommand(settings.command),
          displayCommand: settings.command,
          cwd: folder.uri.fsPath,
          ...base,
        },
      });
      continue;
    }
    const python = await pythonFor(folder.uri, settings.pythonPath);
    for (const c of await detectRunCandidates(folder.uri.fsPath, { python, staticServer })) {
      choices.push({
        key: `${folder.uri}#${c.kind}`,
        previewKey: folder.uri.toString(),
        label: c.label,
        detail: `${c.displayCommand} — in ${folder.name}`,
        folder,
        spec: {
          name: folder.name,
          command: c.command,
          displayCommand: c.displayCommand,
          cwd: c.cwd,
          port: c.port,
          // The static server is this extension's own CLI, run by the editor's Node.
          env: c.kind === 'static' ? { ELECTRON_RUN_AS_NODE: '1', ...c.env } : c.env,
          ready: c.ready,
          ...base,
        },
      });
    }
  }
  return { choices, fromPreviewsSetting };
}

/**
 * What Start Preview runs: all of `previewHost.previews`, else the one candidate, else the user's
 * pick (remembered for next time). Undefined when nothing was chosen or found (the user was told).
 */
export async function chooseRuns(
  context: vscode.ExtensionContext,
  staticServer: string[],
  report: (problem: string) => void,
): Promise<RunChoice[] | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showErrorMessage('Preview Host: open a folder first; there is nothing to run without a workspace.');
    return undefined;
  }
  const { choices, fromPreviewsSetting } = await findRunChoices(staticServer, report);
  if (fromPreviewsSetting) return choices;
  if (choices.length === 0) {
    const open = 'Open Settings';
    void vscode.window
      .showWarningMessage(
        'Preview Host found nothing to run here (no FastAPI, Flask, Django, package.json dev/start/serve script, Procfile web: line or index.html). Set "previewHost.command", e.g. "npm run dev -- --port {port}".',
        open,
      )
      .then((pick) => pick === open && vscode.commands.executeCommand('workbench.action.openSettings', 'previewHost.command'));
    return undefined;
  }
  if (choices.length === 1) return choices;
  const remembered = context.workspaceState.get<string>(CHOICE_KEY);
  const known = choices.find((c) => c.key === remembered);
  if (known) return [known];
  const picked = await vscode.window.showQuickPick(
    choices.map((c) => ({ label: c.label, detail: c.detail, choice: c })),
    { title: 'Start Preview: what should run?', placeHolder: 'Your pick is remembered for this workspace' },
  );
  if (!picked) return undefined;
  await context.workspaceState.update(CHOICE_KEY, picked.choice.key);
  return [picked.choice];
}
