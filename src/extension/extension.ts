import * as vscode from 'vscode';
import type { PreviewInfo } from '../shared/protocol';
import { ProcessGroupRecords } from './leftovers';
import type { Runtime } from './runtime';

// The entry VS Code loads on activation: only what must happen then (the Start button, reaping the
// previews an earlier extension host left running, the commands). The host, express and sql.js
// live in ./runtime (dist/hostRuntime.js in production), loaded by the first command.

/** What `activate` returns: a small surface for tests and other extensions. */
export interface PreviewHostApi {
  previews(): PreviewInfo[];
  /** What panels did lately about pages that did not answer, and when they were shown or hidden. */
  panelEvents(): string[];
  onDidChange: vscode.Event<void>;
}

/** The commands package.json contributes; each loads the runtime on first use. */
export const COMMAND_IDS = [
  'previewHost.start',
  'previewHost.stop',
  'previewHost.restart',
  'previewHost.showLogs',
  'previewHost.openInBrowser',
  'previewHost.showHistory',
  'previewHost.clearLogs',
  'previewHost.find',
] as const;
export type CommandId = (typeof COMMAND_IDS)[number];

let stopEverything: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<PreviewHostApi> {
  const log = vscode.window.createOutputChannel('Preview Host', { log: true });
  const records = new ProcessGroupRecords(context.globalState);
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(log, changed);

  let runtime: Runtime | undefined;
  let loading: Promise<Runtime> | undefined;
  const loadRuntime = (): Promise<Runtime> =>
    (loading ??= import('./runtime.js').then(({ startRuntime }) => (runtime = startRuntime({ context, log, records, changed }))));

  for (const id of COMMAND_IDS) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await (await loadRuntime()).run(id, args);
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
  const killOnExit = () => runtime?.killAllSync();
  process.once('exit', killOnExit);

  stopEverything = async () => {
    // (No logging here: VS Code has disposed the output channel by now.)
    const loaded = await loading?.catch(() => undefined); // a runtime still loading is stopped too
    await loaded?.dispose();
    process.removeListener('exit', killOnExit);
  };
  return { previews: () => runtime?.previews() ?? [], panelEvents: () => runtime?.panelEvents() ?? [], onDidChange: changed.event };
}

export async function deactivate(): Promise<void> {
  // VS Code waits a few seconds at most: stop the trees, then flush history.
  const stop = stopEverything;
  stopEverything = undefined;
  await stop?.();
}
