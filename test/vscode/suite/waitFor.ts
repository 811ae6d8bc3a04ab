/** Polls `probe` until its value passes `until` (default: truthy); rejects with the last value after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  {
    until = (v: T) => Boolean(v),
    timeoutMs = 15000,
    intervalMs = 100,
    what = 'the condition',
  }: {
    until?: (value: T) => boolean;
    timeoutMs?: number;
    intervalMs?: number;
    what?: string;
  } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (until(last)) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const seen = lastError
        ? `last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`
        : `last value: ${JSON.stringify(last)}`;
      throw new Error(`waited ${timeoutMs} ms for ${what}; ${seen}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
