import * as vscode from 'vscode';
import type { PreviewInfo } from '../shared/protocol';
import { PreviewController } from './controller';
import { HostService } from './hostService';
import { ProcessGroupRecords } from './leftovers';

/** What `activate` returns: a small surface for tests and other extensions. */
export interface PreviewHostApi {
  previews(): PreviewInfo[];
  onDidChange: vscode.Event<void>;
}

let stopEverything: (() => Promise<void>) | undefined;
/** How long deactivate lets preview trees stop gracefully before killing them (VS Code allows ~5 s in all). */
const DEACTIVATE_GRACE_MS = 3000;

export async function activate(context: vscode.ExtensionContext): Promise<PreviewHostApi> {
  const log = vscode.window.createOutputChannel('Preview Host', { log: true });
  const host = new HostService(context, log);
  const records = new ProcessGroupRecords(context.globalState);
  const controller = new PreviewController(context, log, host, records);
  context.subscriptions.push(log, controller);

  const commands: [string, (...args: unknown[]) => unknown][] = [
    ['previewHost.start', () => controller.start()],
    ['previewHost.stop', (key) => controller.stop(asKey(key))],
    ['previewHost.restart', (key) => controller.restart(asKey(key))],
    ['previewHost.showLogs', (key) => controller.showLogs(asKey(key))],
    ['previewHost.openInBrowser', (key) => controller.openInBrowser(asKey(key))],
    ['previewHost.showHistory', () => controller.showHistory()],
    ['previewHost.clearLogs', (key) => controller.clearLogs(asKey(key))],
    ['previewHost.find', (key) => controller.find(asKey(key))],
  ];
  for (const [id, run] of commands) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await run(...args);
        } catch (err) {
          log.error(`${id} failed: ${(err as Error).stack ?? err}`);
          void vscode.window.showErrorMessage(`Preview Host: ${(err as Error).message}`);
        }
      }),
    );
  }

  const startButton = vscode.window.createStatusBarItem('previewHost.start', vscode.StatusBarAlignment.Left, 49);
  startButton.name = 'Start Preview';
  startButton.text = '$(play) Preview';
  startButton.tooltip = 'Start Preview';
  startButton.command = 'previewHost.start';
  startButton.show();
  context.subscriptions.push(startButton);

  const stopped = await records.stopLeftovers((m) => log.warn(m));
  if (stopped > 0) log.info(`stopped ${stopped} leftover preview process group(s)`);

  // Last resort if the extension host exits before the trees are stopped: no preview tree outlives
  // it. Not in context.subscriptions: VS Code disposes those right after calling deactivate, which
  // may still be stopping trees then.
  const killOnExit = () => host.killAllSync();
  process.once('exit', killOnExit);

  stopEverything = async () => {
    // VS Code waits about 5 s for deactivate, then exits: what has not stopped gracefully by then
    // (stopGraceMs defaults to 5 s too) is killed rather than left running.
    // (No logging here: VS Code has disposed the output channel by now.)
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([controller.stopAll(), new Promise((resolve) => (timer = setTimeout(resolve, DEACTIVATE_GRACE_MS)))]);
    clearTimeout(timer);
    host.killAllSync();
    process.removeListener('exit', killOnExit);
    await host.dispose();
  };
  return { previews: () => controller.list(), onDidChange: controller.onDidChange };
}

export async function deactivate(): Promise<void> {
  // VS Code waits a few seconds at most: stop the trees, then flush history.
  const stop = stopEverything;
  stopEverything = undefined;
  await stop?.();
}

function asKey(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
