// Runs the built CLI (`node dist/cli.js run --json …`) and lets a test wait for its JSON lines.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { CliBanner, LogLine, StatusEvent } from '../../src/shared/protocol';
import { CLI, REPO } from '../unit/helpers/build';

export type StatusLine = StatusEvent & { event: 'status' };

const DATA_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-frameworks-data-'));

/** In the environment of every CLI these tests start, and so of everything it starts. */
export const MARK_ENV = 'PREVIEW_HOST_TEST_MARK';
/** This test process's mark; each run adds `-<n>`. */
export const MARK_PREFIX = `${process.pid}-${crypto.randomUUID()}`;
let runs = 0;

export class CliRun {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  exitCode: number | null | undefined;
  exitSignal: NodeJS.Signals | null = null;
  readonly exited: Promise<number | null>;
  private waiters: (() => void)[] = [];
  /** The value of MARK_ENV in this run's processes. */
  readonly mark = `${MARK_PREFIX}-${++runs}`;

  constructor(readonly args: string[]) {
    this.child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO,
      env: { ...process.env, XDG_DATA_HOME: DATA_HOME, [MARK_ENV]: this.mark },
    }) as ChildProcessWithoutNullStreams;
    this.child.stdout.setEncoding('utf8').on('data', (c: string) => ((this.stdout += c), this.wake()));
    this.child.stderr.setEncoding('utf8').on('data', (c: string) => ((this.stderr += c), this.wake()));
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        this.wake();
        resolve(code);
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Every complete stdout line that is JSON (the banner, then statuses and other events). */
  get jsonLines(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const line of this.stdout.split('\n').slice(0, -1)) {
      try {
        out.push(JSON.parse(line));
      } catch {
        // not JSON: left for the failure message
      }
    }
    return out;
  }

  get statuses(): StatusLine[] {
    return this.jsonLines.filter((l) => l.event === 'status') as unknown as StatusLine[];
  }

  /** What the run printed, for failure messages. */
  transcript(): string {
    const code = this.exitCode === undefined ? 'still running' : `exited ${this.exitSignal ?? this.exitCode}`;
    return `\`node dist/cli.js ${this.args.join(' ')}\` (${code})\n--- stdout:\n${this.stdout.slice(-4000)}\n--- stderr:\n${this.stderr.slice(-4000)}`;
  }

  /** Resolves with `test()`'s first truthy value; rejects on timeout or when the CLI exits first. */
  until<T>(what: string, test: () => T | undefined | false, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const t0 = Date.now();
      const check = (): boolean => {
        const value = test();
        if (value) {
          clearTimeout(timer);
          resolve(value);
          return true;
        }
        if (this.exitCode !== undefined) {
          clearTimeout(timer);
          reject(new Error(`the CLI exited before ${what} (after ${Date.now() - t0} ms)\n${this.transcript()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no ${what} within ${timeoutMs} ms\n${this.transcript()}`));
      }, timeoutMs);
      const waiter = () => {
        if (check()) this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      if (!check()) this.waiters.push(waiter);
    });
  }

  banner(timeoutMs = 15_000): Promise<CliBanner> {
    return this.until(
      'banner line',
      () => {
        const first = this.jsonLines[0];
        return first && 'token' in first ? (first as unknown as CliBanner) : undefined;
      },
      timeoutMs,
    );
  }

  /** The first `ready` status; rejects at once on `failed`/`exited`, naming the reason. */
  async ready(timeoutMs: number): Promise<StatusLine> {
    const status = await this.until(
      'ready status',
      () => this.statuses.find((s) => s.state === 'ready' || s.state === 'failed' || s.state === 'exited' || s.state === 'stopped'),
      timeoutMs,
    );
    if (status.state !== 'ready') {
      throw new Error(
        `the preview went ${status.state} instead of ready (${status.reason ?? `code ${status.exitCode}, signal ${status.signal}`})\n${this.transcript()}`,
      );
    }
    return status;
  }

  /** SIGKILLs the CLI if it still runs (after() hooks). */
  kill(): void {
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

export interface HttpAnswer {
  status: number;
  body: string;
}

export function httpGet(url: string, timeoutMs = 10_000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(new Error(`GET ${url}: ${err.message}`)));
  });
}

/** Resolves with the error code of a TCP connect (e.g. ECONNREFUSED), or 'connected'. */
export function tryConnect(host: string, port: number, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: string) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done('timeout'));
    socket.once('connect', () => done('connected'));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

export async function logLines(banner: CliBanner): Promise<LogLine[]> {
  const answer = await httpGet(`${banner.apiBase}/previews/${encodeURIComponent(banner.previewId)}/logs?token=${banner.token}`);
  if (answer.status !== 200) throw new Error(`GET logs: ${answer.status} ${answer.body}`);
  return (JSON.parse(answer.body) as { lines: LogLine[] }).lines;
}
