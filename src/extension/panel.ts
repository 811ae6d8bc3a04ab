import * as vscode from 'vscode';
import type { PreviewInfo } from '../shared/protocol';
import { createNonce, renderTerminalHtml } from '../shared/terminalHtml';
import { saveExport } from './exportRun';
import { systemClock } from '../common/clock';
import {
  AliveMessage,
  ConfigMessage,
  CopyMessage,
  OpenExternalMessage,
  OpenLocationMessage,
  PreviewMessage,
  ReadyMessage,
  SaveExportMessage,
  VisibilityMessage,
  type ExtensionToWebviewMessage,
  type TerminalConfig,
} from '../shared/webviewProtocol';
import { PageWatchdog } from './pageWatchdog';
import { StreamRelay } from './streamRelay';

/** How long a page may take to say `ready` after a load, or `alive` after being shown. */
const PAGE_ANSWER_MS = 10_000;
/** Loads of a page that never answered; the last one in a new webview panel. */
const PAGE_LOADS = 3;

export interface PanelTarget {
  config: TerminalConfig;
  /** Origin the page connects to (the stream server as the webview sees it). */
  connectOrigin: string;
  info: PreviewInfo;
  /**
   * The stream's loopback URL (token included), as the extension host reaches it. When set, the
   * page reads its stream through the extension (`relay` transport) rather than by itself.
   */
  relayStreamUrl?: string;
}

export interface PanelHandlers {
  openLocation(file: string, line: number, column: number | undefined): void;
  /**
   * What the panel did about a page that did not answer (`detail` false: for the output channel),
   * and when it was shown or hidden (`detail` true: debug level).
   */
  log?(message: string, detail: boolean): void;
}

/**
 * The terminal panel of one preview (kept across restarts): the webview-ui bundle in a webview
 * with a nonce'd CSP, resources limited to the bundle's folder, and typed messages both ways.
 */
