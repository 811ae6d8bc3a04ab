/** `previewHost.restart` / `--restart`: what happens when the app's process fails. */
export type RestartMode = 'never' | 'on-failure';
export const RESTART_MODES: readonly RestartMode[] = ['never', 'on-failure'];

/** The mode a setting or flag names; undefined for anything else (the caller says what was wrong). */
export function parseRestartMode(value: unknown): RestartMode | undefined {
  return RESTART_MODES.find((mode) => mode === value);
}

/** The policy's timings; tests inject short ones, the product runs with DEFAULT_RESTART_LIMITS. */
export interface RestartLimits {
  /** Delay before the first restart; doubled at each failure in a row. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A run that was up this long before failing starts the doubling over. */
  resetAfterMs: number;
  /** This many failures within `failureWindowMs` is a crash loop: no more restarts. */
  maxFailures: number;
  failureWindowMs: number;
}

export const DEFAULT_RESTART_LIMITS: RestartLimits = {
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  resetAfterMs: 60_000,
  maxFailures: 5,
  failureWindowMs: 120_000,
};

/** After a failure: start attempt `attempt` in `delayMs`, or stop for good because of `reason`. */
export type RestartDecision = { restart: true; attempt: number; delayMs: number } | { restart: false; reason: string };

/** Whether an exit counts as a failure: a non-zero code, or a signal the host did not send. */
export function isFailedExit(exitCode: number | null, signal: string | null, stopRequested: boolean): boolean {
  if (stopRequested) return false;
  return signal !== null || (exitCode !== null && exitCode !== 0);
}

/** `exit code 1`, `signal SIGSEGV`: how a failed run ended, for host lines and reasons. */
export function describeExit(exitCode: number | null, signal: string | null): string {
  return signal ? `signal ${signal}` : `exit code ${exitCode}`;
}

/**
 * Decides, on the times it is given, whether a failed run is restarted and after how long:
 * exponential backoff from `baseDelayMs` capped at `maxDelayMs`, reset by a run that stayed up
 * `resetAfterMs`, and a stop after `maxFailures` failures within `failureWindowMs`. Pure: the
 * caller owns the timer and the clock.
 */
export class RestartPolicy {
  readonly limits: RestartLimits;
  private startedAt = 0;
  /** Failures in a row since the last run that stayed up long enough. */
  private inARow = 0;
  private failures: number[] = [];

  constructor(limits: Partial<RestartLimits> = {}) {
    this.limits = { ...DEFAULT_RESTART_LIMITS, ...limits };
    for (const [key, value] of Object.entries(this.limits)) {
      if (!Number.isFinite(value) || value < (key === 'maxFailures' ? 1 : 0)) {
        throw new Error(`invalid restart limit ${key}: ${value} (expected a number ≥ ${key === 'maxFailures' ? 1 : 0})`);
      }
    }
  }

  /** A run's process was launched at `now`. */
  started(now: number): void {
    this.startedAt = now;
  }

  /** The run launched last failed at `now` (`how`: "exit code 1", plus what it said): restart it, or not. */
  failed(now: number, how: string): RestartDecision {
    const { baseDelayMs, maxDelayMs, resetAfterMs, maxFailures, failureWindowMs } = this.limits;
    this.failures = this.failures.filter((at) => now - at < failureWindowMs);
    this.failures.push(now);
    if (this.failures.length >= maxFailures) {
      return {
        restart: false,
        reason: `crashed ${this.failures.length} times in ${describeSpan(failureWindowMs)} (last: ${how}); not restarting`,
      };
    }
    if (now - this.startedAt >= resetAfterMs) this.inARow = 0;
    this.inARow++;
    const delayMs = Math.min(maxDelayMs, baseDelayMs * 2 ** (this.inARow - 1));
    return { restart: true, attempt: this.inARow, delayMs };
  }
}

/** `2 minutes`, `90 s`, `400 ms`. */
function describeSpan(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return ms === 60_000 ? '1 minute' : `${ms / 60_000} minutes`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
