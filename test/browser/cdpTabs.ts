/**
 * Tabs of one Chromium window, driven over the DevTools protocol directly. Playwright's pages all
 * report `visibilityState` 'visible' (each is its own window), so a test about background tabs
 * needs real tabs: `Target.createTarget` in the same window, `Target.activateTarget` to bring
 * one to the front (the others become hidden, as for a user switching tabs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../chromium.mjs';

/** The part of `ws`'s WebSocket used here. */
interface Socket {
  on(event: 'message', listener: (data: Buffer) => void): void;
  once(event: 'open' | 'error', listener: (err?: Error) => void): void;
  send(text: string): void;
  close(): void;
}
// playwright-core bundles `ws`; Node 20's WebSocket is still behind a flag.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ws: WebSocket } = require('playwright-core/lib/utilsBundle') as {
  ws: new (url: string, options: { perMessageDeflate: boolean }) => Socket;
};

interface CdpReply {
  id?: number;
  result?: Record<string, unknown>;
  error?: { message: string };
}

export interface Tab {
  targetId: string;
  sessionId: string;
}

export class ChromiumTabs {
  private nextId = 0;
  private readonly pending = new Map<number, (reply: CdpReply) => void>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly socket: Socket,
    private readonly profile: string,
  ) {
    socket.on('message', (data) => {
      const reply = JSON.parse(data.toString()) as CdpReply;
      if (reply.id !== undefined) {
        this.pending.get(reply.id)?.(reply);
        this.pending.delete(reply.id);
      }
    });
  }

  static async launch(): Promise<ChromiumTabs> {
    const profile = await mkdtemp(path.join(os.tmpdir(), 'preview-host-tabs-'));
    const child = spawn(
      CHROMIUM_EXECUTABLE,
      [...CHROMIUM_ARGS, '--headless', '--remote-debugging-port=0', `--user-data-dir=${profile}`, '--window-size=1100,640', 'about:blank'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    // Never outlive the test run, even when it ends before close().
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    const endpoint = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stderr! });
      lines.on('line', (line) => {
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(line);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`chromium exited with ${code} before its DevTools endpoint`)));
    });
    const socket = new WebSocket(endpoint, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new ChromiumTabs(child, socket, profile);
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (reply) => (reply.error ? reject(new Error(`${method}: ${reply.error.message}`)) : resolve(reply.result ?? {})));
      this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  /** A new tab of the window, opened in the background (as with a middle click). */
  async open(url: string): Promise<Tab> {
    const { targetId } = (await this.send('Target.createTarget', { url, newWindow: false, background: true })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    return { targetId, sessionId };
  }

  /** Brings the tab to the front; the one that was there becomes hidden. */
  async activate(tab: Tab): Promise<void> {
    await this.send('Target.activateTarget', { targetId: tab.targetId });
  }

  /** The value of `expression` (a promise is awaited) in the tab's page. */
  async evaluate<T>(tab: Tab, expression: string): Promise<T> {
    const res = (await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, tab.sessionId)) as {
      result: { value?: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (res.exceptionDetails) throw new Error(`${expression}: ${res.exceptionDetails.exception?.description ?? res.exceptionDetails.text}`);
    return res.result.value as T;
  }

  /** Polls `expression` in the tab until it is truthy. */
  async waitFor(tab: Tab, expression: string, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.evaluate<boolean>(tab, `!!(${expression})`).catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async screenshot(tab: Tab, file: string): Promise<void> {
    const { data } = (await this.send('Page.captureScreenshot', { format: 'png' }, tab.sessionId)) as { data: string };
    await writeFile(file, Buffer.from(data, 'base64'));
  }

  async close(): Promise<void> {
    this.socket.close();
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await exited;
    }
    // Chromium's helpers can still be writing into the profile just after the browser exits.
    await rm(this.profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }
}
