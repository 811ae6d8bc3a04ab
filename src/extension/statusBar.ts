import * as vscode from 'vscode';
import { portOfUrl, type StatusEvent } from '../shared/protocol';

/**
 * Status bar text for a preview's state: starting (spinning) / ready on :port / exited / failed.
 * `appUrl` is where the app really serves (it may have ignored the chosen `port`).
 */
export function statusText(
  name: string,
  status: StatusEvent,
  port: number,
  appUrl?: string,
): { text: string; tooltip: string; error: boolean } {
  switch (status.state) {
    case 'starting':
      return { text: `$(loading~spin) ${name}: starting`, tooltip: `Starting ${name} on port ${port}…`, error: false };
    case 'ready': {
      const url = status.appUrl ?? appUrl ?? `http://127.0.0.1:${port}/`;
      return {
        text: `$(pass-filled) ${name} :${portOfUrl(url) ?? port}`,
        tooltip: `${name} is ready on ${url} — click for logs`,
        error: false,
      };
    }
    case 'exited':
      return {
        text: `$(error) ${name}: exited (${status.signal ?? status.exitCode})`,
        tooltip: `${name} exited with ${status.signal ? `signal ${status.signal}` : `code ${status.exitCode}`} — click for logs`,
        error: status.exitCode !== 0,
      };
    case 'restarting': {
      const seconds = Math.round((status.delayMs ?? 0) / 1000);
      return {
        text: `$(sync~spin) ${name}: restarting`,
        tooltip: `${name} crashed; restart attempt ${status.attempt ?? 1} in ${seconds} s — click for logs`,
        error: true,
      };
    }
    case 'stopped':
      return { text: `$(debug-stop) ${name}: stopped`, tooltip: `${name} was stopped — click for logs`, error: false };
    case 'failed':
      return {
        text: `$(error) ${name}: failed`,
        tooltip: `${name} failed: ${status.reason ?? 'unknown reason'} — click for logs`,
        error: true,
      };
  }
}

/** One status bar item per preview; clicking it shows that preview's logs. */
export class PreviewStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private errors?: string;
  private last?: { status: StatusEvent; port: number; appUrl?: string };

  constructor(
    previewKey: string,
    private readonly name: string,
  ) {
    this.item = vscode.window.createStatusBarItem(`previewHost.status.${previewKey}`, vscode.StatusBarAlignment.Left, 50);
    this.item.name = `Preview: ${name}`;
    this.item.command = { command: 'previewHost.showLogs', title: 'Show Preview Logs', arguments: [previewKey] };
    this.item.show();
  }

  update(status: StatusEvent, port: number, appUrl?: string): void {
    this.last = { status, port, appUrl };
    const t = statusText(this.name, status, port, appUrl);
    this.item.text = t.text;
    // The run's errors (issue 11), e.g. "2 errors · 1 new", on a line of their own.
    this.item.tooltip = this.errors === undefined ? t.tooltip : `${t.tooltip}\n${this.errors}`;
    this.item.backgroundColor = t.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  /** Says the run's errors in the tooltip ("2 errors · 1 new"); undefined: none (a new run starts clean). */
  setErrors(text: string | undefined): void {
    this.errors = text;
    if (this.last) this.update(this.last.status, this.last.port, this.last.appUrl);
  }

  dispose(): void {
    this.item.dispose();
  }
}
