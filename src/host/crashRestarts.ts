import type { LogLine } from '../shared/protocol';
import { stripAnsi } from '../shared/ansi';
import type { Clock } from '../common/clock';
import type { Disposable } from '../common/disposable';
import { describeExit, RestartPolicy, type RestartDecision, type RestartLimits } from './restartPolicy';

/** What to do after a failed exit, with the host line that says so. */
export type CrashOutcome = RestartDecision & { hostLine: string };

/**
 * `restart: on-failure` for one preview: the policy on the preview's clock, and the one pending
 * restart timer (Stop and dispose cancel it).
 */
export class CrashRestarts implements Disposable {
  private readonly policy: RestartPolicy;
  private timer?: unknown;

  constructor(
    private readonly clock: Clock,
    limits?: Partial<RestartLimits>,
  ) {
    this.policy = new RestartPolicy(limits);
  }

  /** True while a restart waits for its delay. */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** A launch's process started now. */
  launched(): void {
    this.policy.started(this.clock.now());
  }

  /** The launch failed; `said` is what it printed (its error is quoted in a crash loop's reason). */
  failed(exitCode: number | null, signal: string | null, said: readonly LogLine[]): CrashOutcome {
    const error = lastErrorText(said);
    const decision = this.policy.failed(this.clock.now(), describeExit(exitCode, signal) + (error ? `: ${error}` : ''));
    if (!decision.restart) return { ...decision, hostLine: decision.reason };
    const hostLine = `${describeExit(exitCode, signal)}; restarting in ${decision.delayMs / 1000} s (attempt ${decision.attempt})`;
    return { ...decision, hostLine };
  }

  /** Runs `relaunch` once `delayMs` have passed, unless cancelled first. */
  schedule(delayMs: number, relaunch: () => void): void {
    this.cancel();
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      relaunch();
    }, delayMs);
  }

  /** Drops a pending restart; true if there was one. */
  cancel(): boolean {
    if (this.timer === undefined) return false;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    return true;
  }

  dispose(): void {
    this.cancel();
  }
}

/** The last ERROR line a launch printed (else its last stderr line), ANSI removed and shortened; host lines skipped. */
export function lastErrorText(lines: readonly LogLine[]): string | undefined {
  let stderr: LogLine | undefined;
  let error: LogLine | undefined;
  for (let i = lines.length - 1; i >= 0 && !error; i--) {
    const line = lines[i];
    if (line.text.startsWith('[preview-host] ') || stripAnsi(line.text).trim() === '') continue;
    if (line.level === 'ERROR') error = line;
    else stderr ??= line.stream === 'stderr' ? line : undefined;
  }
  const text = (error ?? stderr) && stripAnsi((error ?? stderr)!.text).trim();
  return text && (text.length > 200 ? `${text.slice(0, 200)}…` : text);
}
