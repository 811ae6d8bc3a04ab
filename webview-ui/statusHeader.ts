/**
 * The status header: command, process state, app port, uptime, line count, "Open app" and the
 * connection state. Owns its elements and its uptime timer.
 */
import { portOfUrl, type PreviewInfo, type StatusEvent } from '../src/shared/protocol';
import type { TerminalMode } from '../src/shared/webviewProtocol';
import { h, setText } from './dom';
import { describeState, formatCount, formatDuration, isRunning } from './format';
import type { ConnectionState } from './stream';

type Status = Pick<StatusEvent, 'state' | 'exitCode' | 'signal' | 'reason'> & { ts?: string };

export interface StatusHeaderOptions {
  mode: TerminalMode;
  /** Shown until the preview's command is known. */
  title?: string;
  /** In VS Code the app opens through the extension; in a browser the link opens it. */
  openExternal(url: string): void;
  /** Told the preview's details each time they arrive (the run views find the run by them). */
  onPreview?(info: PreviewInfo): void;
}

export class StatusHeader {
  readonly element: HTMLElement;
  private command: string | undefined;
  private port: number | undefined;
  /** Where the app really serves (it may ignore the chosen port), once known. */
  private appUrl: string | undefined;
  private startedAt: string | undefined;
  private status: Status | undefined;
  private readonly timer: ReturnType<typeof setInterval>;

  private readonly dot = h('span', { class: 'state-dot', 'aria-hidden': 'true' });
  private readonly titleEl = h('span', { class: 'title' });
  private readonly stateEl = h('span', { class: 'state' });
  private readonly portEl = h('span', { class: 'meta port' });
  private readonly uptimeEl = h('span', { class: 'meta uptime' });
  private readonly linesEl = h('span', { class: 'meta lines' });
  private readonly openApp = h('a', { class: 'open-app', hidden: true }, 'Open app ↗');
  private readonly connEl = h('span', { class: 'conn', 'data-conn': 'connecting' }, 'connecting…');
  private readonly spacer = h('span', { class: 'spacer' });

  constructor(private readonly opts: StatusHeaderOptions) {
    this.command = opts.title;
    this.element = h(
      'header',
      { class: 'header' },
      this.dot,
      this.titleEl,
      this.stateEl,
      this.portEl,
      this.uptimeEl,
      this.linesEl,
      this.openApp,
      this.spacer,
      this.connEl,
    );
    this.openApp.addEventListener('click', (e) => {
      if (opts.mode === 'vscode') {
        e.preventDefault();
        opts.openExternal(this.openApp.href);
      }
    });
    this.timer = setInterval(() => this.updateUptime(), 1000);
    this.update();
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  /** More header items (the error and request summaries), after the run's details. */
  addItems(...items: HTMLElement[]): void {
    this.spacer.before(...items);
  }

  /** A `status` event from the stream. */
  setStatus(status: StatusEvent): void {
    this.status = status;
    if (typeof status.appUrl === 'string') this.appUrl = status.appUrl;
    this.update();
  }

  /** The preview's details, from `GET /api/previews` or the extension. */
  setPreview(info: PreviewInfo): void {
    this.command =
      typeof info.displayCommand === 'string' && info.displayCommand
        ? info.displayCommand
        : Array.isArray(info.command)
          ? info.command.join(' ')
          : String(info.command ?? '');
    this.port = typeof info.port === 'number' ? info.port : undefined;
    this.appUrl = typeof info.appUrl === 'string' ? info.appUrl : undefined;
    this.startedAt = info.startedAt;
    // A snapshot can be older than the stream's last status: only take its state when it differs.
    if (this.status?.state !== info.state) {
      this.status = { state: info.state, exitCode: info.exitCode, signal: info.signal, reason: info.reason ?? undefined };
    }
    this.update();
    this.opts.onPreview?.(info);
  }

  /** Another run: forget what was known about the last one. */
  reset(title?: string): void {
    this.command = title ?? this.command;
    this.port = undefined;
    this.appUrl = undefined;
    this.startedAt = undefined;
    this.status = undefined;
    this.update();
  }

  /** A past run read from history: no stream, no process. */
  showPastRun(title?: string): void {
    this.reset(title);
    this.connEl.dataset.conn = 'history';
    setText(this.connEl, 'history · read-only');
    this.connEl.title = 'A past run, read from the history';
  }

  setConnection(state: ConnectionState, detail?: string): void {
    this.connEl.dataset.conn = state;
    const text = { open: 'live', reconnecting: 'reconnecting…', connecting: 'connecting…', paused: 'paused while hidden' };
    setText(this.connEl, text[state]);
    this.connEl.title = detail ? `Last error: ${detail}` : '';
  }

  /** Lines the process has written so far (the highest seq). */
  setLineCount(n: number): void {
    setText(this.linesEl, `${formatCount(n)} ${n === 1 ? 'line' : 'lines'}`);
  }

  private update(): void {
    const { command, status } = this;
    const app = this.appAddress();
    const port = app?.port ?? this.port;
    setText(this.titleEl, command || 'Preview');
    this.titleEl.title = command ?? '';
    const state = status?.state ?? 'unknown';
    this.dot.dataset.state = state;
    this.stateEl.dataset.state = state;
    setText(this.stateEl, status ? describeState(status) : '');
    setText(this.portEl, app ? app.url : port ? `port ${port}` : '');
    this.portEl.title = app ? 'Where the app serves, as it said while starting' : '';
    if (port && (state === 'ready' || state === 'starting')) {
      this.openApp.href = app?.url ?? this.onPageHost(`http://localhost:${port}/`);
      if (this.opts.mode === 'browser') {
        this.openApp.target = '_blank';
        this.openApp.rel = 'noopener noreferrer';
      }
      this.openApp.hidden = false;
    } else {
      this.openApp.hidden = true;
    }
    this.updateUptime();
  }

  /** The app's URL with its port, when the host has learned it. */
  private appAddress(): { url: string; port: number } | undefined {
    const port = this.appUrl ? portOfUrl(this.appUrl) : undefined;
    return port === undefined ? undefined : { url: this.onPageHost(this.appUrl!), port };
  }

  /** In a browser the app is on the machine serving this page; in VS Code on the loopback it names. */
  private onPageHost(url: string): string {
    if (this.opts.mode !== 'browser' || !location.hostname) return url;
    const u = new URL(url);
    u.hostname = location.hostname;
    return u.toString();
  }

  private updateUptime(): void {
    const start = this.startedAt ? Date.parse(this.startedAt) : NaN;
    if (Number.isNaN(start)) return setText(this.uptimeEl, '');
    const running = this.status ? isRunning(this.status.state) : true;
    const end = running || !this.status?.ts ? Date.now() : Date.parse(this.status.ts);
    setText(this.uptimeEl, `${running ? 'up' : 'ran'} ${formatDuration(end - start)}`);
  }
}
