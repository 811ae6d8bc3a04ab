import * as http from 'node:http';
import * as net from 'node:net';
import { systemClock, type Clock } from '../common/clock';
import { toDisposable, type Disposable, type Event } from '../common/disposable';
import { assertValidPort } from './ports';

/**
 * What "ready" means: a port accepts connections, a URL answers 2xx/3xx (any status with
 * `anyStatus`: an HTTP server answers at all), or an output line matches.
 */
export type ReadyProbe =
  | { kind: 'tcp'; port: number; host?: string; hosts?: string[] }
  | { kind: 'http'; port: number; path: string; host?: string; hosts?: string[]; anyStatus?: boolean }
  | { kind: 'line'; pattern: RegExp; lines: Event<string> };

/**
 * Outcome of waitForReady; `after` is the ms from the call until the probe succeeded, `host` the
 * address that answered (tcp/http).
 */
export type ReadyResult = { ready: true; after: number; host?: string } | { ready: false; reason: string };

/** Options for waitForReady. */
export interface WaitForReadyOptions {
  probe: ReadyProbe;
  /** Give up after this long; default 60000. */
  timeoutMs?: number;
  signal?: AbortSignal;
  clock?: Clock;
  /** First pause between tcp/http attempts, doubled after each failure up to maxDelayMs; default 100. */
  initialDelayMs?: number;
  /** Default 2000. */
  maxDelayMs?: number;
}

const DEFAULT_HOST = '127.0.0.1';
// One attempt must not eat the whole budget when a server accepts but never answers.
const ATTEMPT_TIMEOUT_MS = 2000;

interface AttemptOutcome {
  ok: boolean;
  /** What happened, for the timeout reason: "connection refused", "HTTP 503", ... */
  detail: string;
}

/** Runs one attempt, calls `done` once unless disposed first; disposing frees its socket. */
type Attempt = (done: (outcome: AttemptOutcome & { host?: string }) => void) => Disposable;

/** Waits until `probe` succeeds, the timeout passes or `signal` aborts; never rejects once options are valid. */
export async function waitForReady(options: WaitForReadyOptions): Promise<ReadyResult> {
  const { probe, signal, clock = systemClock } = options;
  const timeoutMs = positive('timeoutMs', options.timeoutMs ?? 60_000);
  const initialDelayMs = positive('initialDelayMs', options.initialDelayMs ?? 100);
  const maxDelayMs = Math.max(initialDelayMs, positive('maxDelayMs', options.maxDelayMs ?? 2000));
  const attempt = probe.kind === 'line' ? undefined : attemptFor(probe);
  if (signal?.aborted) return { ready: false, reason: 'aborted' };

  const started = clock.now();
  const cleanups: Disposable[] = [];
  let current: Disposable | undefined; // the attempt in flight or the pause before the next one
  let last = 'no answer yet';
  let settled = false;

  return new Promise<ReadyResult>((resolve) => {
    const settle = (result: ReadyResult): void => {
      if (settled) return;
      settled = true;
      current?.dispose();
      for (const cleanup of cleanups) cleanup.dispose();
      resolve(result);
    };

    const onAbort = (): void => settle({ ready: false, reason: 'aborted' });
    signal?.addEventListener('abort', onAbort, { once: true });
    cleanups.push(toDisposable(() => signal?.removeEventListener('abort', onAbort)));

    const timer = clock.setTimeout(() => {
      const what = probe.kind === 'line' ? `no output line matched ${probe.pattern}` : `${describeTarget(probe)} (last: ${last})`;
      settle({ ready: false, reason: `not ready after ${formatMs(timeoutMs)}: ${what}` });
    }, timeoutMs);
    cleanups.push(toDisposable(() => clock.clearTimeout(timer)));

    const ready = (host?: string): void => settle({ ready: true, after: clock.now() - started, host });

    if (probe.kind === 'line') {
      const { pattern, lines } = probe;
      cleanups.push(
        lines((line) => {
          pattern.lastIndex = 0; // a /g or /y pattern would otherwise resume from the previous match
          if (pattern.test(line)) ready();
        }),
      );
    } else if (attempt) {
      let delayMs = initialDelayMs;
      const next = (): void => {
        current = attempt((outcome) => {
          if (settled) return;
          if (outcome.ok) return ready(outcome.host);
          last = outcome.detail;
          const pause = clock.setTimeout(next, delayMs);
          current = toDisposable(() => clock.clearTimeout(pause));
          delayMs = Math.min(delayMs * 2, maxDelayMs);
        });
      };
      next();
    }
  });
}

