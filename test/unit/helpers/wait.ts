import type { Readable } from 'node:stream';

/**
 * `promise`, or a rejection saying what was still missing once `ms` have passed. The one guard timer
 * the unit tests' event waits share: a hang then fails with what it waited for, not mocha's bare timeout.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, missing: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(missing())), ms); // a guard, not a sleep: it only ever fails the test
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** The first line `stream` prints (without its newline); rejects if the stream ends before one. */
export function firstLine(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer | string): void => {
      text += String(chunk);
      const end = text.indexOf('\n');
      if (end < 0) return;
      stream.off('data', onData);
      resolve(text.slice(0, end));
    };
    stream.on('data', onData);
    stream.once('end', () => reject(new Error(`the stream ended before its first line: ${JSON.stringify(text)}`)));
  });
}
