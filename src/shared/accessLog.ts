/**
 * Access-log lines as requests (issue 11): every format the level table reads a status from —
 * uvicorn, Django runserver, Werkzeug (Flask), gunicorn, Apache/nginx combined, morgan
 * (dev, combined, common, short, tiny), Next.js, chi, Gin, Fiber, Echo's JSON, SvelteKit, Astro, php -S, koa-logger, Hono's logger — and Rails' `Started …`/`Completed …`
 * pair. Parsed when `/requests` asks, not on the hot path.
 */
import { stripAnsi } from './ansi';
import type { LogLine, RequestRecord } from './protocol';

/** A request as one access line tells it (RequestRecord without the line's seq and time). */
export interface AccessFields {
  method: string;
  path: string;
  status: number;
  durationMs?: number;
}

const METHODS = 'GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|CONNECT|TRACE|PROPFIND|PURGE';

// `"GET /x HTTP/1.1" 404` (uvicorn, Werkzeug, Django, gunicorn, combined/common) and chi's
// `"GET http://host/x HTTP/1.1" from 127.0.0.1:1 - 200 12B in 31.2µs`.
const QUOTED = new RegExp(String.raw`"(${METHODS}) (\S+) HTTP\/\d(?:\.\d)?"(?: from \S+ -)? ([1-5]\d\d)\b(.*)$`);
// morgan short: `::1 - GET /x HTTP/1.1 200 2 - 2.314 ms`.
const UNQUOTED = new RegExp(String.raw`(?:^| )(${METHODS}) (\S+) HTTP\/\d(?:\.\d)? ([1-5]\d\d)\b(.*)$`);
// morgan dev `GET /x 200 1.874 ms - 2`, tiny `GET /x 200 2 - 6.468 ms`, Next.js ` GET /x 200 in 579ms`.
const REQUEST_FIRST = new RegExp(String.raw`^ ?(${METHODS}) ((?:\/|\*|https?:\/\/)\S*) ([1-5]\d\d)(?= |$)(.*)$`);
// Gin: `[GIN] 2026/12/01 - 10:00:00 | 404 |       1.2µs |       127.0.0.1 | GET      "/x"`.
const GIN = new RegExp(String.raw`^\[GIN\] [^|]*\| *([1-5]\d\d) \| *(\S+) \|[^|]*\| *(${METHODS}) +"([^"]*)"`);
// SvelteKit `[500] GET /boom`; Astro `18:16:20 [200] / 24ms`, `[404] POST /api/x 2ms` (a GET without its method).
const BRACKETED = new RegExp(String.raw`^(?:\d\d?:\d\d:\d\d )?\[([1-5]\d\d)\] (?:(${METHODS}) )?(\/\S*)(?: (\d+(?:\.\d+)?)ms)?$`);
// php -S: `[Wed Dec  2 12:00:00 2026] 127.0.0.1:54322 [404]: GET /x - No such file or directory`.
const PHP_SERVER = new RegExp(String.raw`^\[[^\]]+\] \S+:\d+ \[([1-5]\d\d)\]: (${METHODS}) (\S+)`);
// koa-logger `  --> GET /x 404 1ms 9b`, `  xxx GET /boom 500 1ms -`; Hono's logger `--> GET /x 404 0ms`.
const ARROW = new RegExp(String.raw`^ *(?:-->|xxx) (${METHODS}) (\S+) ([1-5]\d\d) (\d+(?:\.\d+)?)(ms|s)\b`);
// Fiber: `12:00:00 | 404 |      1ms |       127.0.0.1 | GET     | /nope   | -`.
const FIBER = new RegExp(String.raw`^\d\d?:\d\d:\d\d \| +([1-5]\d\d) \| +(\S+) \| [^|]+\| +(${METHODS}) +\| +(\S+)`);
// A JSON request log without a level (Echo's logger): `{…"method":"GET","uri":"/x",…"status":404,…}`.
const JSON_METHOD = new RegExp(String.raw`"method":"(${METHODS})"`);
const JSON_TARGET = /"(?:uri|url|path)":"([^"]*)"/;
/** A JSON request log's status field (`"status":404`, `"statusCode"`, `"status_code"`). */
export const JSON_STATUS = /"(?:status|statusCode|status_code)":\s*([1-5]\d\d)\b/;
// Rails: `Started GET "/x" for 127.0.0.1 at …`, then `Completed 500 Internal Server Error in 12ms (…)`.
const RAILS_STARTED = new RegExp(String.raw`(?:^|[\]:] )Started (${METHODS}) "([^"]*)" for `);
const RAILS_COMPLETED = /(?:^|[\]:] )Completed ([1-5]\d\d) [A-Z][\w '-]* in (\d+(?:\.\d+)?)ms\b/;

// A duration in what follows the status: morgan dev's leading `1.874 ms`, tiny/short's trailing
// `- 6.468 ms`, Next.js's and chi's `in 579ms` / `in 31.2µs`.
const DEV_DURATION = /^ (\d+(?:\.\d+)?) ms\b/;
const TRAILING_DURATION = / - (\d+(?:\.\d+)?) ms$/;
const IN_DURATION = /^[^"]*? in (\d+(?:\.\d+)?)(ns|µs|us|ms|s)\b/;
const GO_DURATION = /^(\d+(?:\.\d+)?)(ns|µs|us|ms|s|m)$/;

const INDENTED = /^(?: {2}|\t)/;

const TO_MS: Record<string, number> = { ns: 1e-6, µs: 1e-3, us: 1e-3, ms: 1, s: 1000, m: 60_000 };

/** The request an ANSI-free access line describes, or undefined when the line is not one. */
export function parseAccessLine(plain: string): AccessFields | undefined {
  if (plain.includes(' HTTP/')) {
    const m = QUOTED.exec(plain) ?? UNQUOTED.exec(plain);
    if (m !== null) return fields(m[1], m[2], m[3], durationOf(m[4]));
  }
  const first = plain.charCodeAt(0);
  if (first === 91 /* [ */) {
    const gin = GIN.exec(plain);
    if (gin !== null) return fields(gin[3], gin[4], gin[1], goDuration(gin[2]));
    const php = PHP_SERVER.exec(plain);
    if (php !== null) return fields(php[2], php[3], php[1], undefined);
    return bracketed(plain);
  }
  if (first === 123 /* { */) return jsonRequest(plain);
  if (first >= 48 && first <= 57) {
    const fiber = FIBER.exec(plain);
    if (fiber !== null) return fields(fiber[3], fiber[4], fiber[1], goDuration(fiber[2]));
    const astro = bracketed(plain);
    if (astro !== undefined) return astro;
  }
  if (first === 45 /* - */ || first === 120 /* x */ || first === 32) {
    const arrow = ARROW.exec(plain);
    if (arrow !== null) return fields(arrow[1], arrow[2], arrow[3], Number(arrow[4]) * TO_MS[arrow[5]]);
  }
  const m = REQUEST_FIRST.exec(plain);
  return m === null ? undefined : fields(m[1], m[2], m[3], durationOf(m[4]));
}

function bracketed(plain: string): AccessFields | undefined {
  const m = BRACKETED.exec(plain);
  return m === null ? undefined : fields(m[2] ?? 'GET', m[3], m[1], m[4] === undefined ? undefined : Number(m[4]));
}

/** Whether the line reports a request (an access line, Rails' `Completed 500 …`, pino's completed request), not an error of its own. */
export function isRequestLine(plain: string): boolean {
  if (plain.startsWith('{') && plain.includes('"responseTime"')) return true; // pino's `request completed` (Fastify)
  return parseAccessLine(plain) !== undefined || (plain.includes('Completed ') && RAILS_COMPLETED.test(plain));
}

function jsonRequest(plain: string): AccessFields | undefined {
  // A logger's line says what it is by its level, unless it is a request's (pino-http's `responseTime`).
  if (plain.includes('"level"') && !plain.includes('"responseTime"')) return undefined;
  const method = JSON_METHOD.exec(plain);
  const target = method === null ? null : JSON_TARGET.exec(plain);
  const status = target === null ? null : JSON_STATUS.exec(plain);
  return status === null ? undefined : fields(method![1], target![1], status[1], undefined);
}

function goDuration(text: string): number | undefined {
  const d = GO_DURATION.exec(text);
  return d === null ? undefined : Number(d[1]) * TO_MS[d[2]];
}

function durationOf(tail: string): number | undefined {
  let m = DEV_DURATION.exec(tail) ?? TRAILING_DURATION.exec(tail);
  if (m !== null) return Number(m[1]);
  m = IN_DURATION.exec(tail);
  return m === null ? undefined : Number(m[1]) * TO_MS[m[2]];
}

function fields(method: string, target: string, status: string, durationMs: number | undefined): AccessFields {
  const out: AccessFields = { method, path: pathOf(target), status: Number(status) };
  if (durationMs !== undefined && Number.isFinite(durationMs)) out.durationMs = Math.round(durationMs * 1000) / 1000;
  return out;
}

/** chi logs the absolute URL; the table shows its path (and query). */
function pathOf(target: string): string {
  if (!target.startsWith('http://') && !target.startsWith('https://')) return target;
  const slash = target.indexOf('/', target.indexOf('//') + 2);
  return slash === -1 ? '/' : target.slice(slash);
}

/**
 * Turns a run's lines, in seq order and possibly in several calls, into requests. Stateful only
 * for Rails, whose method and path come on a `Started` line before the `Completed` one.
 */
export class RequestScanner {
  readonly records: RequestRecord[] = [];
  /** The highest seq scanned so far. */
  lastSeq = 0;
  private started?: { method: string; path: string };
  /** Fastify's requests by `reqId`, from `incoming request` (method, url) until `request completed` (status). */
  private readonly incoming = new Map<string, { method: string; target: string }>();

  push(lines: readonly LogLine[]): void {
    for (const line of lines) {
      if (line.seq <= this.lastSeq) continue;
      this.lastSeq = line.seq;
      const plain = stripAnsi(line.text);
      // A frame (indented) is never an access line; one another thread printed into a traceback is.
      if (line.entrySeq !== undefined && INDENTED.test(plain)) continue;
      const access = parseAccessLine(plain);
      if (access !== undefined) {
        this.records.push({ seq: line.seq, ts: line.ts, ...access });
        continue;
      }
      if (plain.startsWith('{') && plain.includes('"reqId"')) {
        this.pinoRequest(line, plain);
        continue;
      }
      if (!plain.includes('Started ') && !plain.includes('Completed ')) continue;
      const started = RAILS_STARTED.exec(plain);
      if (started !== null) {
        this.started = { method: started[1], path: started[2] };
        continue;
      }
      const completed = RAILS_COMPLETED.exec(plain);
      if (completed !== null && this.started !== undefined) {
        this.records.push({ seq: line.seq, ts: line.ts, ...this.started, status: Number(completed[1]), durationMs: Number(completed[2]) });
        this.started = undefined;
      }
    }
  }

  private pinoRequest(line: LogLine, plain: string): void {
    const id = PINO_REQ_ID.exec(plain)?.[1];
    if (id === undefined) return;
    const method = JSON_METHOD.exec(plain);
    const target = JSON_TARGET.exec(plain);
    if (method !== null && target !== null) {
      if (this.incoming.size >= MAX_OPEN_REQUESTS) this.incoming.delete(this.incoming.keys().next().value!);
      this.incoming.set(id, { method: method[1], target: target[1] });
      return;
    }
    const status = JSON_STATUS.exec(plain);
    const request = this.incoming.get(id);
    if (status === null || request === undefined) return;
    this.incoming.delete(id);
    const time = PINO_RESPONSE_TIME.exec(plain);
    const access = fields(request.method, request.target, status[1], time === null ? undefined : Number(time[1]));
    this.records.push({ seq: line.seq, ts: line.ts, ...access });
  }
}
// Fastify's pino lines: `{…"reqId":"req-1","req":{"method":"GET","url":"/x",…},"msg":"incoming request"}`,
// then `{…"reqId":"req-1","res":{"statusCode":404},"responseTime":0.5,"msg":"request completed"}`.
const PINO_REQ_ID = /"reqId":"?([\w-]+)/;
const PINO_RESPONSE_TIME = /"responseTime":(\d+(?:\.\d+)?)/;
// Requests waiting for their completion (a server that never completes some stays bounded).
const MAX_OPEN_REQUESTS = 1000;

/** What `?status=&method=&path=` select: `404`, `4xx` or `4xx,500`; `GET,post`; a substring of the path. */
export interface RequestFilter {
  statuses?: { exact: Set<number>; classes: Set<number> };
  methods?: Set<string>;
  path?: string;
  /** Only requests with seq > after: a client that holds the older ones asks for the new. */
  after?: number;
  /** At most this many, the oldest first (a client reads on page by page with `after`). */
  limit?: number;
}

/** The filter from a request's query, or an Error naming the bad parameter and value. */
export function parseRequestFilter(query: Record<string, unknown>): RequestFilter | Error {
  const filter: RequestFilter = {};
  for (const name of ['status', 'method', 'path', 'after', 'limit'] as const) {
    const value = query[name];
    if (value !== undefined && typeof value !== 'string') return new Error(`invalid ${name}: ${JSON.stringify(value)} (give it once)`);
  }
  const status = query.status as string | undefined;
  if (status !== undefined && status !== '') {
    const exact = new Set<number>();
    const classes = new Set<number>();
    for (const part of status.split(',')) {
      const m = /^([1-5])(?:xx|XX|(\d\d))$/.exec(part.trim());
      if (m === null)
        return new Error(`invalid status: ${JSON.stringify(part)} (expected a code such as 404 or a class such as 4xx, comma-separated)`);
      if (m[2] === undefined) classes.add(Number(m[1]));
      else exact.add(Number(m[1] + m[2]));
    }
    filter.statuses = { exact, classes };
  }
  const method = query.method as string | undefined;
  if (method !== undefined && method !== '') {
    const methods = method.split(',').map((m) => m.trim().toUpperCase());
    const bad = methods.find((m) => !/^[A-Z]+$/.test(m));
    if (bad !== undefined)
      return new Error(`invalid method: ${JSON.stringify(bad)} (expected a method such as GET or POST, comma-separated)`);
    filter.methods = new Set(methods);
  }
  const path = query.path as string | undefined;
  if (path !== undefined && path !== '') filter.path = path;
  const after = query.after as string | undefined;
  if (after !== undefined && after !== '') {
    if (!/^\d+$/.test(after)) return new Error(`invalid after: ${JSON.stringify(after)} (expected a seq, a whole number ≥ 0)`);
    filter.after = Number(after);
  }
  const limit = query.limit as string | undefined;
  if (limit !== undefined && limit !== '') {
    if (!/^\d+$/.test(limit) || Number(limit) < 1)
      return new Error(`invalid limit: ${JSON.stringify(limit)} (expected a whole number ≥ 1)`);
    filter.limit = Number(limit);
  }
  return filter;
}

export function matchesRequest(record: RequestRecord, filter: RequestFilter): boolean {
  if (filter.after !== undefined && record.seq <= filter.after) return false;
  if (filter.statuses && !filter.statuses.exact.has(record.status) && !filter.statuses.classes.has(Math.floor(record.status / 100))) {
    return false;
  }
  if (filter.methods && !filter.methods.has(record.method)) return false;
  return filter.path === undefined || record.path.includes(filter.path);
}