function attemptFor(probe: Exclude<ReadyProbe, { kind: 'line' }>): Attempt {
  const port = assertValidPort(probe.port);
  const one = (host: string): Attempt =>
    probe.kind === 'tcp'
      ? (done) => tryConnect(host, port, done)
      : (done) => tryGet(host, port, normalizePath(probe.path), probe.anyStatus === true, done);
  return anyOf(hostsOf(probe).map((host) => ({ host, attempt: one(host) })));
}

/**
 * Tries every address at once (an app bound to `localhost` may listen on ::1 only): succeeds with
 * the first that answers, in the probe's order of preference when several do; fails when all fail.
 */
function anyOf(targets: { host: string; attempt: Attempt }[]): Attempt {
  return (done) => {
    const outcomes: (AttemptOutcome | undefined)[] = targets.map(() => undefined);
    const finish = once(done);
    const decide = (): void => {
      const first = outcomes.findIndex((o) => o === undefined || o.ok);
      if (first !== -1 && outcomes[first]?.ok) return finish({ ...outcomes[first]!, host: targets[first].host });
      if (outcomes.every((o) => o !== undefined)) {
        finish({ ok: false, detail: [...new Set(outcomes.map((o) => o!.detail))].join(' / ') });
      }
    };
    const running = targets.map((t, i) =>
      t.attempt((outcome) => {
        outcomes[i] = outcome;
        decide();
      }),
    );
    return toDisposable(() => running.forEach((r) => r.dispose()));
  };
}

function hostsOf(probe: Exclude<ReadyProbe, { kind: 'line' }>): string[] {
  return probe.hosts?.length ? probe.hosts : [probe.host ?? DEFAULT_HOST];
}

function tryConnect(host: string, port: number, done: (outcome: AttemptOutcome) => void): Disposable {
  const socket = net.connect({ host, port });
  const finish = once((outcome: AttemptOutcome) => {
    socket.destroy();
    done(outcome);
  });
  socket.setTimeout(ATTEMPT_TIMEOUT_MS, () => finish({ ok: false, detail: `no connection within ${formatMs(ATTEMPT_TIMEOUT_MS)}` }));
  socket.once('connect', () => finish({ ok: true, detail: 'connected' }));
  socket.on('error', (err) => finish({ ok: false, detail: describeError(err) }));
  return toDisposable(() => socket.destroy());
}

function tryGet(host: string, port: number, path: string, anyStatus: boolean, done: (outcome: AttemptOutcome) => void): Disposable {
  // agent: false so no keep-alive socket outlives the attempt.
  const req = http.request({ host, port, path, method: 'GET', agent: false, headers: { connection: 'close' } });
  const finish = once((outcome: AttemptOutcome) => {
    req.destroy();
    done(outcome);
  });
  req.setTimeout(ATTEMPT_TIMEOUT_MS, () => finish({ ok: false, detail: `no answer within ${formatMs(ATTEMPT_TIMEOUT_MS)}` }));
  req.on('error', (err) => finish({ ok: false, detail: describeError(err) }));
  req.once('response', (res) => {
    res.on('error', () => undefined); // destroying mid-body may emit 'aborted' errors; the status is all we need
    const status = res.statusCode ?? 0;
    finish({ ok: anyStatus || (status >= 200 && status < 400), detail: `HTTP ${status}` });
    res.destroy();
  });
  req.end();
  return toDisposable(() => req.destroy());
}

function describeTarget(probe: Exclude<ReadyProbe, { kind: 'line' }>): string {
  const hostPort = hostsOf(probe)
    .map((host) => `${hostInUrl(host)}:${probe.port}`)
    .join(' or ');
  return probe.kind === 'tcp'
    ? `nothing accepted a connection on ${hostPort}`
    : `http://${hostPort}${normalizePath(probe.path)} did not answer${probe.anyStatus === true ? '' : ' 2xx/3xx'}`;
}

function describeError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    default:
      return err.code ?? err.message;
  }
}

function normalizePath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`invalid ${name}: ${value} (expected a number > 0)`);
  return value;
}

function once<T>(fn: (value: T) => void): (value: T) => void {
  let called = false;
  return (value) => {
    if (called) return;
    called = true;
    fn(value);
  };
}

/** An address as it stands in a URL or `host:port`: IPv6 in brackets. */
export function hostInUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
