import assert from 'node:assert/strict';
import { LEVEL_RULES, LevelTagger, accessLevel, jsonLevel, levelOf } from '../../src/host/levels';
import type { LogLevel } from '../../src/shared/protocol';

/** One source's output, fed in order through one LevelTagger: [line as printed, expected level]. */
type Table = Record<string, [string, LogLevel][]>;

const E = 'ERROR';
const W = 'WARN';
const I = 'INFO';
const D = 'DEBUG';

const table: Table = {
  uvicorn: [
    ['INFO:     Will watch for changes in these directories: [\'/app\']', I],
    ['INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)', I],
    ['INFO:     Started server process [12345]', I],
    ['INFO:     Waiting for application startup.', I],
    ['\x1b[32mINFO\x1b[0m:     Application startup complete.', I],
    ['INFO:     127.0.0.1:51234 - "GET /items HTTP/1.1" 200 OK', I],
    ['INFO:     127.0.0.1:51234 - "GET /items/9 HTTP/1.1" 404 Not Found', W],
    ['INFO:     127.0.0.1:5000 - "GET /items HTTP/1.1" 500 Internal Server Error', E],
    [
      '\x1b[32mINFO\x1b[0m:     127.0.0.1:5000 - "\x1b[1mGET /items HTTP/1.1\x1b[0m" \x1b[91m500 Internal Server Error\x1b[0m',
      E,
    ],
    ['\x1b[33mWARNING\x1b[0m:  StatReloader detected changes in \'main.py\'. Reloading...', W],
    ['\x1b[31mERROR\x1b[0m:    Exception in ASGI application', E],
    ['DEBUG:    = connection is CONNECTING', D],
    ['INFO: no errors', I],
  ],
  gunicorn: [
    ['[2024-01-01 10:00:00 +0000] [1] [INFO] Starting gunicorn 21.2.0', I],
    ['[2024-01-01 10:00:00 +0000] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)', I],
    ['[2024-01-01 10:00:00 +0000] [7] [INFO] Booting worker with pid: 7', I],
    ['[2024-01-01 10:00:31 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:7)', E],
    ['[2024-01-01 10:00:31 +0000] [7] [ERROR] Error handling request /boom', E],
    ['[2024-01-01 10:00:32 +0000] [1] [WARNING] Worker with pid 7 was terminated due to signal 9', W],
    ['[2024-01-01 10:00:33 +0000] [8] [DEBUG] GET /health', D],
    ['127.0.0.1 - - [01/Jan/2024:10:00:00 +0000] "GET /health HTTP/1.1" 200 2 "-" "curl/8.4.0"', I],
  ],
  'Flask / Werkzeug': [
    [' * Serving Flask app \'app\'', I],
    [' * Debug mode: on', I],
    ['WARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead.', W],
    [' * Running on http://127.0.0.1:5000', I],
    ['Press CTRL+C to quit', I],
    [' * Restarting with stat', I],
    [' * Debugger PIN: 123-456-789', I],
    ['127.0.0.1 - - [01/Jan/2024 10:00:00] "GET / HTTP/1.1" 200 -', I],
    ['127.0.0.1 - - [01/Jan/2024 10:00:00] "GET /error HTTP/1.1" 200 -', I],
    ['127.0.0.1 - - [01/Jan/2024 10:00:01] "\x1b[36mGET /static/app.css HTTP/1.1\x1b[0m" 304 -', I],
    ['127.0.0.1 - - [01/Jan/2024 10:00:02] "\x1b[33mGET /x HTTP/1.1\x1b[0m" 404 -', W],
    ['127.0.0.1 - - [01/Jan/2024 10:00:03] "\x1b[35m\x1b[1mGET /boom HTTP/1.1\x1b[0m" 500 -', E],
    ['[2024-01-01 10:00:03,123] ERROR in app: Exception on /boom [GET]', E],
    ['INFO:werkzeug:127.0.0.1 - - [01/Jan/2024 10:00:04] "POST /api HTTP/1.1" 201 -', I],
  ],
  Django: [
    ['Watching for file changes with StatReloader', I],
    ['Performing system checks...', I],
    ['System check identified no issues (0 silenced).', I],
    ['Django version 5.0.1, using settings \'mysite.settings\'', I],
    ['Starting development server at http://127.0.0.1:8000/', I],
    ['Quit the server with CONTROL-C.', I],
    ['[01/Jan/2024 10:00:00] "GET / HTTP/1.1" 200 123', I],
    ['[01/Jan/2024 10:00:01] "GET /static/site.css HTTP/1.1" 304 0', I],
    ['Not Found: /favicon.ico', W],
    ['[01/Jan/2024 10:00:02] "GET /favicon.ico HTTP/1.1" 404 2110', W],
    ['Forbidden (CSRF cookie not set.): /login/', W],
    ['Internal Server Error: /boom/', E],
    ['[01/Jan/2024 10:00:03] "GET /boom/ HTTP/1.1" 500 145', E],
    ['/app/mysite/views.py changed, reloading.', I],
  ],
  'Python logging': [
    ['WARNING:root:disk almost full', W],
    ['ERROR:myapp:payment failed', E],
    ['DEBUG:urllib3.connectionpool:Starting new HTTPS connection (1): api.example.com:443', D],
    ['CRITICAL:myapp:cannot reach database', E],
    ['INFO:myapp:ready', I],
    ['2024-01-01 10:00:00,123 - app - ERROR - boom', E],
    ['2024-01-01 10:00:00,124 - app - WARNING - retrying', W],
    ['2024-01-01 10:00:00,125 - app.db - INFO - connected', I],
    ['2024-01-01 10:00:00,126 - app - DEBUG - query took 3 ms', D],
    ['2024-01-01 10:00:00,127 ERROR app: boom', E],
    ['2024-01-01 10:00:00,128 [WARNING] app: slow', W],
    ['2024-01-01 10:00:00.129 | ERROR    | __main__:main:12 - boom', E],
    ['2024-01-01 10:00:00.130 | INFO     | __main__:main:13 - fine', I],
    ['/app/main.py:3: DeprecationWarning: datetime.utcnow() is deprecated', W],
  ],
  'Python traceback': [
    ['ERROR:    Exception in ASGI application', E],
    ['Traceback (most recent call last):', E],
    ['  File "/app/.venv/lib/python3.12/site-packages/uvicorn/protocols/http/h11_impl.py", line 407, in run_asgi', E],
    ['    result = await app(  # type: ignore[func-returns-value]', E],
    ['             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^', E],
    ['  File "/app/main.py", line 9, in read_item', E],
    ['    return {"item": items[item_id]}', E],
    ['KeyError: \'x\'', E],
    ['INFO:     127.0.0.1:5000 - "GET /items/x HTTP/1.1" 500 Internal Server Error', E],
    ['INFO:     Application startup complete.', I],
  ],
  'Python chained traceback': [
    ['Traceback (most recent call last):', E],
    ['  File "/app/a.py", line 2, in <module>', E],
    ['    {}["x"]', E],
    ['KeyError: \'x\'', E],
    ['', E],
    ['During handling of the above exception, another exception occurred:', E],
    ['', E],
    ['Traceback (most recent call last):', E],
    ['  File "/app/a.py", line 4, in <module>', E],
    ['    raise ValueError("bad")', E],
    ['ValueError: bad', E],
    ['', E],
    ['The above exception was the direct cause of the following exception:', E],
    ['', E],
    ['Traceback (most recent call last):', E],
    ['  File "/app/a.py", line 6, in <module>', E],
    ['    raise RuntimeError("wrapped") from e', E],
    ['RuntimeError: wrapped', E],
    ['Server stopped', I],
  ],
  'Python 3.13 coloured traceback': [
    ['Traceback (most recent call last):', E],
    ['  File \x1b[35m"/app/a.py"\x1b[0m, line \x1b[35m2\x1b[0m, in \x1b[35m<module>\x1b[0m', E],
    ['    \x1b[31mint\x1b[0m\x1b[1;31m("x")\x1b[0m', E],
    ['\x1b[1;35mValueError\x1b[0m: \x1b[35minvalid literal for int() with base 10: \'x\'\x1b[0m', E],
    ['\x1b[32mINFO\x1b[0m:     Shutting down', I],
  ],
  'Django traceback (exception name without Error)': [
    ['Traceback (most recent call last):', E],
    ['  File "/app/manage.py", line 22, in <module>', E],
    ['    main()', E],
    ['django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.', E],
    ['Watching for file changes with StatReloader', I],
  ],
  'Python exception group': [
    ['  + Exception Group Traceback (most recent call last):', E],
    ['  |   File "/app/g.py", line 1, in <module>', E],
    ['  | ExceptionGroup: eg (2 sub-exceptions)', E],
    ['  +-+---------------- 1 ----------------', E],
    ['    | ValueError: a', E],
    ['    +------------------------------------', E],
    ['Shutting down', I],
  ],
  'pino JSON': [
    ['{"level":30,"time":1704103200000,"pid":1,"hostname":"box","msg":"Server listening at http://127.0.0.1:3000"}', I],
    ['{"level":40,"time":1704103200001,"pid":1,"hostname":"box","msg":"slow request"}', W],
    ['{"level":50,"time":1704103200002,"pid":1,"hostname":"box","err":{"type":"Error","message":"boom"},"msg":"boom"}', E],
    ['{"level":60,"time":1704103200003,"pid":1,"hostname":"box","msg":"out of memory"}', E],
    ['{"level":20,"time":1704103200004,"pid":1,"hostname":"box","msg":"cache miss"}', D],
    ['{"level":10,"time":1704103200005,"pid":1,"hostname":"box","msg":"enter handler"}', D],
    ['{"level":"warn","time":"2024-01-01T10:00:00.000Z","msg":"deprecated option"}', W],
    ['{"level":"error","time":"2024-01-01T10:00:00.000Z","msg":"boom"}', E],
    ['{"level":"fatal","time":"2024-01-01T10:00:00.000Z","msg":"dead"}', E],
    ['{"level":"debug","time":"2024-01-01T10:00:00.000Z","msg":"tick"}', D],
    ['{"level":30,"time":1704103200006,"msg":"GET /errors","res":{"statusCode":200}}', I],
  ],
  'bunyan JSON': [
    ['{"name":"api","hostname":"box","pid":42,"level":30,"msg":"started","time":"2024-01-01T10:00:00.000Z","v":0}', I],
    ['{"name":"api","hostname":"box","pid":42,"level":50,"msg":"db down","time":"2024-01-01T10:00:01.000Z","v":0}', E],
    ['{"name":"api","hostname":"box","pid":42,"level":40,"msg":"retry","time":"2024-01-01T10:00:02.000Z","v":0}', W],
  ],
  npm: [
    ['npm ERR! code ELIFECYCLE', E],
    ['npm ERR! errno 1', E],
    ['npm error code ENOENT', E],
    ['npm error Missing script: "dev"', E],
    ['npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory.', W],
    ['npm warn config production Use `--omit=dev` instead.', W],
    ['npm notice New major version of npm available! 9.8.1 -> 10.2.5', I],
    ['> hello-app@1.0.0 dev', I],
    ['> node server.js', I],
  ],
  Node: [
    ['Server listening on http://localhost:3000', I],
    ['/app/index.js:3', I],
    ['TypeError: x is not a function', E],
    ['    at Object.<anonymous> (/app/index.js:3:9)', E],
    ['    at Module._compile (node:internal/modules/cjs/loader:1376:14)', E],
    ['    at node:internal/main/run_main_module:28:49', E],
    ['    at new Promise (<anonymous>)', E],
    ['    at async Promise.all (index 0)', E],
    ['Node.js v20.11.0', E],
    ['Error: listen EADDRINUSE: address already in use :::3000', E],
    ['Error [ERR_MODULE_NOT_FOUND]: Cannot find package \'express\' imported from /app/index.js', E],
    ['node:internal/modules/cjs/loader:1080', E],
    ['(node:123) Warning: Accessing non-existent property \'x\' of module exports inside circular dependency', W],
    ['(node:123) [DEP0005] DeprecationWarning: Buffer() is deprecated due to security and usability issues.', W],
    ['(node:456) ExperimentalWarning: The Fetch API is an experimental feature.', W],
    ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', E],
    ['[nodemon] starting `node index.js`', I],
    ['[nodemon] app crashed - waiting for file changes before starting...', E],
    ['10:00:00 AM [vite] Internal server error: Failed to resolve import "./missing"', E],
    ['10:00:01 AM [vite] hmr update /src/errors.ts', I],
  ],
  'false positives (must stay INFO)': [
    ['GET /errors 200', I],
    ['0 errors, 0 warnings', I],
    ['Compiled successfully with 0 errors', I],
    ['errorHandler registered', I],
    ['Errors: none', I],
    ['INFO: no errors', I],
    ['    at least one worker is idle', I],
    ['The error page is at /error', I],
    ['Loaded 3 routes: /, /error, /warn', I],
    ['', I],
  ],
};

