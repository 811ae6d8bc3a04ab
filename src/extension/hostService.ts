import * as vscode from 'vscode';
import { PreviewManager } from '../host/previewManager';
import { StreamServer } from '../host/streamServer';
import { openHistoryStore, type HistoryStore } from '../store';
import type { Settings } from './settings';

/** The parts of a started host. */
export interface RunningHost {
  manager: PreviewManager;
  server: StreamServer;
  history?: HistoryStore;
}

/**
 * The preview host inside the extension host: one manager, one loopback stream server and the
 * history store, made on first use. Owns nothing VS Code-specific beyond the storage location.
 */
export class HostService implements vscode.Disposable {
  private started?: Promise<RunningHost>;
  private disposed = false;
  private manager?: PreviewManager; // once started, for the synchronous kill at process exit

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The host, started if need be. */
  get(settings: Settings): Promise<RunningHost> {
    this.started ??= this.start(settings);
    return this.started;
  }

  /** The host if it is already up (for commands that only make sense with a running preview). */
  async current(): Promise<RunningHost | undefined> {
    return this.started;
  }

  private async start(settings: Settings): Promise<RunningHost> {
    let history: HistoryStore | undefined;
    if (settings.historyEnabled) {
      const storage = this.context.storageUri ?? this.context.globalStorageUri;
      try {
        history = await openHistoryStore({
          dir: storage.fsPath,
          workerPath: this.context.asAbsolutePath('dist/storeWorker.js'),
          retention: { maxRunsPerPreview: settings.historyMaxRuns, maxBytes: settings.historyMaxMegabytes * 1024 * 1024 },
          warmUp: true,
          onNotice: (message) => {
            this.log.warn(message);
            void vscode.window.showWarningMessage(`Preview Host history: ${message}`);
          },
        });
        this.log.info(`history in ${history.file}${history.readonly ? ' (read-only)' : ''}`);
      } catch (err) {
        this.log.error(`history is off for this session: ${(err as Error).message}`);
        void vscode.window.showWarningMessage(`Preview Host keeps no log history this session: ${(err as Error).message}`);
      }
    }
    const manager = new PreviewManager({ history, warmUp: true });
    this.manager = manager;
    const server = await StreamServer.listen({ manager });
    this.log.info(`stream server on ${server.origin}`);
    return { manager, server, history };
  }

  /** SIGKILLs every preview tree still running, synchronously: the last resort when the extension host exits. */
  killAllSync(): void {
    this.manager?.killAllSync();
  }

  /** Stops every preview tree, then closes the server and the history (flushed). */
  async dispose(): Promise<void> {
    if (this.disposed || !this.started) return;
    this.disposed = true;
    const { manager, server, history } = await this.started;
    await manager.stopAll();
    server.dispose();
    manager.dispose();
    await history?.dispose();
  }
}
