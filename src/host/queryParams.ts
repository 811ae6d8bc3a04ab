import { isLogLevel, type LogLevel } from '../shared/protocol';

/** Most lines one JSON page returns. */
export const MAX_PAGE = 10_000;

/** A seq (`after`, `Last-Event-ID`): absent = 0; an Error naming `name` and the value otherwise. */
export function parseSeq(value: unknown, name = 'after'): number | Error {
  if (value === undefined || value === '') return 0;
  const n = Number(value);
  return typeof value === 'string' && Number.isSafeInteger(n) && n >= 0
    ? n
    : new Error(`invalid ${name}: ${JSON.stringify(value)} (expected a whole number ≥ 0)`);
}

/** A page size: absent = 1000, else 1…MAX_PAGE. */
export function parseLimit(value: unknown): number | Error {
  if (value === undefined || value === '') return 1000;
  const n = Number(value);
  return typeof value === 'string' && Number.isSafeInteger(n) && n >= 1 && n <= MAX_PAGE
    ? n
    : new Error(`invalid limit: ${JSON.stringify(value)} (expected 1-${MAX_PAGE})`);
}

/** A comma-separated level filter: absent = no filter. */
export function parseLevels(value: unknown): LogLevel[] | undefined | Error {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return new Error(`invalid level: ${JSON.stringify(value)} (expected ERROR, WARN, INFO or DEBUG, comma-separated)`);
  const levels = value.toUpperCase().split(',');
  const bad = levels.find((l) => !isLogLevel(l));
  return bad !== undefined ? new Error(`invalid level: ${JSON.stringify(bad)} (expected ERROR, WARN, INFO or DEBUG, comma-separated)`) : (levels as LogLevel[]);
}
