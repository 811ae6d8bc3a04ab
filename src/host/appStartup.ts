import { learnAppUrl, saysPortInUse, type LearnedUrl } from './appUrl';
import type { Clock } from '../common/clock';
import { Emitter, type Disposable } from '../common/disposable';
import { stripAnsi } from '../shared/ansi';
import type { ReadyCheck } from './preview';
import { hostInUrl, waitForReady, type ReadyResult } from './readiness';

export interface AppStartupOptions {
  check: ReadyCheck;
  clock: Clock;
  /** Per launch; default 60 s. */
  timeoutMs?: number;
  /** Ready; also after `onFail`, when the app came up late. */
  onReady(appUrl: string): void;
  /** Not ready by the deadline; probing goes on for LATE_READY_MS in case it comes up late. */
  onFail(reason: string): void;
  /** The app said its port is taken and neither exited nor moved: stop its tree (the exit decides what next). */
  onStuckOnTakenPort(): void;
}

// After "port in use", how long the app gets to exit or move to another port by itself (Vite and
// Next move) before its tree is stopped: a reloader such as nodemon stays up with nothing bound.
const PORT_IN_USE_SETTLE_MS = 2000;
// A collision this soon after launch counts even when a probe already said ready: what answered
// may be the process that holds the port.
const COLLISION_WINDOW_MS = 15_000;
// After the ready timeout the app may still come up (Django's reloader waits for the fix of a
// startup error, then serves): keep probing this long, at the probe's slowest pace, and turn ready.
export const LATE_READY_MS = 30 * 60_000;

/**
 * Finds out where a starting app serves and when it is ready. The URL it prints (ANSI stripped)
 * beats the chosen port, because many tools ignore `$PORT`; without one, the chosen port is probed
 * on both loopback families. It also notices when the app says its port is taken.
 */
export class AppStartup implements Disposable {
  private port = 0;
  private learned?: LearnedUrl;
  /** After a reloader's crash: the URL it had, which one it prints when it restarts replaces. */
  private relearn = false;
  /**
   * After a reloader's crash: an accepted connection is not enough, the app must answer HTTP (uvicorn's
   * reloader holds the listening socket while its worker is dead).
   */
  private afterCrash = false;
  private url?: string;
  private deadline = 0;
  private launchedAt = 0;
  private probing = false;
  /** Past the ready timeout, still probing for a late start. */
  private late = false;
  private probeAbort?: AbortController;
  private readonly stopped = new AbortController();
  /** Bumped at each launch: a probe of an earlier launch's port says nothing about this one. */
  private launches = 0;
  private portInUse?: { line: string; timer: unknown };
  private readonly lineEmitter = new Emitter<string>();

  constructor(private readonly options: AppStartupOptions) {}

  private get isReady(): boolean {
    return this.url !== undefined;
  }

  /** The URL the app serves on, once ready. */
  get appUrl(): string | undefined {
    return this.url;
  }

  /**
   * The app's own reloader will start it again (nodemon after a crash): wait for it as long as for a
   * late start, with no failure at the ready timeout. It comes back where it was unless it says
   * otherwise (uvicorn's reloader prints its URL once, at the start).
   */
  awaitRestart(): void {
    this.launched(this.port, { learned: this.learned });
  }

  /**
   * The app was (re)started on `port`: wait for it there, with a fresh deadline. After a crash its
   * reloader restarts it by itself, at the URL it had (`learned`) unless it says another.
   */
  launched(port: number, afterCrash?: { learned: LearnedUrl | undefined }): void {
    const restartedByItself = afterCrash !== undefined;
    const learned = afterCrash?.learned;
    const { clock } = this.options;
    this.port = port;
    this.launches++;
    this.late = restartedByItself;
    this.url = undefined;
    this.learned = learned;
    this.relearn = learned !== undefined;
    this.afterCrash = restartedByItself;
    this.clearPortInUse();
    this.launchedAt = clock.now();
    this.deadline = clock.now() + (restartedByItself ? LATE_READY_MS : (this.options.timeoutMs ?? 60_000));
    if (this.probing) this.probeAbort?.abort();
    else void this.probe();
  }

