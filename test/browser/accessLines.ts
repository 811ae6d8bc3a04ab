/**
 * Access lines of the formats the level table knows (uvicorn, Django, Flask/Werkzeug, morgan dev
 * and combined, Next.js), as captured in test/unit/levels.test.ts, with the request each one is,
 * as the host's `/requests` parses it; plain lines between them; a traceback for the error summary.
 */
import type { ErrorSummary, LogLevel, RequestRecord } from '../../src/shared/protocol';

type Req = Omit<RequestRecord, 'seq' | 'ts'>;
export const ACCESS_LOG: { text: string; level: LogLevel; request?: Req }[] = [
  { text: 'INFO:     Started server process [4242]', level: 'INFO' },
  {
    text: 'INFO:     127.0.0.1:51234 - "GET /items HTTP/1.1" 200 OK',
    level: 'INFO',
    request: { method: 'GET', path: '/items', status: 200 },
  },
  {
    text: 'INFO:     127.0.0.1:51234 - "DELETE /items/9 HTTP/1.1" 404 Not Found',
    level: 'WARN',
    request: { method: 'DELETE', path: '/items/9', status: 404 },
  },
  { text: '[01/Jan/2024 10:00:03] "GET /boom/ HTTP/1.1" 500 145', level: 'ERROR', request: { method: 'GET', path: '/boom/', status: 500 } },
  {
    text: '127.0.0.1 - - [01/Jan/2024 10:00:04] "POST /api HTTP/1.1" 201 -',
    level: 'INFO',
    request: { method: 'POST', path: '/api', status: 201 },
  },
  { text: 'Watching for file changes with StatReloader', level: 'INFO' },
  {
    text: '\x1b[0mPUT /cart \x1b[36m302\x1b[0m 1.796 ms - 23\x1b[0m',
    level: 'INFO',
    request: { method: 'PUT', path: '/cart', status: 302, durationMs: 1.796 },
  },
  {
    text: '\x1b[0mGET /gw \x1b[31m502\x1b[0m 0.613 ms - 11\x1b[0m',
    level: 'ERROR',
    request: { method: 'GET', path: '/gw', status: 502, durationMs: 0.613 },
  },
  {
    text: ' GET /missing \x1b[33m404\x1b[39m in 648ms\x1b[2m (next.js: 597ms, application-code: 51ms)\x1b[22m',
    level: 'WARN',
    request: { method: 'GET', path: '/missing', status: 404, durationMs: 648 },
  },
  {
    text: ' GET /dashboard \x1b[32m200\x1b[39m in 61ms\x1b[2m (next.js: 21ms, application-code: 40ms)\x1b[22m',
    level: 'INFO',
    request: { method: 'GET', path: '/dashboard', status: 200, durationMs: 61 },
  },
  {
    text: '::ffff:127.0.0.1 - - [01/Dec/2026:20:29:33 +0000] "PATCH /profile HTTP/1.1" 400 3 "-" "curl/7.88.1"',
    level: 'WARN',
    request: { method: 'PATCH', path: '/profile', status: 400 },
  },
  {
    text: '\x1b[0mGET /search?q=<img src=x onerror=alert(1)> \x1b[32m200\x1b[0m 12.250 ms - 5\x1b[0m',
    level: 'INFO',
    request: { method: 'GET', path: '/search?q=<img src=x onerror=alert(1)>', status: 200, durationMs: 12.25 },
  },
  { text: 'ERROR:    Exception in ASGI application', level: 'ERROR' },
  { text: 'Traceback (most recent call last):', level: 'ERROR' },
  { text: '  File "/srv/sample/app.py", line 12, in divide', level: 'ERROR' },
  { text: 'ZeroDivisionError: division by zero', level: 'ERROR' },
  { text: 'ZeroDivisionError: division by zero', level: 'ERROR' },
  { text: "KeyError: 'user_id'", level: 'ERROR' },
];

/** The requests of ACCESS_LOG emitted from seq `first` on, with the times the host gave the lines. */
export function requestsOf(first: number, tsOf: (seq: number) => string): RequestRecord[] {
  return ACCESS_LOG.flatMap((l, i) => (l.request ? [{ seq: first + i, ts: tsOf(first + i), ...l.request }] : []));
}

/** The run's errors as `/errors` reports them after ACCESS_LOG was emitted from seq 1. */
export const RUN_ERRORS: ErrorSummary[] = [
  { fingerprint: 'zde@app.py:divide', title: 'ZeroDivisionError: division by zero', count: 2, firstSeq: 13, lastSeq: 17, new: false },
  { fingerprint: 'keyerror@app.py:user', title: "KeyError: 'user_id'", count: 1, firstSeq: 18, lastSeq: 18, new: true },
];
