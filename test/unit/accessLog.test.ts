import assert from 'node:assert/strict';
import { RequestScanner, matchesRequest, parseAccessLine, parseRequestFilter, type AccessFields } from '../../src/shared/accessLog';
import { stripAnsi } from '../../src/shared/ansi';
import type { LogLine } from '../../src/shared/protocol';
import { FASTAPI_BOOM_STDOUT } from './helpers/capturedFastapi';

// Captured here: uvicorn (test/fixtures/fastapi-app), Flask 2.2 / Werkzeug, Django 3.2 runserver and
// gunicorn 20.1 `--access-logfile -` (the framework fixtures), all under Debian's Python 3.11; morgan
// and Next.js lines as levels.test.ts captured them (express 5.3 + morgan 1.12, next 16.4 dev).
const table: Record<string, [string, AccessFields | undefined][]> = {
  uvicorn: [
    [FASTAPI_BOOM_STDOUT[0], { method: 'GET', path: '/boom', status: 500 }],
    [FASTAPI_BOOM_STDOUT[2], { method: 'GET', path: '/nope', status: 404 }],
    [
      '\x1b[32mINFO\x1b[0m:     127.0.0.1:5000 - "\x1b[1mGET /items HTTP/1.1\x1b[0m" \x1b[91m500 Internal Server Error\x1b[0m',
      { method: 'GET', path: '/items', status: 500 },
    ],
    ['INFO:     Uvicorn running on http://127.0.0.1:18931 (Press CTRL+C to quit)', undefined],
  ],
  'Flask / Werkzeug': [
    ['127.0.0.1 - - [01/Dec/2026 23:04:57] "GET / HTTP/1.1" 200 -', { method: 'GET', path: '/', status: 200 }],
    ['127.0.0.1 - - [01/Dec/2026 23:04:58] "POST /form?x=1 HTTP/1.1" 404 -', { method: 'POST', path: '/form?x=1', status: 404 }],
    [
      '127.0.0.1 - - [01/Jan/2024 10:00:03] "\x1b[35m\x1b[1mGET /boom HTTP/1.1\x1b[0m" 500 -',
      { method: 'GET', path: '/boom', status: 500 },
    ],
    [' * Running on http://127.0.0.1:18941', undefined],
  ],
  'Django runserver': [
    ['[01/Dec/2026 23:04:58] "GET / HTTP/1.1" 200 10697', { method: 'GET', path: '/', status: 200 }],
    ['[01/Dec/2026 23:05:01] "POST /form?x=1 HTTP/1.1" 404 2095', { method: 'POST', path: '/form?x=1', status: 404 }],
    ['Not Found: /form', undefined],
    ['Starting development server at http://127.0.0.1:18942/', undefined],
  ],
  gunicorn: [
    ['127.0.0.1 - - [01/Dec/2026:23:04:39 +0000] "GET / HTTP/1.1" 200 20 "-" "curl/7.88.1"', { method: 'GET', path: '/', status: 200 }],
    [
      '127.0.0.1 - - [01/Dec/2026:23:04:40 +0000] "POST /form?x=1 HTTP/1.1" 200 20 "-" "curl/7.88.1"',
      { method: 'POST', path: '/form?x=1', status: 200 },
    ],
    ['[2026-12-01 23:04:35 +0000] [8481] [INFO] Listening at: http://127.0.0.1:18943 (8481)', undefined],
  ],
  'morgan dev': [
    ['\x1b[0mGET / \x1b[32m200\x1b[0m 1.874 ms - 2\x1b[0m', { method: 'GET', path: '/', status: 200, durationMs: 1.874 }],
    ['\x1b[0mGET /boom \x1b[31m500\x1b[0m 1.466 ms - 957\x1b[0m', { method: 'GET', path: '/boom', status: 500, durationMs: 1.466 }],
    ['\x1b[0mGET /500 \x1b[32m200\x1b[0m 0.553 ms - 12\x1b[0m', { method: 'GET', path: '/500', status: 200, durationMs: 0.553 }],
  ],
  'morgan combined': [
    [
      '::ffff:127.0.0.1 - - [01/Dec/2026:20:29:33 +0000] "GET /missing HTTP/1.1" 404 146 "-" "curl/7.88.1"',
      { method: 'GET', path: '/missing', status: 404 },
    ],
  ],
  'morgan common': [
    ['::ffff:127.0.0.1 - - [01/Dec/2026:20:29:23 +0000] "POST / HTTP/1.1" 404 140', { method: 'POST', path: '/', status: 404 }],
  ],
  'morgan short': [
    ['::ffff:127.0.0.1 - GET /boom HTTP/1.1 500 957 - 2.740 ms', { method: 'GET', path: '/boom', status: 500, durationMs: 2.74 }],
    ['::ffff:127.0.0.1 - GET / HTTP/1.1 304 - - 0.896 ms', { method: 'GET', path: '/', status: 304, durationMs: 0.896 }],
  ],
  'morgan tiny': [
    ['GET /missing 404 146 - 2.585 ms', { method: 'GET', path: '/missing', status: 404, durationMs: 2.585 }],
    ['GET / 304 - - 0.706 ms', { method: 'GET', path: '/', status: 304, durationMs: 0.706 }],
  ],
  'Next.js dev': [
    [
      ' GET / \x1b[32m200\x1b[39m in 579ms\x1b[2m (next.js: 325ms, application-code: 255ms)\x1b[22m',
      { method: 'GET', path: '/', status: 200, durationMs: 579 },
    ],
    [
      ' GET /boom \x1b[31m500\x1b[39m in 61ms\x1b[2m (next.js: 10ms, application-code: 52ms)\x1b[22m',
      { method: 'GET', path: '/boom', status: 500, durationMs: 61 },
    ],
    ['\x1b[31m\x1b[1m⨯\x1b[22m\x1b[39m Error: boom', undefined],
  ],
  'chi and Gin': [
    [
      '2026/12/01 10:00:00 "GET http://localhost:3000/items?id=1 HTTP/1.1" from 127.0.0.1:52100 - 404 19B in 31.2µs',
      { method: 'GET', path: '/items?id=1', status: 404, durationMs: 0.031 },
    ],
    [
      '[GIN] 2026/12/01 - 10:00:00 | 404 |       1.2ms |       127.0.0.1 | GET      "/x"',
      { method: 'GET', path: '/x', status: 404, durationMs: 1.2 },
    ],
  ],
  'Fiber and Echo (default request loggers)': [
    [
      '12:00:01 | 404 |     12µs |       127.0.0.1 | GET     | /nope   | Cannot GET /nope',
      { method: 'GET', path: '/nope', status: 404, durationMs: 0.012 },
    ],
    [
      '12:00:02 | 500 |   1.5ms |       127.0.0.1 | POST    | /orders | boom',
      { method: 'POST', path: '/orders', status: 500, durationMs: 1.5 },
    ],
    [
      '{"time":"2026-12-02T12:00:00.2Z","id":"","remote_ip":"127.0.0.1","host":"localhost:1323","method":"GET","uri":"/boom","status":500,"error":"boom","latency_human":"61.2µs"}',
      { method: 'GET', path: '/boom', status: 500 },
    ],
    ['{"level":"info","method":"GET","uri":"/","status":200}', undefined],
    ['{"job":"sync","status":500}', undefined],
  ],
  'not requests': [
    ['GET /500 is the path, no status', undefined],
    ['Compiled successfully in 200 ms', undefined],
    ['  "GET / HTTP/1.1" in a source line', undefined],
  ],
};

