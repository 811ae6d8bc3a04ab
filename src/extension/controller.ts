import * as vscode from 'vscode';
import type { Preview } from '../host/preview';
import type { PreviewInfo, StatusEvent } from '../shared/protocol';
import { ClearMessage, FindMessage, type TerminalConfig } from '../shared/webviewProtocol';
import { ProblemsReporter, resolveLogPath } from './diagnostics';
import { pastRunTarget } from './historyPanel';
import type { HostService } from './hostService';
import { MARKER_ENV, type ProcessGroupRecords } from './leftovers';
import { PreviewPanel, type PanelTarget } from './panel';
import { chooseRuns, type RunChoice } from './runConfig';
import { readSettings } from './settings';
import { LoopbackAddresses } from './streamAddress';
import { PreviewStatusItem } from './statusBar';

/**
 * One run of a configured preview in this window. Built whole when the run starts and replaced,
 * never changed, by the next run; the status item carries over to it. Panels live in their own map:
 * the user closes and reopens them independently of runs.
 */
interface Session {
  readonly choice: RunChoice;
  readonly preview: Preview;
  readonly status: PreviewStatusItem;
  readonly problems: ProblemsReporter;
  readonly subscription: vscode.Disposable;
}

/** Panel events kept for `panelEvents` (a few minutes of eight panels being moved about). */
const PANEL_EVENTS_KEPT = 200;

/** What the extension's commands do; `src/extension/extension.ts` only wires them up. */
export class PreviewController implements vscode.Disposable {
  /** By `RunChoice.previewKey`. */
  private readonly sessions = new Map<string, Session>();
  /** The logs panel of each session key that has one open; it survives restarts. */
  private readonly panels = new Map<string, PreviewPanel>();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('preview-host');
  private readonly changed = new vscode.EventEmitter<void>();
  /** How webviews and browsers reach the stream server and the apps (see streamAddress.ts). */
  private addresses?: { origin: string; value: LoopbackAddresses };
  /** Fires when a preview starts, changes state or goes away (used by tests and the status bar). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly host: HostService,
    private readonly records: ProcessGroupRecords,
  ) {}

  /** What panels did lately about pages that did not answer, and when they were shown or hidden. */
  private readonly recentPanelEvents: string[] = [];

  /** The panels' recent events, oldest first (for tests and bug reports). */
  panelEvents(): string[] {
    return [...this.recentPanelEvents];
  }

  private readonly panelLog = (message: string, detail: boolean): void => {
    if (detail) this.log.debug(message);
    else this.log.warn(message);
    this.recentPanelEvents.push(`${new Date().toISOString().slice(11, 23)} ${message}`);
    if (this.recentPanelEvents.length > PANEL_EVENTS_KEPT) this.recentPanelEvents.shift();
  };

  /** The previews of this window, for tests and scripts. */
  list(): PreviewInfo[] {
    return [...this.sessions.values()].map((s) => s.preview.info());
  }

