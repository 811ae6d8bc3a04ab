import { DEFAULT_PAGE, MAX_PAGE, type LineQuery } from '../shared/historyApi';
import { isLogLevel, type LogLevel } from '../shared/protocol';

/** A seq (`after`, `Last-Event-ID`): absent = 0; an Error naming `name` and the value otherwise. */
export function parseSeq(value: unknown, name = 'after'): number | Error {
  if (value === undefined || value === '') return 0;
  const n = Number(value);
  return typeof value === 'string' && Number.isSafeInteger(n) && n >= 0
    ? n
    : new Error(`invalid ${name}: ${JSON.stringify(value)} (expected a whole number ≥ 0)`);
}

/** Smallest `?max=` a stream takes: below it a flood would cost a request every few lines. */
export const MIN_PIECE_BYTES = 16 * 1024;

/** A stream response's `?max=` bytes: absent = unbounded (undefined), else ≥ MIN_PIECE_BYTES. */
export function parsePieceBytes(value: unknown): number | undefined | Error {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return typeof value === 'string' && Number.isSafeInteger(n) && n >= MIN_PIECE_BYTES
    ? n
    : new Error(`invalid max: ${JSON.stringify(value)} (expected a whole number of bytes ≥ ${MIN_PIECE_BYTES})`);
}

/** A page size: absent = DEFAULT_PAGE, else 1…MAX_PAGE. */
export function parseLimit(value: unknown): number | Error {
  if (value === undefined || value === '') return DEFAULT_PAGE;
  const n = Number(value);
  return typeof value === 'string' && Number.isSafeInteger(n) && n >= 1 && n <= MAX_PAGE
    ? n
    : new Error(`invalid limit: ${JSON.stringify(value)} (expected 1-${MAX_PAGE})`);
}

/** A comma-separated level filter: absent = no filter. */
export function parseLevels(value: unknown): LogLevel[] | undefined | Error {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string')
    return new Error(`invalid level: ${JSON.stringify(value)} (expected ERROR, WARN, INFO or DEBUG, comma-separated)`);
  const levels = value.toUpperCase().split(',');
  const bad = levels.find((l) => !isLogLevel(l));
  return bad !== undefined
    ? new Error(`invalid level: ${JSON.stringify(bad)} (expected ERROR, WARN, INFO or DEBUG, comma-separated)`)
    : (levels as LogLevel[]);
}

type Parsed<T extends readonly unknown[]> = { [K in keyof T]: Exclude<T[K], Error> };

/** The parsed values, in order, or the first Error among them (so callers need no casts). */
export function allParsed<T extends readonly unknown[]>(...values: T): Parsed<T> | Error {
  const bad = values.find((v): v is Error => v instanceof Error);
  return bad ?? (values as unknown as Parsed<T>);
}

/** A page query from `?after=&limit=&level=`, with its defaults filled in; or the first invalid one. */
export function parseLineQuery(query: Record<string, unknown>): (LineQuery & { after: number; limit: number }) | Error {
  const parsed = allParsed(parseSeq(query.after), parseLimit(query.limit), parseLevels(query.level));
  if (parsed instanceof Error) return parsed;
  const [after, limit, levels] = parsed;
  return { after, limit, levels };
}
