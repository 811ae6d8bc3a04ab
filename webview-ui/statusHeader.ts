/**
 * The status header: command, process state, app port, uptime, line count, "Open app" and the
 * connection state. Owns its elements and its uptime timer.
 */
import type { PreviewInfo, StatusEvent } from '../src/shared/protocol';
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
}

export class StatusHeader {
  readonly element: HTMLElement;
  private command: string | undefined;
  private port: number | undefined;
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
      h('span', { class: 'spacer' }),
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

  /** A `status` event from the stream. */
  setStatus(status: StatusEvent): void {
    this.status = status;
    this.update();
  }

  /** The preview's details, from `GET /api/previews` or the extension. */
  setPreview(info: PreviewInfo): void {
    this.command = Array.isArray(info.command) ? info.command.join(' ') : String(info.command ?? '');
    this.port = typeof info.port === 'number' ? info.port : undefined;
    this.startedAt = info.startedAt;
    // A snapshot can be older than the stream's last status: only take its state when it differs.
    if (this.status?.state !== info.state) {
      this.status = { state: info.state, exitCode: info.exitCode, signal: info.signal, reason: info.reason ?? undefined };
    }
    this.update();
  }

  /** Another run: forget what was known about the last one. */
  reset(title?: string): void {
    this.command = title ?? this.command;
    this.port = undefined;
    this.startedAt = undefined;
    this.status = undefined;
    this.update();
  }

  setConnection(state: ConnectionState, detail?: string): void {
    this.connEl.dataset.conn = state;
    setText(this.connEl, state === 'open' ? 'live' : state === 'reconnecting' ? 'reconnecting…' : 'connecting…');
    this.connEl.title = detail ? `Last error: ${detail}` : '';
  }

  /** Lines the process has written so far (the highest seq). */
  setLineCount(n: number): void {
    setText(this.linesEl, `${formatCount(n)} ${n === 1 ? 'line' : 'lines'}`);
  }

  private update(): void {
    const { command, port, status } = this;
    setText(this.titleEl, command || 'Preview');
    this.titleEl.title = command ?? '';
    const state = status?.state ?? 'unknown';
    this.dot.dataset.state = state;
    this.stateEl.dataset.state = state;
    setText(this.stateEl, status ? describeState(status) : '');
    setText(this.portEl, port ? `port ${port}` : '');
    if (port && (state === 'ready' || state === 'starting')) {
      // In a browser the app is on the machine serving this page; in VS Code on localhost.
      const host = this.opts.mode === 'browser' && location.hostname ? location.hostname : 'localhost';
      this.openApp.href = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
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

  private updateUptime(): void {
    const start = this.startedAt ? Date.parse(this.startedAt) : NaN;
    if (Number.isNaN(start)) return setText(this.uptimeEl, '');
    const running = this.status ? isRunning(this.status.state) : true;
    const end = running || !this.status?.ts ? Date.now() : Date.parse(this.status.ts);
    setText(this.uptimeEl, `${running ? 'up' : 'ran'} ${formatDuration(end - start)}`);
  }
}
