import type { Clock } from '../common/clock';
import type { SpawnFn } from './childProcess';
import type { RunHistory } from './history';
import type { RedactOptions } from './redact';
import type { RestartLimits, RestartMode } from './restartPolicy';
import type { LogRingOptions } from './ring';

// What a preview runs and what it is given; Preview (preview.ts) re-exports these.

/** How to tell that the app is up. Default: its port accepts a TCP connection. */
export type ReadyCheck = { kind: 'tcp' } | { kind: 'http'; path: string } | { kind: 'line'; pattern: string } | { kind: 'none' };

/** What to run. `{port}` in the command is replaced by the app's port. */
export interface PreviewSpec {
  name?: string;
  command: string[];
  /** Shown to the user instead of `command` (e.g. the line a `/bin/sh -c` runs); default: command joined. */
  displayCommand?: string;
  cwd: string;
  env?: Record<string, string>;
  /** The app's port; a free one is picked when absent. */
  port?: number;
  ready?: ReadyCheck;
  readyTimeoutMs?: number;
  /** SIGTERM → SIGKILL delay on stop. */
  graceMs?: number;
  /** `on-failure`: a crash (non-zero exit, a signal the host did not send) starts it again. Default `never`. */
  restart?: RestartMode;
  /** Secrets masked before a line is kept or sent (default on); a bad extra pattern throws a RedactPatternError. */
  redact?: RedactOptions;
}

export interface PreviewOptions {
  id: string;
  spec: PreviewSpec;
  clock?: Clock;
  ring?: LogRingOptions;
  history?: RunHistory;
  maxLineBytes?: number;
  /** Injected for tests; defaults to a free loopback port. */
  pickPort?: () => Promise<number>;
  /** Starts the process; injected for tests (a fake child), default cross-spawn in its own process group. */
  spawn?: SpawnFn;
  /** Backoff and crash-loop timings for `restart: on-failure`; default DEFAULT_RESTART_LIMITS. */
  restartLimits?: Partial<RestartLimits>;
}
