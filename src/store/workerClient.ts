import type { Worker } from 'node:worker_threads';
import type { AppendMessage, CallKind, StoreCalls, StoreTarget, WorkerEvent } from './messages';

interface Waiter {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** What the worker reports besides replies. */
export interface WorkerClientEvents {
  onNotice(message: string): void;
  onTarget(target: StoreTarget): void;
  /** The worker has handled an append message of `chars`. */
  onAppended(chars: number): void;
  onPersisted(bytes: number, ms: number): void;
  /** The worker died (crash, exit): no more calls will be answered. */
  onFailure(error: Error): void;
}

/**
 * The main-thread end of the store worker: numbered calls with typed replies. The worker keeps the
 * process alive only while a call is in flight, so an idle store never holds up exit.
 */
export class WorkerClient {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();
  private failure: Error | undefined;
  private terminating = false;

  constructor(
    private readonly worker: Worker,
    private readonly workerPath: string,
    private readonly events: WorkerClientEvents,
  ) {
    worker.unref();
    worker.on('message', (event: WorkerEvent) => this.onEvent(event));
    worker.on('error', (error: Error) => this.fail(new Error(`history store worker ${workerPath} failed: ${error.message}`)));
    worker.on('exit', (code: number) => {
      if (!this.terminating) this.fail(new Error(`history store worker ${workerPath} exited with code ${code}`));
    });
  }

  /** Calls the worker; replies come in call order. */
  call<K extends CallKind>(kind: K, args: StoreCalls[K]['args']): Promise<StoreCalls[K]['result']> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<StoreCalls[K]['result']>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      if (this.waiting.size === 1) this.worker.ref();
      this.worker.postMessage({ type: 'call', id, kind, args });
    });
  }

  /** Posts a batch of lines (no reply), moving `transfer` to the worker; false once the worker is gone. */
  post(message: AppendMessage, transfer: ArrayBuffer[]): boolean {
    if (this.failure) return false;
    this.worker.postMessage(message, transfer);
    return true;
  }

  /** Stops the worker thread. */
  async terminate(): Promise<void> {
    this.terminating = true;
    await this.worker.terminate();
    this.fail(new Error(`history store worker ${this.workerPath} was terminated`), false);
  }

  private onEvent(event: WorkerEvent): void {
    switch (event.type) {
      case 'reply': {
        const waiter = this.waiting.get(event.id);
        if (!waiter) return;
        this.settled(event.id);
        if (event.ok) waiter.resolve(event.value);
        else waiter.reject(new Error(event.error));
        return;
      }
      case 'notice':
        this.events.onNotice(event.message);
        return;
      case 'target':
        this.events.onTarget(event.target);
        return;
      case 'appended':
        this.events.onAppended(event.chars);
        return;
      case 'persisted':
        this.events.onPersisted(event.bytes, event.ms);
        return;
    }
  }

  private settled(id: number): void {
    this.waiting.delete(id);
    if (this.waiting.size === 0) this.worker.unref();
  }

  private fail(error: Error, report = true): void {
    if (this.failure) return;
    this.failure = error;
    for (const [id, waiter] of [...this.waiting]) {
      this.settled(id);
      waiter.reject(error);
    }
    if (report) this.events.onFailure(error);
  }
}