describe('levels', () => {
  describe('LevelTagger on real output', () => {
    for (const [source, rows] of Object.entries(table)) {
      it(source, () => {
        const tagger = new LevelTagger();
        const got = rows.map(([line]) => [line, tagger.tag(line)]);
        assert.deepEqual(got, rows);
      });
    }
  });

  it('tags each table line the same when fed alone, outside tracebacks', () => {
    for (const [source, rows] of Object.entries(table)) {
      if (/traceback|exception group/i.test(source)) continue; // those need the lines before them
      for (const [line, level] of rows) assert.equal(new LevelTagger().tag(line), level, line);
    }
  });

  it('has at least 40 real lines in the table', () => {
    assert.ok(Object.values(table).flat().length >= 40);
  });

  it('ends a traceback at its exception line', () => {
    const t = new LevelTagger();
    for (const line of ['Traceback (most recent call last):', '  File "a.py", line 1, in <module>', 'ZeroDivisionError: division by zero']) {
      assert.equal(t.tag(line), 'ERROR');
    }
    assert.equal(t.tag('  indented but after the traceback'), 'INFO');
  });

  it('keeps tracebacks per tagger (one per stream)', () => {
    const stderr = new LevelTagger();
    const stdout = new LevelTagger();
    assert.equal(stderr.tag('Traceback (most recent call last):'), 'ERROR');
    assert.equal(stdout.tag('Request handled'), 'INFO');
    assert.equal(stderr.tag('  File "a.py", line 1, in <module>'), 'ERROR');
  });

  it('levelOf returns undefined for unknown lines', () => {
    assert.equal(levelOf('hello world'), undefined);
    assert.equal(levelOf(''), undefined);
  });

  it('jsonLevel reads the first "level" only', () => {
    assert.equal(jsonLevel('{"level":30,"err":{"level":"error"}}'), 'INFO');
    assert.equal(jsonLevel('{"level" : "WARN"}'), 'WARN');
    assert.equal(jsonLevel('{"msg":"no level"}'), undefined);
  });

  it('accessLevel reads the status after the request, not numbers elsewhere', () => {
    assert.equal(accessLevel('10.0.0.5 - - [01/Jan/2024 10:00:00] "GET /500 HTTP/1.1" 200 -'), 'INFO');
    assert.equal(accessLevel('INFO:     10.0.0.5:404 - "GET / HTTP/2" 503 Service Unavailable'), 'ERROR');
    assert.equal(accessLevel('GET /x 404'), undefined);
  });

  it('names every rule uniquely', () => {
    const names = LEVEL_RULES.map((r) => r.name);
    assert.equal(new Set(names).size, names.length);
  });
});
