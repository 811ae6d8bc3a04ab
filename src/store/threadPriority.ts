import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The store worker's nice value. Storing a flood costs the worker more CPU than it costs the host's
 * main thread; at equal priority the two share the cores and the main thread waits its turn. At 10
 * the worker yields to the main thread yet still gets about a tenth of a busy CPU.
 */
export const STORE_WORKER_NICE = 10;

/**
 * Lowers the calling thread's scheduling priority to `nice` (never raises it). Linux only, where
 * nice is per thread and a thread id can be given to setpriority; elsewhere it would apply to the
 * whole process, so it does nothing. Returns whether the priority was changed.
 */
export function lowerThreadPriority(nice: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const tid = Number(path.basename(fs.readlinkSync('/proc/thread-self')));
    if (!Number.isSafeInteger(tid) || tid <= 0) return false;
    if (os.getPriority(tid) >= nice) return false;
    os.setPriority(tid, nice);
    return true;
  } catch {
    return false; // no /proc (containers without it): run at normal priority
  }
}