describe('access log', () => {
  for (const [format, rows] of Object.entries(table)) {
    it(`${format}: method, path, status and duration when the format has it`, () => {
      for (const [line, expected] of rows) assert.deepEqual(parseAccessLine(stripAnsi(line)), expected, line);
    });
  }

  const line = (seq: number, text: string, entrySeq?: number): LogLine => ({
    seq,
    ts: `2026-12-01T10:00:0${seq}.000Z`,
    level: 'INFO',
    stream: 'stdout',
    text,
    entrySeq,
  });

  it('scans lines into RequestRecords with seq and time, skipping frames, and reads on from where it was', () => {
    const scanner = new RequestScanner();
    scanner.push([line(1, FASTAPI_BOOM_STDOUT[0]), line(2, '    log("GET /x 200 1 ms")', 1), line(3, 'hello')]);
    scanner.push([line(3, 'hello'), line(4, 'GET /a 201 2.5 ms - 3')]);
    assert.deepEqual(scanner.records, [
      { seq: 1, ts: '2026-12-01T10:00:01.000Z', method: 'GET', path: '/boom', status: 500 },
      { seq: 4, ts: '2026-12-01T10:00:04.000Z', method: 'GET', path: '/a', status: 201, durationMs: 2.5 },
    ]);
  });

  it('pairs Rails’ Started and Completed lines', () => {
    const scanner = new RequestScanner();
    scanner.push([
      line(1, 'Started GET "/posts/7" for 127.0.0.1 at 2026-12-01 10:00:00 +0000'),
      line(2, 'Processing by PostsController#show as HTML'),
      line(3, 'Completed 500 Internal Server Error in 12ms (ActiveRecord: 0.4ms | Allocations: 1200)'),
    ]);
    assert.deepEqual(scanner.records, [
      { seq: 3, ts: '2026-12-01T10:00:03.000Z', method: 'GET', path: '/posts/7', status: 500, durationMs: 12 },
    ]);
  });

  it('filters by status (code or class), method and path', () => {
    const records = [
      { seq: 1, ts: 't', method: 'GET', path: '/a', status: 200 },
      { seq: 2, ts: 't', method: 'POST', path: '/api/x', status: 404 },
      { seq: 3, ts: 't', method: 'GET', path: '/api/y', status: 503 },
    ];
    const select = (query: Record<string, string>) => {
      const filter = parseRequestFilter(query);
      assert.ok(!(filter instanceof Error));
      return records.filter((r) => matchesRequest(r, filter)).map((r) => r.seq);
    };
    assert.deepEqual(select({}), [1, 2, 3]);
    assert.deepEqual(select({ status: '404' }), [2]);
    assert.deepEqual(select({ status: '4xx,5xx' }), [2, 3]);
    assert.deepEqual(select({ status: '5XX' }), [3]);
    assert.deepEqual(select({ method: 'get' }), [1, 3]);
    assert.deepEqual(select({ path: '/api/', method: 'GET,POST', status: '4xx' }), [2]);
    assert.deepEqual(select({ after: '1' }), [2, 3], 'a client holding seq 1 gets only the newer requests');
  });

  it('rejects bad filters with a message naming the value', () => {
    const message = (query: Record<string, unknown>) => (parseRequestFilter(query) as Error).message;
    assert.match(message({ status: '4x' }), /invalid status: "4x" \(expected a code such as 404 or a class such as 4xx/);
    assert.match(message({ status: '600' }), /invalid status: "600"/);
    assert.match(message({ method: 'GE T' }), /invalid method: "GE T"/);
    assert.match(message({ after: '-1' }), /invalid after: "-1"/);
    assert.match(message({ path: ['a', 'b'] }), /invalid path: \["a","b"\] \(give it once\)/);
  });
});
