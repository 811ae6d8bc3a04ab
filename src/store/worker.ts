/**
 * Entry of the store's worker thread (bundled to dist/storeWorker.js). It owns the sql.js database:
 * calls are answered one at a time, in the order they were posted, so a read sees every append
 * posted before it.
 */
import { parentPort } from 'node:worker_threads';
import type { CallMessage, WorkerEvent, WorkerRequest } from './messages';
import { lineBatchChars } from './lineBatch';
import { StoreEngine } from './storeEngine';
import { lowerThreadPriority, STORE_WORKER_NICE } from './threadPriority';

if (!parentPort) throw new Error('src/store/worker.ts must run in a worker thread, not as the main script');
const port = parentPort;
lowerThreadPriority(STORE_WORKER_NICE);
const post = (event: WorkerEvent): void => port.postMessage(event);
const engine = new StoreEngine(
  (message) => post({ type: 'notice', message }),
  (target) => post({ type: 'target', target }),
  (bytes, ms) => post({ type: 'persisted', bytes, ms }),
);

/**
 * After warmUpBatchPath V8 goes on compiling the code it made hot, on its own threads; ending the
 * worker then can abort the process (see warmUp.ts), so `close` is answered no sooner than this.
 */
const WARM_SETTLE_MS = 300;
let settledAt = 0;

let queue: Promise<void> = Promise.resolve();
port.on('message', (request: WorkerRequest) => {
  // Only `open` is async; chaining keeps every later message behind it.
  queue = queue.then(() => handle(request));
});

// Never throws: a rejected link would skip every later message in the chain.
async function handle(request: WorkerRequest): Promise<void> {
  if (request.type === 'append') {
    try {
      engine.appendBatch(request.batch);
    } catch (error) {
      post({ type: 'notice', message: `History could not store a batch of lines: ${(error as Error).message}` });
    }
    post({ type: 'appended', chars: lineBatchChars(request.batch) });
    return;
  }
  try {
    const value = await dispatch(request);
    // Before the reply, so the first run is made (and its lines stored) in the order they come;
    // it adds ~50 ms to opening.
    if (request.kind === 'open') engine.warmUp();
    if (request.kind === 'close') await waitUntil(settledAt);
    post({ type: 'reply', id: request.id, ok: true, value });
    // After the reply (opening is not held up); the messages posted meanwhile wait in order.
    if (request.kind === 'open' && request.args.warmUpBatches) {
      engine.warmUpBatches();
      settledAt = Date.now() + WARM_SETTLE_MS;
    }
  } catch (error) {
    post({ type: 'reply', id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
}

function dispatch(call: CallMessage): unknown {
  switch (call.kind) {
    case 'open':
      return engine.open(call.args);
    case 'beginRun':
      return engine.beginRun(call.args);
    case 'endRun':
      return engine.endRun(call.args.runId, call.args.end);
    case 'readLines':
      return engine.readLines(call.args.runId, call.args.query);
    case 'listRuns':
      return engine.listRuns();
    case 'exportRun':
      return engine.exportRun(call.args.runId, call.args.format, call.args.filter);
    case 'putRunErrors':
      return engine.putRunErrors(call.args.runId, call.args.errors);
    case 'readRunErrors':
      return engine.readRunErrors(call.args.runId);
    case 'seenFingerprints':
      return engine.seenFingerprints(call.args.previewName, call.args.beforeRunId);
    case 'flush':
      return engine.flush();
    case 'close':
      return engine.close();
    default:
      throw new Error(`store worker: unknown call ${JSON.stringify((call as { kind: unknown }).kind)}`);
  }
}

function waitUntil(time: number): Promise<void> {
  const ms = time - Date.now();
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
