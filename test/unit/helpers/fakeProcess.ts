import type { ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { SpawnFn, SpawnRequest } from '../../../src/host/childProcess';

/**
 * A child process stand-in whose output the test writes. It has no pid, so stopping it never
 * signals a real process group; `exit()` ends it as Node would ('exit', then 'close' once both
 * pipes were read to the end).
 */
export class FakeChild extends EventEmitter {
  readonly pid = undefined;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  /** True while `write` waits for the reader, as a child blocks on a full pipe. */
  waiting = false;

  constructor(readonly request: SpawnRequest) {
    super();
  }

  /** Writes `text` to stdout, waiting (like a blocking pipe write) while the reader is behind. */
  async write(text: string): Promise<void> {
    if (this.stdout.write(text)) return;
    this.waiting = true;
    this.emit('blocked');
    await once(this.stdout, 'drain');
    this.waiting = false;
  }

  /** Resolves once `write` waits on a full pipe (now, or at its next write). */
  blocked(): Promise<void> {
    return this.waiting ? Promise.resolve() : once(this, 'blocked').then(() => {});
  }

  exit(exitCode: number | null, signal: NodeJS.Signals | null = null): void {
    this.emit('exit', exitCode, signal);
    const ended = Promise.all([once(this.stdout, 'end'), once(this.stderr, 'end')]);
    this.stdout.end();
    this.stderr.end();
    void ended.then(() => this.emit('close', exitCode, signal));
  }
}

/** A SpawnFn that starts FakeChildren; `children` holds them in spawn order. */
export function fakeSpawn(): { spawn: SpawnFn; children: FakeChild[] } {
  const children: FakeChild[] = [];
  const spawn: SpawnFn = async (request) => {
    const child = new FakeChild(request);
    children.push(child);
    return { child: child as unknown as ChildProcess };
  };
  return { spawn, children };
}
