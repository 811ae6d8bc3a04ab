import * as vscode from 'vscode';
import type { PreviewInfo } from '../shared/protocol';
import { PreviewController } from './controller';
import type { CommandId } from './extension';
import { HostService } from './hostService';
import type { ProcessGroupRecords } from './leftovers';

/**
 * Everything heavy of the extension: the controller, and through it the host (express, the
 * stream server, the history store). The entry (extension.ts) loads this module on the first
 * command that needs it; production builds it as its own bundle, dist/hostRuntime.js.
 */
export interface Runtime {
  run(id: CommandId, args: unknown[]): Promise<unknown>;
  previews(): PreviewInfo[];
  /** The panels' recent events (see PreviewController.panelEvents). */
  panelEvents(): string[];
  /** SIGKILLs every preview tree, synchronously: the last resort when the extension host exits. */
  killAllSync(): void;
  /** Stops the trees (bounded), then closes the server and flushes the history. */
  dispose(): Promise<void>;
}

export interface RuntimeOptions {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  /** Made at activation, which reaps the leftovers it recorded. */
  records: ProcessGroupRecords;
  /** Fired whenever a preview starts, changes state or goes away. */
  changed: vscode.EventEmitter<void>;
}

/** How long disposing lets preview trees stop gracefully before killing them (VS Code allows ~5 s for deactivate in all). */
const DEACTIVATE_GRACE_MS = 3000;

export function startRuntime({ context, log, records, changed }: RuntimeOptions): Runtime {
  const host = new HostService(context, log);
  const controller = new PreviewController(context, log, host, records);
  context.subscriptions.push(
    controller,
    controller.onDidChange(() => changed.fire()),
  );

  const commands: Record<CommandId, (key: string | undefined) => Promise<void>> = {
    'previewHost.start': () => controller.start(),
    'previewHost.stop': (key) => controller.stop(key),
    'previewHost.restart': (key) => controller.restart(key),
    'previewHost.showLogs': (key) => controller.showLogs(key),
    'previewHost.openInBrowser': (key) => controller.openInBrowser(key),
    'previewHost.showHistory': () => controller.showHistory(),
    'previewHost.clearLogs': (key) => controller.clearLogs(key),
    'previewHost.find': (key) => controller.find(key),
  };

  return {
    run: (id, args) => commands[id](typeof args[0] === 'string' ? args[0] : undefined),
    previews: () => controller.list(),
    panelEvents: () => controller.panelEvents(),
    killAllSync: () => host.killAllSync(),
    async dispose() {
      // VS Code waits about 5 s for deactivate, then exits: what has not stopped gracefully by then
      // (stopGraceMs defaults to 5 s too) is killed rather than left running.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([controller.stopAll(), new Promise((resolve) => (timer = setTimeout(resolve, DEACTIVATE_GRACE_MS)))]);
      clearTimeout(timer);
      host.killAllSync();
      await host.dispose();
    },
  };
}