export class PreviewPanel implements vscode.Disposable {
  static readonly viewType = 'previewHost.logs';
  private panel: vscode.WebviewPanel;
  /** The current webview panel's listeners (a replaced panel's go with it). */
  private panelListeners: vscode.Disposable[] = [];
  private target: PanelTarget;
  private disposed = false;
  /** Reads the stream for the page: webviews share a browser, which allows six connections per host. */
  private readonly relay = new StreamRelay({
    streamUrl: (previewId) => (previewId === this.target.config.previewId ? this.target.relayStreamUrl : undefined),
    post: (message) => void this.post(message),
  });
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /**
   * Loads the page again when it does not answer after a load or being shown (see
   * pageWatchdog.ts); the last time, in a new webview panel where the old one was: in web VS Code a
   * moved panel's frame itself sometimes never loaded, and setting its HTML again cannot help that.
   */
  private readonly watchdog = new PageWatchdog({
    clock: systemClock,
    timeoutMs: PAGE_ANSWER_MS,
    maxReloads: PAGE_LOADS,
    reload: (attempt) => {
      const what = attempt < PAGE_LOADS ? `loading it again (${attempt} of ${PAGE_LOADS - 1})` : 'opening it in a new panel';
      this.handlers.log?.(`${this.panel.title}: the page did not answer within ${PAGE_ANSWER_MS / 1000} s; ${what}`, false);
      if (attempt < PAGE_LOADS) this.render();
      else this.replacePanel();
    },
    onGiveUp: () => this.handlers.log?.(`${this.panel.title}: the page never answered; left as it is`, false),
  });
  private markReady!: () => void;
  /** Resolves once the page has loaded and said `ready` (or the panel was closed). */
  readonly whenReady = new Promise<void>((resolve) => (this.markReady = resolve));
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    title: string,
    target: PanelTarget,
    private readonly handlers: PanelHandlers,
  ) {
    this.target = target;
    this.panel = this.createPanel(title, vscode.ViewColumn.Beside);
    this.render();
  }

  /** A webview panel for the page, its listeners wired to this PreviewPanel. */
  private createPanel(title: string, viewColumn: vscode.ViewColumn): vscode.WebviewPanel {
    const bundle = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(
      PreviewPanel.viewType,
      title,
      { viewColumn, preserveFocus: true },
      {
        enableScripts: true,
        retainContextWhenHidden: true,
        localResourceRoots: [bundle],
      },
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    this.panelListeners = [
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      // A hidden panel drops its stream after a moment (the page decides) and resumes where it was.
      panel.onDidChangeViewState(() => this.postVisibility()),
    ];
    return panel;
  }

  /** The page never came up in this panel: the same page in a new panel, in the same place. */
  private replacePanel(): void {
    if (this.disposed) return;
    const old = this.panel;
    for (const d of this.panelListeners.splice(0)) d.dispose(); // its dispose is not ours
    this.relay.reset();
    this.panel = this.createPanel(old.title, old.viewColumn ?? vscode.ViewColumn.Beside);
    old.dispose();
    this.render();
  }

  /** The editor column the panel is in (undefined while hidden). */
  get viewColumn(): vscode.ViewColumn | undefined {
    return this.panel.viewColumn;
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  /** Points the panel at a (new) preview run: the page reconnects to its stream. */
  retarget(target: PanelTarget, title: string): void {
    this.target = target;
    this.panel.title = title;
    void this.post(ConfigMessage.create({ config: pageConfig(target) }));
    void this.post(PreviewMessage.create({ preview: target.info }));
  }

  updateInfo(info: PreviewInfo): void {
    this.target.info = info;
    void this.post(PreviewMessage.create({ preview: info }));
  }

  post(message: ExtensionToWebviewMessage): Thenable<boolean> {
    return this.disposed ? Promise.resolve(false) : this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.relay.dispose();
    this.watchdog.dispose();
    for (const d of this.panelListeners.splice(0)) d.dispose();
    this.panel.dispose();
    this.markReady();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }

  private render(): void {
    const webview = this.panel.webview;
    const bundle = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    webview.html = renderTerminalHtml({
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'main.css')).toString(),
      cspSource: webview.cspSource,
      connectSrc: this.target.connectOrigin,
      config: pageConfig(this.target),
      title: this.panel.title,
    });
    this.watchdog.expect();
  }

  private postVisibility(): void {
    const visible = this.panel.visible;
    this.handlers.log?.(`${this.panel.title}: ${visible ? 'shown' : 'hidden'} (column ${this.panel.viewColumn ?? 'none'})`, true);
    void this.post(VisibilityMessage.create({ visible }));
    if (visible) this.watchdog.expect(); // the page answers `alive`
  }

  private onMessage(message: unknown): void {
    if (this.relay.handle(message)) return;
    if (AliveMessage.is(message)) {
      this.watchdog.answered();
    } else if (ReadyMessage.is(message)) {
      this.watchdog.answered();
      this.relay.reset(); // a new page: before its streamOpen, which it posts after ready (app.ts start)
      this.markReady();
      void this.post(PreviewMessage.create({ preview: this.target.info }));
      this.postVisibility();
    } else if (OpenLocationMessage.is(message)) {
      this.handlers.openLocation(message.params.file, message.params.line, message.params.column);
    } else if (OpenExternalMessage.is(message)) {
      void vscode.env.openExternal(vscode.Uri.parse(message.params.url));
    } else if (CopyMessage.is(message)) {
      void vscode.env.clipboard
        .writeText(message.params.text)
        .then(() =>
          vscode.window.setStatusBarMessage(
            `Copied ${message.params.lineCount} log line${message.params.lineCount === 1 ? '' : 's'}`,
            2000,
          ),
        );
    } else if (SaveExportMessage.is(message)) {
      const folder = vscode.Uri.file(this.target.info.cwd);
      const deps = { window: vscode.window, fs: vscode.workspace.fs, defaultUri: (name: string) => vscode.Uri.joinPath(folder, name) };
      void saveExport(message.params, deps);
    }
  }
}

/** The config the page gets: the `relay` transport when the extension can read the stream for it. */
function pageConfig(target: PanelTarget): TerminalConfig {
  return target.relayStreamUrl ? { ...target.config, transport: 'relay' } : target.config;
}
