import type { Clock } from '../shared/clock';

export type { Clock };

/** Node's timers (unref'd, so a pending one never keeps the process alive) and wall-clock time. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
