import type { StreamName } from '../shared/protocol';
import type { Clock } from '../common/clock';
import type { Disposable } from '../common/disposable';
import { AppStartup } from './appStartup';
import { ChildProcessRunner, type ExitInfo, type SpawnFn } from './childProcess';
import type { PreviewSpec } from './previewSpec';

export interface LaunchOptions {
  spec: PreviewSpec;
  port: number;
  clock: Clock;
  spawn?: SpawnFn;
  /** The ring's next seq: this launch's lines start there. */
  firstSeq: number;
  output(stream: StreamName, chunk: Buffer): void;
  /** The command could not be started (not found, not executable, bad cwd). */
  spawnError(err: Error): void;
  exit(info: ExitInfo): void;
  ready(appUrl: string): void;
  readyFailed(reason: string): void;
}

/**
 * One spawn of a preview's command on one port (the first, one after a port collision, one per
 * restart after a crash): its process tree and the check that the app is up. A new launch gets a
 * fresh readiness check; the preview keeps its ring, state and history across launches.
 */
export class Launch implements Disposable {
  readonly runner: ChildProcessRunner;
  readonly startup: AppStartup;
  /** The command with `{port}` filled in. */
  readonly command: string[];
  readonly port: number;
  readonly firstSeq: number;

  constructor(options: LaunchOptions) {
    const { spec, port } = options;
    this.port = port;
    this.firstSeq = options.firstSeq;
    this.command = spec.command.map((part) => part.replaceAll('{port}', String(port)));
    this.runner = new ChildProcessRunner({
      command: this.command,
      cwd: spec.cwd,
      env: { PYTHONUNBUFFERED: '1', FORCE_COLOR: '1', ...spec.env, PORT: String(port) },
      graceMs: spec.graceMs,
      spawn: options.spawn,
    });
    this.runner.onStdout((chunk) => options.output('stdout', chunk));
    this.runner.onStderr((chunk) => options.output('stderr', chunk));
    this.runner.onError(options.spawnError);
    this.runner.onExit(options.exit);
    this.startup = new AppStartup({
      check: spec.ready ?? { kind: 'tcp' },
      clock: options.clock,
      timeoutMs: spec.readyTimeoutMs,
      onReady: options.ready,
      onFail: options.readyFailed,
      onStuckOnTakenPort: () => void this.runner.stop(), // its exit then retries or fails
    });
  }

  /** Spawns the process and starts waiting for the app on this launch's port. */
  start(): void {
    this.runner.start();
    this.startup.launched(this.port);
  }

  /** Stops the readiness check and the whole process tree; resolves once the group is gone. */
  stop(): Promise<void> {
    this.startup.stop();
    return this.runner.stop();
  }

  dispose(): void {
    this.startup.dispose();
    this.runner.dispose();
  }
}