  /** Whether output lines still matter: while starting, and just after ready (see COLLISION_WINDOW_MS). */
  get watching(): boolean {
    if (this.stopped.signal.aborted) return false;
    return !this.isReady || this.options.clock.now() - this.launchedAt < COLLISION_WINDOW_MS;
  }

  /** A line the app wrote (ANSI kept). */
  watch(text: string): void {
    if (!this.watching) return;
    const plain = stripAnsi(text);
    if (!this.isReady) {
      this.lineEmitter.fire(text);
      const learned = learnAppUrl(plain);
      // A URL after "port in use" is where the app moved (Vite, Next); Django prints its URL
      // before it binds, so a complaint after the URL still counts.
      if (learned && (!this.learned || this.portInUse || this.relearn)) {
        this.learned = learned;
        this.relearn = false;
        this.clearPortInUse();
        if (this.options.check.kind !== 'line') this.probeAbort?.abort(); // probe where it said it is
        return;
      }
    }
    if (!this.portInUse && saysPortInUse(plain)) {
      // Once ready, only an exit counts: a serving app may mention some other busy port.
      const timer = this.isReady
        ? undefined
        : this.options.clock.setTimeout(() => {
            if (this.portInUse) this.options.onStuckOnTakenPort();
          }, PORT_IN_USE_SETTLE_MS);
      this.portInUse = { line: plain.trim(), timer };
    }
  }

  /** The line in which the app said its port is taken, if it did and did not recover; clears it. */
  takePortInUse(): string | undefined {
    const line = this.watching ? this.portInUse?.line : undefined;
    this.clearPortInUse();
    return line;
  }

  /** No more probing or watching (the app exited or was stopped). */
  stop(): void {
    this.stopped.abort();
    this.clearPortInUse();
  }

  dispose(): void {
    this.stop();
    this.lineEmitter.dispose();
  }

  private clearPortInUse(): void {
    if (this.portInUse?.timer !== undefined) this.options.clock.clearTimeout(this.portInUse.timer);
    this.portInUse = undefined;
  }

  private async probe(): Promise<void> {
    const { check, clock } = this.options;
    if (check.kind === 'none') return;
    this.probing = true;
    try {
      for (;;) {
        if (this.stopped.signal.aborted) return;
        const attempt = new AbortController();
        const launch = this.launches;
        this.probeAbort = attempt;
        const abort = (): void => attempt.abort();
        this.stopped.signal.addEventListener('abort', abort, { once: true });
        const target = this.learned ?? { port: this.port, hosts: ['127.0.0.1', '::1'], url: undefined };
        let result: ReadyResult;
        try {
          result = await waitForReady({
            probe:
              check.kind === 'line'
                ? { kind: 'line', pattern: new RegExp(check.pattern), lines: this.lineEmitter.event }
                : check.kind === 'http'
                  ? { kind: 'http', port: target.port, hosts: target.hosts, path: check.path }
                  : this.afterCrash
                    ? { kind: 'http', port: target.port, hosts: target.hosts, path: '/', anyStatus: true }
                    : { kind: 'tcp', port: target.port, hosts: target.hosts },
            timeoutMs: Math.max(1, this.deadline - clock.now()),
            signal: attempt.signal,
            clock,
          });
        } catch (err) {
          result = { ready: false, reason: (err as Error).message };
        } finally {
          this.stopped.signal.removeEventListener('abort', abort);
        }
        if (this.stopped.signal.aborted) return;
        // A success stands even if a new target came in meanwhile (the line that matched may be
        // the one that named it); only a failure of an abandoned target is retried.
        if ((!result.ready && attempt.signal.aborted) || launch !== this.launches) continue;
        if (result.ready) {
          this.url = this.learned?.url ?? loopbackUrl(result.host, this.port);
          this.options.onReady(this.url);
          return;
        }
        if (this.late) return; // still not up after LATE_READY_MS more
        this.options.onFail(result.reason);
        this.late = true;
        this.deadline = clock.now() + LATE_READY_MS;
      }
    } finally {
      this.probing = false;
    }
  }
}

/** The chosen port's URL on the address that answered: `127.0.0.1`, or `[::1]` when only IPv6 did. */
function loopbackUrl(host: string | undefined, port: number): string {
  return `http://${hostInUrl(host ?? '127.0.0.1')}:${port}/`;
}