  async start(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      const manage = 'Manage Workspace Trust';
      const pick = await vscode.window.showErrorMessage(
        'Preview Host does not run commands from an untrusted workspace: a dev server runs code from this folder. Trust the workspace to start a preview.',
        manage,
      );
      if (pick === manage) await vscode.commands.executeCommand('workbench.trust.manage');
      return;
    }
    const choices = await chooseRuns(this.context, this.staticServer(), (p) => this.log.warn(p));
    if (!choices) return;
    for (const choice of choices) {
      const existing = this.sessions.get(choice.previewKey);
      if (existing && isLive(existing.preview)) {
        this.showPanel(existing);
        void vscode.window.showInformationMessage(`Preview "${existing.preview.name}" is already running.`);
        continue;
      }
      const session = await this.run(choice, existing);
      // One panel loads at a time: web fronts (code-server) can leave one of two webviews created
      // in the same moment blank. Bounded, so a page that never says ready holds nothing up.
      if (choices.length > 1) await Promise.race([this.panelOf(session)?.whenReady, new Promise((r) => setTimeout(r, 10_000))]);
    }
  }

  async stop(key?: string): Promise<void> {
    const session = await this.pick(key, 'Stop which preview?', true);
    if (!session) return;
    this.log.info(`stopping ${session.preview.name} (pid ${session.preview.pid})`);
    await session.preview.stop();
  }

  async restart(key?: string): Promise<void> {
    const session = await this.pick(key, 'Restart which preview?', false);
    if (!session) return;
    await session.preview.stop();
    await this.run(session.choice, session);
  }

  async showLogs(key?: string): Promise<void> {
    const session = await this.pick(key, 'Show the logs of which preview?', false);
    if (session) this.showPanel(session);
  }

  async clearLogs(key?: string): Promise<void> {
    const session = await this.pick(key, 'Clear the logs of which preview?', false);
    if (session) void this.panelOf(session)?.post(ClearMessage.create({}));
  }

  async find(key?: string): Promise<void> {
    const session = await this.pick(key, 'Search the logs of which preview?', false);
    if (!session) return;
    this.showPanel(session);
    void this.panelOf(session)?.post(FindMessage.create({}));
  }

  async openInBrowser(key?: string): Promise<void> {
    const session = await this.pick(key, 'Open which preview?', true);
    if (!session) return;
    const settings = readSettings(session.choice.folder.uri);
    const { server } = await this.host.get(settings);
    const url = await this.addressesFor(server).appAddress(session.preview.url ?? `http://127.0.0.1:${session.preview.appPort}/`);
    this.log.info(`opening ${session.preview.name} at ${url}`);
    if (settings.openIn === 'external') await vscode.env.openExternal(vscode.Uri.parse(url));
    else await vscode.commands.executeCommand('simpleBrowser.show', url);
  }

  async showHistory(): Promise<void> {
    const host = await this.host.current();
    const history = host?.history ?? (await this.host.get(readSettings())).history;
    if (!history) {
      void vscode.window.showInformationMessage(
        'Preview Host keeps no history (previewHost.history.enabled is off, or the store could not open).',
      );
      return;
    }
    const runs = await history.listRuns();
    if (runs.length === 0) {
      void vscode.window.showInformationMessage('No preview runs in the history yet.');
      return;
    }
    const pick = await vscode.window.showQuickPick(
      runs.map((r) => ({
        label: `${r.previewName} — ${new Date(r.startedAt).toLocaleString()}`,
        description: `${r.lineCount} lines`,
        detail: `${r.command.join(' ')} · ${r.endedAt ? (r.abnormal ? 'ended abnormally' : `exit ${r.signal ?? r.exitCode}`) : 'running'}`,
        run: r,
      })),
      { title: 'Preview Host: log history', placeHolder: 'Open a past run in the logs panel (read-only)' },
    );
    if (!pick) return;
    // The panel reads the run's lines page by page from the stream server's history routes.
    const { server } = host ?? (await this.host.get(readSettings()));
    const root = await this.addressesFor(server).streamRoot();
    server.allowHostName(new URL(root).hostname);
    const { target, title } = pastRunTarget(pick.run, root, server.token);
    const key = `history:${pick.run.id}`;
    const open = this.panels.get(key);
    if (open) return open.reveal();
    const panel = new PreviewPanel(this.context.extensionUri, title, target, {
      openLocation: (file, line, column) => void this.openPastLocation(pick.run.cwd, file, line, column),
      log: this.panelLog,
    });
    this.panels.set(key, panel);
    panel.onDidDispose(() => this.panels.get(key) === panel && this.panels.delete(key));
  }

  private async openPastLocation(cwd: string, file: string, line: number, column: number | undefined): Promise<void> {
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(resolveLogPath(file, cwd)));
      const position = new vscode.Position(Math.max(0, line - 1), Math.max(0, (column ?? 1) - 1));
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(position, position) });
    } catch (err) {
      void vscode.window.showWarningMessage(`Cannot open ${file}: ${(err as Error).message}`);
    }
  }

  /** Stops every preview tree (window closing, deactivation). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.preview.stop()));
  }

  dispose(): void {
    for (const s of this.sessions.values()) {
      this.endSession(s);
      s.status.dispose();
    }
    this.sessions.clear();
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
    this.diagnostics.dispose();
    this.changed.dispose();
  }

  private async run(choice: RunChoice, previous: Session | undefined): Promise<Session> {
    const settings = readSettings(choice.folder.uri, (p) => this.log.warn(p));
    const { manager, server } = await this.host.get(settings);
    if (previous) {
      this.endSession(previous);
      void manager.remove(previous.preview.id);
    }
    const spec = { ...choice.spec, env: { ...choice.spec.env, [MARKER_ENV]: this.records.marker }, restart: settings.restart };
    this.log.info(`starting ${choice.label}: ${spec.command.join(' ')} in ${spec.cwd}`);
    const preview = await manager.start(spec);
    const session: Session = {
      choice,
      preview,
      status: previous?.status ?? new PreviewStatusItem(choice.previewKey, preview.name),
      problems: new ProblemsReporter(this.diagnostics, preview, spec.cwd, manager.errorsOf(preview.id), (text) =>
        session.status.setErrors(text),
      ),
      subscription: preview.onDidChangeState((status) => this.onState(session, status)),
    };
    session.status.setErrors(undefined); // the item may carry over from the last run
    this.sessions.set(choice.previewKey, session);
    this.recordGroups(preview);
    session.status.update(preview.lastStatus, preview.appPort, preview.url);
    this.changed.fire(); // "starting" is no state change of the preview's: say it before the panel's awaits
    const target = await this.panelTarget(preview, server, settings.maxLines);
    const panel = this.panelOf(session);
    if (panel) panel.retarget(target, this.panelTitle(preview));
    else this.createPanel(session, target);
    this.onState(session, preview.lastStatus);
    return session;
  }

  private onState(session: Session, status: StatusEvent): void {
    const preview = session.preview;
    session.status.update(status, preview.appPort, preview.url);
    this.panelOf(session)?.updateInfo(preview.info());
    void vscode.commands.executeCommand(
      'setContext',
      'previewHost.running',
      [...this.sessions.values()].some((s) => isLive(s.preview)),
    );
    this.changed.fire();
    if (status.state === 'failed' || (status.state === 'exited' && status.exitCode !== 0)) {
      const what =
        status.state === 'failed'
          ? `failed: ${status.reason}`
          : `exited with ${status.signal ? `signal ${status.signal}` : `code ${status.exitCode}`}`;
      this.log.error(`${preview.name} ${what}`);
      const show = 'Show Logs';
      void vscode.window
        .showErrorMessage(`Preview "${preview.name}" ${what}`, show)
        .then((pick) => pick === show && this.showPanel(session));
    } else {
      this.log.info(`${preview.name}: ${status.state}`);
    }
  }

  private async panelTarget(
    preview: Preview,
    server: { origin: string; token: string; allowHostName(n: string): void; streamUrl(previewId: string): string },
    maxLines: number,
  ): Promise<PanelTarget> {
    const base = await this.addressesFor(server).streamRoot();
    const url = new URL(base);
    server.allowHostName(url.hostname);
    const config: TerminalConfig = {
      streamUrl: `${base}api/previews/${encodeURIComponent(preview.id)}/logs/stream`,
      token: server.token,
      previewId: preview.id,
      mode: 'vscode',
      maxLines,
      title: preview.name,
    };
    return { config, connectOrigin: url.origin, info: preview.info(), relayStreamUrl: server.streamUrl(preview.id) };
  }

  private addressesFor(server: { origin: string; token: string }): LoopbackAddresses {
    if (this.addresses?.origin !== server.origin)
      this.addresses = { origin: server.origin, value: new LoopbackAddresses(server.origin, server.token, this.log) };
    return this.addresses.value;
  }

  private panelOf(session: Session): PreviewPanel | undefined {
    return this.panels.get(session.choice.previewKey);
  }

  private createPanel(session: Session, target: PanelTarget): void {
    const key = session.choice.previewKey;
    const panel = new PreviewPanel(this.context.extensionUri, this.panelTitle(session.preview), target, {
      // The panel outlives the run it was made for: open paths against the run it shows now.
      openLocation: (file, line, column) => void this.openLocation(this.sessions.get(key) ?? session, file, line, column),
      log: this.panelLog,
    });
    this.panels.set(key, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
  }

  private showPanel(session: Session): void {
    const panel = this.panelOf(session);
    if (panel) {
      panel.reveal();
      return;
    }
    const settings = readSettings(session.choice.folder.uri);
    void this.host.get(settings).then(async ({ server }) => {
      this.createPanel(session, await this.panelTarget(session.preview, server, settings.maxLines));
    });
  }

  private async openLocation(session: Session, file: string, line: number, column: number | undefined): Promise<void> {
    const full = resolveLogPath(file, session.choice.spec.cwd);
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(full));
      const position = new vscode.Position(Math.max(0, line - 1), Math.max(0, (column ?? 1) - 1));
      // Beside the logs, not over them: the first column, or the second when the panel is in the first.
      const viewColumn = this.panelOf(session)?.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(position, position), viewColumn });
    } catch (err) {
      void vscode.window.showWarningMessage(`Cannot open ${full}: ${(err as Error).message}`);
    }
  }

  private panelTitle(preview: Preview): string {
    return `Preview: ${preview.name}`;
  }

  /** Picks the session a command acts on; tells the user when there is none. */
  private async pick(key: string | undefined, title: string, runningOnly: boolean): Promise<Session | undefined> {
    if (key !== undefined) {
      // A session key (status bar items pass theirs), or a preview's name or id (keybindings, tests).
      const byKey = this.sessions.get(key) ?? [...this.sessions.values()].find((s) => s.preview.name === key || s.preview.id === key);
      if (byKey) return byKey;
    }
    const candidates = [...this.sessions.values()].filter((s) => !runningOnly || isLive(s.preview));
    if (candidates.length === 0) {
      const start = 'Start Preview';
      const pick = await vscode.window.showInformationMessage(
        runningOnly ? 'No preview is running.' : 'No preview has been started in this window.',
        start,
      );
      if (pick === start) await this.start();
      return undefined;
    }
    if (candidates.length === 1) return candidates[0];
    const picked = await vscode.window.showQuickPick(
      candidates.map((s) => ({
        label: s.preview.name,
        description: `${s.preview.state} · ${s.preview.url ?? `port ${s.preview.appPort}`}`,
        session: s,
      })),
      { title },
    );
    return picked?.session;
  }

  private staticServer(): string[] {
    return [process.execPath, this.context.asAbsolutePath('dist/cli.js')];
  }

  /** Records the process group of each launch (a port collision or a crash restart makes a new one) until the next or the end. */
  private recordGroups(preview: Preview): void {
    let recorded: number | undefined;
    const record = (pid: number | undefined): void => {
      if (recorded !== undefined) void this.records.remove(recorded);
      recorded = pid;
      if (pid !== undefined) void this.records.add(pid);
    };
    record(preview.pid);
    preview.onDidSpawn(record); // lives as long as the preview
    void preview.exited.then(() => record(undefined));
  }

  /** Ends what belongs to one run only (its Problems entries, its state subscription); the status item and panel carry on. */
  private endSession(session: Session): void {
    session.subscription.dispose();
    session.problems.clear();
    session.problems.dispose();
  }
}

/** True while the preview's process runs (`hasEnded` is already true when the final state event fires). */
function isLive(preview: Preview): boolean {
  return !preview.hasEnded;
}
