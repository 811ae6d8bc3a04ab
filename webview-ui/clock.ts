/** The page's clock; the shape (src/shared/clock.ts) is shared with the host, which has its own Node clock. */
import type { Clock } from '../src/shared/clock';

export type { Clock };

/** The page's timers; `now` is monotonic (`performance.now()`), as only intervals are measured. */
export const pageClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
