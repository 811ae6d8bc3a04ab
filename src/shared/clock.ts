/**
 * Time as a side effect, injected so tests can drive timers by hand. The shape only, here so every
 * side (host, store, webview) shares it; the Node clock is src/common/clock.ts.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
