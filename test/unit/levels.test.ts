import assert from 'node:assert/strict';
import { isGoTraceLine } from '../../src/host/levelRules';
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
    ["INFO:     Will watch for changes in these directories: ['/app']", I],
    ['INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)', I],
    ['INFO:     Started server process [12345]', I],
    ['INFO:     Waiting for application startup.', I],
    ['\x1b[32mINFO\x1b[0m:     Application startup complete.', I],
    ['INFO:     127.0.0.1:51234 - "GET /items HTTP/1.1" 200 OK', I],
    ['INFO:     127.0.0.1:51234 - "GET /items/9 HTTP/1.1" 404 Not Found', W],
    ['INFO:     127.0.0.1:5000 - "GET /items HTTP/1.1" 500 Internal Server Error', E],
    ['\x1b[32mINFO\x1b[0m:     127.0.0.1:5000 - "\x1b[1mGET /items HTTP/1.1\x1b[0m" \x1b[91m500 Internal Server Error\x1b[0m', E],
    ["\x1b[33mWARNING\x1b[0m:  StatReloader detected changes in 'main.py'. Reloading...", W],
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
    [" * Serving Flask app 'app'", I],
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
  "Python's warnings module: the warning and its source line": [
    [
      "/usr/lib/python3/dist-packages/django/http/request.py:1: DeprecationWarning: 'cgi' is deprecated and slated for removal in Python 3.13",
      W,
    ],
    ['  import cgi', W],
    ['Watching for file changes with StatReloader', I],
    ['  indented but after a plain line', I],
  ],
  'Python lines that announce a traceback': [
    ['Process SpawnProcess-2:', E],
    ['Exception ignored in: <function Leaky.__del__ at 0x7f1c2b3a4d30>', E],
    ["Invalid HTTP_HOST header: 'evil.example'. You may need to add 'evil.example' to ALLOWED_HOSTS.", E],
    ['Process finished: 3 items', I],
  ],
  Django: [
    ['Watching for file changes with StatReloader', I],
    ['Performing system checks...', I],
    ['System check identified no issues (0 silenced).', I],
    ["Django version 5.0.1, using settings 'mysite.settings'", I],
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
    ["KeyError: 'x'", E],
    ['INFO:     127.0.0.1:5000 - "GET /items/x HTTP/1.1" 500 Internal Server Error', E],
    ['INFO:     Application startup complete.', I],
  ],
  'Python chained traceback': [
    ['Traceback (most recent call last):', E],
    ['  File "/app/a.py", line 2, in <module>', E],
    ['    {}["x"]', E],
    ["KeyError: 'x'", E],
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
    ["\x1b[1;35mValueError\x1b[0m: \x1b[35minvalid literal for int() with base 10: 'x'\x1b[0m", E],
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
    ['/app/index.js:3', E], // where Node's report of an uncaught exception begins
    ['TypeError: x is not a function', E],
    ['    at Object.<anonymous> (/app/index.js:3:9)', E],
    ['    at Module._compile (node:internal/modules/cjs/loader:1376:14)', E],
    ['    at node:internal/main/run_main_module:28:49', E],
    ['    at new Promise (<anonymous>)', E],
    ['    at async Promise.all (index 0)', E],
    ['Node.js v20.11.0', E],
    ['Error: listen EADDRINUSE: address already in use :::3000', E],
    ["Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'express' imported from /app/index.js", E],
    ['node:internal/modules/cjs/loader:1080', E],
    ["(node:123) Warning: Accessing non-existent property 'x' of module exports inside circular dependency", W],
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

/**
 * Captured output, run here on 2026-12-01 (the clock of this machine), each group from one run of
 * the named tool, lines verbatim (ANSI included) but for the scratch project's folder, shown as /srv/lvl/*.
 */
const captured: Table = {
  // express 5.3.0 + morgan 1.12.1 (Node 20.20.2), `app.use(morgan('dev'))`, FORCE_COLOR=1; routes
  // /missing (404), /errors and /500 (200), /big (200 with a 404-byte body), /boom (throws), /bad (400),
  // /gw (502), /redir (302); Express prints the thrown error and its stack between.
  'morgan dev': [
    ['\x1b[0mGET / \x1b[32m200\x1b[0m 1.874 ms - 2\x1b[0m', I],
    ['\x1b[0mGET /missing \x1b[33m404\x1b[0m 1.752 ms - 146\x1b[0m', W],
    ['\x1b[0mGET /errors \x1b[32m200\x1b[0m 0.550 ms - 19\x1b[0m', I],
    ['\x1b[0mGET /500 \x1b[32m200\x1b[0m 0.553 ms - 12\x1b[0m', I],
    ['\x1b[0mGET /big \x1b[32m200\x1b[0m 0.666 ms - 404\x1b[0m', I],
    ['\x1b[0mGET /boom \x1b[31m500\x1b[0m 1.466 ms - 957\x1b[0m', E],
    ['Error: boom', E],
    ['    at \x1b[90m/srv/lvl/morgan/\x1b[39mapp.js:11:40', E],
    ['\x1b[0mGET /bad \x1b[33m400\x1b[0m 0.638 ms - 3\x1b[0m', W],
    ['\x1b[0mGET /gw \x1b[31m502\x1b[0m 0.613 ms - 11\x1b[0m', E],
    ['\x1b[0mGET /redir \x1b[36m302\x1b[0m 1.796 ms - 23\x1b[0m', I],
  ],
  // The same app with morgan('combined').
  'morgan combined': [
    ['::ffff:127.0.0.1 - - [01/Dec/2026:20:29:33 +0000] "GET / HTTP/1.1" 200 2 "-" "curl/7.88.1"', I],
    ['::ffff:127.0.0.1 - - [01/Dec/2026:20:29:33 +0000] "GET /missing HTTP/1.1" 404 146 "-" "curl/7.88.1"', W],
    ['::ffff:127.0.0.1 - - [01/Dec/2026:20:29:33 +0000] "GET /errors HTTP/1.1" 200 19 "-" "curl/7.88.1"', I],
    ['::ffff:127.0.0.1 - - [01/Dec/2026:20:29:33 +0000] "GET /500 HTTP/1.1" 200 12 "-" "curl/7.88.1"', I],
    ['::ffff:127.0.0.1 - - [01/Dec/2026:20:29:33 +0000] "GET /big HTTP/1.1" 200 404 "-" "curl/7.88.1"', I],
    ['::ffff:127.0.0.1 - - [01/Dec/2026:20:29:33 +0000] "GET /boom HTTP/1.1" 500 957 "-" "curl/7.88.1"', E],
    ['::ffff:127.0.0.1 - - [01/Dec/2026:20:29:33 +0000] "GET /bad HTTP/1.1" 400 3 "-" "curl/7.88.1"', W],
    ['::ffff:127.0.0.1 - - [01/Dec/2026:20:29:34 +0000] "GET /gw HTTP/1.1" 502 11 "-" "curl/7.88.1"', E],
    ['::ffff:127.0.0.1 - - [01/Dec/2026:20:29:34 +0000] "GET /redir HTTP/1.1" 302 23 "-" "curl/7.88.1"', I],
  ],
  // morgan('common'); the 304 is a conditional GET with If-None-Match.
  'morgan common': [
    ['::ffff:127.0.0.1 - - [01/Dec/2026:20:29:22 +0000] "GET / HTTP/1.1" 200 2', I],
    ['::ffff:127.0.0.1 - - [01/Dec/2026:20:29:22 +0000] "GET /missing HTTP/1.1" 404 146', W],
    ['::ffff:127.0.0.1 - - [01/Dec/2026:20:29:23 +0000] "GET /boom HTTP/1.1" 500 957', E],
    ['::ffff:127.0.0.1 - - [01/Dec/2026:20:29:23 +0000] "GET /gw HTTP/1.1" 502 11', E],
    ['::ffff:127.0.0.1 - - [01/Dec/2026:20:29:23 +0000] "GET / HTTP/1.1" 304 -', I],
    ['::ffff:127.0.0.1 - - [01/Dec/2026:20:29:23 +0000] "POST / HTTP/1.1" 404 140', W],
  ],
  // morgan('short'): the request isn't quoted.
  'morgan short': [
    ['::ffff:127.0.0.1 - GET / HTTP/1.1 200 2 - 2.314 ms', I],
    ['::ffff:127.0.0.1 - GET /missing HTTP/1.1 404 146 - 7.772 ms', W],
    ['::ffff:127.0.0.1 - GET /500 HTTP/1.1 200 12 - 0.598 ms', I],
    ['::ffff:127.0.0.1 - GET /big HTTP/1.1 200 404 - 0.809 ms', I],
    ['::ffff:127.0.0.1 - GET /boom HTTP/1.1 500 957 - 2.740 ms', E],
    ['::ffff:127.0.0.1 - GET /bad HTTP/1.1 400 3 - 1.455 ms', W],
    ['::ffff:127.0.0.1 - GET / HTTP/1.1 304 - - 0.896 ms', I],
  ],
  // morgan('tiny').
  'morgan tiny': [
    ['GET / 200 2 - 6.468 ms', I],
    ['GET /missing 404 146 - 2.585 ms', W],
    ['GET /errors 200 19 - 0.948 ms', I],
    ['GET /500 200 12 - 1.077 ms', I],
    ['GET /big 200 404 - 0.531 ms', I],
    ['GET /boom 500 957 - 1.802 ms', E],
    ['GET /gw 502 11 - 0.658 ms', E],
    ['GET / 304 - - 0.706 ms', I],
    ['POST / 404 140 - 0.729 ms', W],
  ],
  // next 16.4.6 (Turbopack) `next dev`, FORCE_COLOR=1: app router pages /, /boom (throws), /warnme;
  // the ⚠ lines from a next.config.js with an unknown key and images.domains; ⨯ "Another next dev
  // server" from a second `next dev` in the same folder.
  'Next.js dev': [
    ['\x1b[1m\x1b[38;2;173;127;168m▲ Next.js 16.4.6\x1b[39m\x1b[22m (Turbopack)', I],
    ['- Local:         http://localhost:3403', I],
    ['\x1b[32m\x1b[1m✓\x1b[22m\x1b[39m Ready in 1356ms', I],
    ['\x1b[37m\x1b[1m○\x1b[22m\x1b[39m Compiling / ...', I],
    [' GET / \x1b[32m200\x1b[39m in 579ms\x1b[2m (next.js: 325ms, application-code: 255ms)\x1b[22m', I],
    [' GET /missing \x1b[33m404\x1b[39m in 648ms\x1b[2m (next.js: 597ms, application-code: 51ms)\x1b[22m', W],
    ['\x1b[31m\x1b[1m⨯\x1b[22m\x1b[39m Error: boom', E],
    [' GET /boom \x1b[31m500\x1b[39m in 61ms\x1b[2m (next.js: 10ms, application-code: 52ms)\x1b[22m', E],
    [' GET /warnme \x1b[32m200\x1b[39m in 62ms\x1b[2m (next.js: 21ms, application-code: 42ms)\x1b[22m', I],
    [' GET /errors \x1b[33m404\x1b[39m in 125ms\x1b[2m (next.js: 8ms, application-code: 117ms)\x1b[22m', W],
    [' GET /500 \x1b[33m404\x1b[39m in 90ms\x1b[2m (next.js: 15ms, application-code: 75ms)\x1b[22m', W],
    ['\x1b[33m\x1b[1m⚠\x1b[22m\x1b[39m Found a change in next.config.js. Restarting the server to apply the changes...', W],
    [
      '\x1b[33m\x1b[1m⚠\x1b[22m\x1b[39m `images.domains` is deprecated in favor of `images.remotePatterns`. Please update next.config.js to protect your application from malicious users.',
      W,
    ],
    ['\x1b[33m\x1b[1m⚠\x1b[22m\x1b[39m Invalid next.config.js options detected: ', W],
    ["\x1b[33m\x1b[1m⚠\x1b[22m\x1b[39m     Unrecognized key(s) in object: 'foo'", W],
    ['\x1b[32m\x1b[1m✓\x1b[22m\x1b[39m Running next.config.js took 51ms', I],
    ['\x1b[31m\x1b[1m⨯\x1b[22m\x1b[39m Another \x1b[36mnext dev\x1b[39m server is already running.', E],
  ],
  // vite 8.4.0 `vite --clearScreen false`, FORCE_COLOR=1: a broken import, a syntax error, a CSS hmr
  // update; then `vite build` with the broken import and with a 590 kB chunk.
  Vite: [
    ['  \x1b[32m\x1b[1mVITE\x1b[22m v8.4.0\x1b[39m  \x1b[2mready in \x1b[0m\x1b[1m425\x1b[22m\x1b[2m\x1b[0m ms\x1b[22m', I],
    ['  \x1b[32m➜\x1b[39m  \x1b[1mLocal\x1b[22m:   \x1b[36mhttp://localhost:\x1b[1m3301\x1b[22m/\x1b[39m', I],
    [
      '\x1b[2m8:32:24 PM\x1b[22m \x1b[31m\x1b[1m[vite]\x1b[22m\x1b[39m \x1b[31m\x1b[2m(client)\x1b[22m\x1b[39m Pre-transform error: Failed to resolve import "./missing" from "src/main.js". Does the file exist?',
      E,
    ],
    ['  Plugin: \x1b[35mvite:import-analysis\x1b[39m', I],
    [
      '\x1b[2m8:32:24 PM\x1b[22m \x1b[31m\x1b[1m[vite]\x1b[22m\x1b[39m \x1b[31mInternal server error: Failed to resolve import "./missing" from "src/main.js". Does the file exist?\x1b[39m',
      E,
    ],
    [
      '\x1b[2m8:32:25 PM\x1b[22m \x1b[36m\x1b[1m[vite]\x1b[22m\x1b[39m \x1b[90m\x1b[2m(client)\x1b[22m\x1b[39m \x1b[32mpage reload \x1b[39m\x1b[2msrc/main.js\x1b[22m',
      I,
    ],
    [
      '\x1b[2m8:32:49 PM\x1b[22m \x1b[36m\x1b[1m[vite]\x1b[22m\x1b[39m \x1b[90m\x1b[2m(client)\x1b[22m\x1b[39m \x1b[32mhmr update \x1b[39m\x1b[2m/src/a.css\x1b[22m',
      I,
    ],
    ['\x1b[36mvite v8.4.0 \x1b[32mbuilding client environment for production...\x1b[36m\x1b[39m', I],
    ['\x1b[32m✓\x1b[0m 4 modules transformed.', I],
    ['\x1b[31m✗\x1b[39m Build failed in 64ms', E],
    ['\x1b[31merror during build:', E],
    ['\x1b[31mBuild failed with 1 error:', E],
    ['dist/assets/index-D_KK5pls.js  589.58 kB │ gzip: 138.03 kB', I],
    ['(!) Some chunks are larger than 500 kB after minification. Consider:', W],
    ['✓ built in 170ms', I],
  ],
  // esbuild 0.28.2 `esbuild in.js --bundle --color=true`: two warnings and a missing import.
  esbuild: [
    [
      '\x1b[33m▲ \x1b[43;33m[\x1b[43;30mWARNING\x1b[43;33m]\x1b[0m \x1b[1mComparison with -0 using the "==" operator will also match 0\x1b[0m [equals-negative-zero]',
      W,
    ],
    ['    in.js:2:16:', I],
    ['\x1b[31m✘ \x1b[41;31m[\x1b[41;97mERROR\x1b[41;31m]\x1b[0m \x1b[1mCould not resolve "./missing"\x1b[0m', E],
    ['2 warnings and 1 error', E],
  ],
  // webpack 5.113.0 + webpack-cli 7.3.1 `webpack --mode production` (missing import; then a 293 KiB
  // bundle), webpack-dev-server 5.2.7 `webpack serve`.
  webpack: [
    ['./src/index.js + 1 modules 293 KiB [built] [code generated]', I],
    ['ERROR in ./src/index.js 1:0-26', E],
    ["Module not found: Error: Can't resolve './missing' in '/srv/lvl/webpack/src'", E],
    ["resolve './missing' in '/srv/lvl/webpack/src'", I],
    ['webpack 5.113.0 compiled with 1 error in 646 ms', E],
    ['WARNING in asset size limit: The following asset(s) exceed the recommended size limit (244 KiB).', W],
    ['This can impact web performance.', I],
    ['webpack 5.113.0 compiled with 3 warnings in 1033 ms', W],
    ['webpack 5.113.0 compiled successfully in 274 ms', I],
    ['<i> [webpack-dev-server] Project is running at:', I],
    ['<i> [webpack-dev-server] Loopback: http://localhost:3201/, http://[::1]:3201/', I],
    ['asset main.d3cacc4cb90246278100.hot-update.js 1010 bytes [emitted] [immutable] [hmr] (name: main)', I],
    ['webpack 5.113.0 compiled successfully in 46 ms', I],
    ['<i> [webpack-dev-server] Gracefully shutting down. To force exit, press ^C again. Please wait...', I],
  ],
  // typescript 7.0.2 `tsc -p .` (--pretty false when piped), `tsc --pretty`, `tsc --watch
  // --preserveWatchOutput` (piped, then --pretty); typescript 5.9.3 `tsc --watch --pretty`.
  tsc: [
    ["src/a.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.", E],
    ["src/a.ts(2,22): error TS2307: Cannot find module './missing' or its corresponding type declarations.", E],
    [
      "\x1b[96msrc/a.ts\x1b[0m:\x1b[93m1\x1b[0m:\x1b[93m7\x1b[0m - \x1b[91merror\x1b[0m\x1b[90m TS2322: \x1b[0mType 'string' is not assignable to type 'number'.",
      E,
    ],
    ['\x1b[7m1\x1b[0m const n: number = "x";', I],
    ['\x1b[7m \x1b[0m \x1b[91m      ~\x1b[0m', I],
    ['Found 5 errors in the same file, starting at: src/a.ts\x1b[90m:1\x1b[0m', E],
    ['08:30:55 PM - Starting compilation in watch mode...', I],
    ["src/a.ts(2,22): error TS2307: Cannot find module './missing' or its corresponding type declarations.", E],
    ['08:30:57 PM - Found 5 errors. Watching for file changes.', E],
    ['08:31:03 PM - Found 0 errors. Watching for file changes.', I],
    ['08:31:03 PM - File change detected. Starting incremental compilation...', I],
    ['08:31:03 PM - Found 1 error. Watching for file changes.', E],
    ['\x1b[2J\x1b[3J\x1b[H[\x1b[90m08:31:10 PM\x1b[0m] Starting compilation in watch mode...', I],
    ['[\x1b[90m08:31:11 PM\x1b[0m] Found 2 errors. Watching for file changes.', E],
    ['[\x1b[90m08:31:12 PM\x1b[0m] Found 0 errors. Watching for file changes.', I],
    ['[\x1b[90m8:31:32 PM\x1b[0m] Found 2 errors. Watching for file changes.', E],
    ['[\x1b[90m8:31:32 PM\x1b[0m] Found 0 errors. Watching for file changes.', I],
  ],
  // Django 3.2.25 (Debian python3-django) `manage.py runserver`, DEBUG=True: fresh project, a model
  // without DEFAULT_AUTO_FIELD (models.W042), then a CharField without max_length (fields.E120).
  'Django runserver': [
    ['Watching for file changes with StatReloader', I],
    ['System check identified no issues (0 silenced).', I],
    [
      'You have 18 unapplied migration(s). Your project may not work properly until you apply the migrations for app(s): admin, auth, contenttypes, sessions.',
      W,
    ],
    ["Run 'python manage.py migrate' to apply them.", W],
    ['Starting development server at http://127.0.0.1:3502/', I],
    ['Not Found: /', W],
    ['[01/Dec/2026 20:35:09] "GET / HTTP/1.1" 404 2269', W],
    ['[01/Dec/2026 20:35:09] "GET /boom/ HTTP/1.1" 500 57122', E],
    ['[01/Dec/2026 20:35:09] "GET /errors/ HTTP/1.1" 404 2308', W],
    ['System check identified some issues:', W],
    ['WARNINGS:', W],
    [
      "shop.Item: (models.W042) Auto-created primary key used when not defining a primary key type, by default 'django.db.models.AutoField'.",
      W,
    ],
    [
      "\tHINT: Configure the DEFAULT_AUTO_FIELD setting or the ShopConfig.default_auto_field attribute to point to a subclass of AutoField, e.g. 'django.db.models.BigAutoField'.",
      I,
    ],
    ['System check identified 1 issue (0 silenced).', W],
    ['Exception in thread django-main-thread:', E],
    ['ERRORS:', E],
    ["shop.Bad.title: (fields.E120) CharFields must define a 'max_length' attribute.", E],
    ['System check identified 3 issues (0 silenced).', W],
  ],
  // The same with DEBUG=False (no "Not Found:" lines).
  'Django runserver, DEBUG off': [
    ['[01/Dec/2026 20:34:59] "GET / HTTP/1.1" 404 179', W],
    ['[01/Dec/2026 20:34:59] "GET /boom/ HTTP/1.1" 500 145', E],
    ['[01/Dec/2026 20:34:59] "GET /500/ HTTP/1.1" 404 179', W],
    ['[01/Dec/2026 20:34:59] "GET /admin/ HTTP/1.1" 302 0', I],
  ],
  // gunicorn 20.1.0 (Debian) `gunicorn mysite.wsgi --timeout 2 --access-logfile -`, a view sleeping 5 s.
  gunicorn: [
    ['[2026-12-01 20:35:29 +0000] [14959] [INFO] Starting gunicorn 20.1.0', I],
    ['127.0.0.1 - - [01/Dec/2026:20:35:32 +0000] "GET /missing/ HTTP/1.1" 404 2311 "-" "curl/7.88.1"', W],
    ['127.0.0.1 - - [01/Dec/2026:20:35:32 +0000] "GET /boom/ HTTP/1.1" 500 51133 "-" "curl/7.88.1"', E],
    ['[2026-12-01 20:35:34 +0000] [14959] [CRITICAL] WORKER TIMEOUT (pid:14967)', E],
    ['[2026-12-01 20:35:34 +0000] [14967] [INFO] Worker exiting (pid: 14967)', I],
    ['[2026-12-01 20:35:43 +0000] [14959] [WARNING] Worker with pid 15137 was terminated due to signal 15', W],
  ],
};

/**
 * Formats not installed here (no Go toolchain, Ruby, nginx or Apache): lines as the format's source
 * or docs print them, with made-up addresses, pids and times.
 */
const documented: Table = {
  // Rails 7.1 `bin/rails server`: Puma's banner; ActionController's `Completed <status> <reason> in`
  // (LogSubscriber#process_action); the exception header from DebugExceptions.
  'Rails server': [
    ['=> Booting Puma', I],
    ['* Listening on http://127.0.0.1:3000', I],
    ['Use Ctrl-C to stop', I],
    ['Started GET "/" for 127.0.0.1 at 2026-12-01 10:00:00 +0000', I],
    ['Processing by PagesController#home as HTML', I],
    ['  Rendered pages/home.html.erb within layouts/application (Duration: 1.2ms | Allocations: 345)', I],
    ['Completed 200 OK in 12ms (Views: 8.1ms | ActiveRecord: 0.0ms | Allocations: 4567)', I],
    ['Completed 302 Found in 5ms (ActiveRecord: 0.4ms | Allocations: 1200)', I],
    ['ActionController::RoutingError (No route matches [GET] "/missing"):', W], // the app's 404, as Django's `Not Found: /x`
    ['Completed 404 Not Found in 3ms (ActiveRecord: 0.0ms | Allocations: 812)', W],
    ['Completed 422 Unprocessable Entity in 20ms (Views: 5.1ms | ActiveRecord: 1.2ms | Allocations: 3456)', W],
    ['RuntimeError (boom):', E],
    ['Completed 500 Internal Server Error in 12ms (ActiveRecord: 0.0ms | Allocations: 2345)', E],
    ["ActiveRecord::RecordNotFound (Couldn't find User with 'id'=9):", E],
  ],
  // Ruby's Logger default format (`%s, [%s #%d] %5s -- %s: %s`), as Rails production logs print it.
  'Ruby Logger': [
    ['I, [2026-12-01T10:00:00.123456 #12345]  INFO -- : [9f1c0f6e-2d4b] Started GET "/" for 127.0.0.1', I],
    ['I, [2026-12-01T10:00:00.123456 #12345]  INFO -- : [9f1c0f6e-2d4b] Completed 500 Internal Server Error in 12ms', E],
    ['I, [2026-12-01T10:00:00.123456 #12345]  INFO -- : [9f1c0f6e-2d4b] Completed 404 Not Found in 2ms', W],
    ['E, [2026-12-01T10:00:00.123456 #12345] ERROR -- : boom', E],
    ['F, [2026-12-01T10:00:00.123456 #12345] FATAL -- : [9f1c0f6e-2d4b] ActionController::RoutingError', E],
    ['W, [2026-12-01T10:00:00.123456 #12345]  WARN -- : slow query', W],
    ['D, [2026-12-01T10:00:00.123456 #12345] DEBUG -- sidekiq: cache miss', D],
  ],
  // Go runtime (runtime/panic.go, runtime/traceback.go) under `go run`: an index panic, a nil
  // dereference, a deadlock, and `log.Fatal` (which prints at no level; `go run` adds the exit status).
  'Go panic traceback': [
    ['2026/12/01 10:00:00 listening on :8080', I],
    ['panic: runtime error: index out of range [5] with length 3', E],
    ['', E],
    ['goroutine 1 [running]:', E],
    ['main.main()', E],
    ['\t/app/main.go:12 +0x1d', E],
    ['exit status 2', E],
    ['panic: runtime error: invalid memory address or nil pointer dereference', E],
    ['[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x47d3f6]', E],
    ['', E],
    ['goroutine 1 [running]:', E],
    ['main.(*Server).handle(0x0, {0x4b8f20, 0xc000012345})', E],
    ['\t/app/server.go:42 +0x16', E],
    ['main.main()', E],
    ['\t/app/main.go:9 +0x25', E],
    ['exit status 2', E],
    ['fatal error: all goroutines are asleep - deadlock!', E],
    ['', E],
    ['goroutine 1 [chan receive]:', E],
    ['main.main()', E],
    ['\t/app/main.go:5 +0x2d', E],
    ['exit status 2', E],
    ['2026/12/01 10:00:00 listen tcp :8080: bind: address already in use', I],
    ['exit status 1', E],
  ],
  // net/http's recovered handler panic (server.go: `http: panic serving %v: %v\n%s`): the stack
  // ends without a blank line and the next log line is back to INFO.
  'Go net/http panic traceback': [
    ['2026/12/01 10:00:02 http: panic serving 127.0.0.1:54321: boom', E],
    ['goroutine 6 [running]:', E],
    ['net/http.(*conn).serve.func1()', E],
    ['\t/usr/local/go/src/net/http/server.go:1898 +0xbe', E],
    ['panic({0x6b5e40?, 0x8c8b70?})', E],
    ['\t/usr/local/go/src/runtime/panic.go:770 +0x132', E],
    ['main.handler({0x74a1d8, 0xc0001540e0}, 0xc000150000)', E],
    ['\t/app/main.go:12 +0x1c', E],
    ['created by net/http.(*Server).Serve in goroutine 1', E],
    ['\t/usr/local/go/src/net/http/server.go:3285 +0x4b4', E],
    ['2026/12/01 10:00:03 GET /healthz ok (took 1.2ms)', I],
    ['main.go is watched', I],
  ],
  // Go logging: `log` with LstdFlags/Lmicroseconds|Lshortfile, slog's default handler, TextHandler
  // and JSONHandler (examples in the log/slog docs), logrus text and TTY formats, zap's encoders,
  // gin's logger (`[GIN] %v |%s %3d %s| %13v | %15s |%s %-7s %s %#v`), chi's middleware.Logger.
  'Go logging': [
    ['2026/12/01 10:00:00 listening on :8080', I],
    ['2026/12/01 10:00:00.123456 main.go:21: connected to db', I],
    ['2026/12/01 10:00:00 INFO hello count=3', I],
    ['2026/12/01 10:00:00 WARN disk almost full free=1GB', W],
    ['2026/12/01 10:00:00 ERROR request failed err="connection refused"', E],
    ['2026/12/01 10:00:00 main.go:30: [ERROR] payment failed', E],
    ['time=2026-12-01T10:00:00.000Z level=INFO msg=hello count=3', I],
    ['time=2026-12-01T10:00:00.000Z level=WARN msg="slow request" path=/x', W],
    ['time=2026-12-01T10:00:00.000Z level=ERROR msg="request failed" err=boom', E],
    ['time=2026-12-01T10:00:00.000Z level=ERROR+2 msg=critical', E],
    ['time=2026-12-01T10:00:00.000Z level=DEBUG msg=tick', D],
    ['{"time":"2026-12-01T10:00:00.000000000Z","level":"ERROR","msg":"request failed","err":"boom"}', E],
    ['{"time":"2026-12-01T10:00:00.000000000Z","level":"WARN+1","msg":"slow"}', W],
    ['{"time":"2026-12-01T10:00:00.000000000Z","level":"INFO","msg":"hello","count":3}', I],
    ['time="2026-12-01T10:00:00Z" level=error msg="db down" error="dial tcp 127.0.0.1:5432: connect: connection refused"', E],
    ['time="2026-12-01T10:00:00Z" level=warning msg=retrying', W],
    ['time="2026-12-01T10:00:00Z" level=info msg=started', I],
    ['time="2026-12-01T10:00:00Z" level=panic msg="cannot start"', E],
    ['\x1b[31mERRO\x1b[0m[0000] db down                                       \x1b[31merror\x1b[0m="dial tcp: refused"', E],
    ['\x1b[33mWARN\x1b[0m[0001] retrying', W],
    ['\x1b[36mINFO\x1b[0m[0000] started', I],
    ['\x1b[37mDEBU\x1b[0m[0000] tick', D],
    ['\x1b[31mFATA\x1b[0m[0002] cannot start', E],
    ['{"level":"error","ts":1764583200.123,"caller":"app/main.go:12","msg":"boom"}', E],
    ['2026-12-01T10:00:00.000Z\tERROR\tapp/main.go:12\tboom', E],
    ['2026-12-01T10:00:00.000Z\tINFO\tapp/main.go:10\tlistening', I],
    ['[GIN-debug] [WARNING] Running in "debug" mode. Switch to "release" mode in production.', W],
    ['[GIN-debug] Listening and serving HTTP on :8080', I],
    ['[GIN] 2026/12/01 - 10:00:00 | 200 |      12.3µs |       127.0.0.1 | GET      "/ping"', I],
    ['[GIN] 2026/12/01 - 10:00:01 | 404 |         1µs |       127.0.0.1 | GET      "/missing"', W],
    ['[GIN] 2026/12/01 - 10:00:02 | 500 |    1.2345ms |       127.0.0.1 | POST     "/api/orders"', E],
    ['2026/12/01 10:00:00 "GET http://localhost:3333/ HTTP/1.1" from 127.0.0.1:50102 - 200 12B in 21.958µs', I],
    ['2026/12/01 10:00:00 "GET http://localhost:3333/x HTTP/1.1" from 127.0.0.1:50102 - 404 19B in 15µs', W],
    ['2026/12/01 10:00:00 "POST http://localhost:3333/boom HTTP/1.1" from 127.0.0.1:50102 - 500 22B in 1.2ms', E],
  ],
  // nginx: error_log (`<time> [<level>] <pid>#<tid>: ...`), its stderr at startup, the combined access log.
  nginx: [
    ['2026/12/01 10:00:00 [notice] 1#1: using the "epoll" event method', I],
    ['2026/12/01 10:00:00 [notice] 1#1: start worker processes', I],
    ['2026/12/01 10:00:00 [warn] 1#1: conflicting server name "example.com" on 0.0.0.0:80, ignored', W],
    [
      '2026/12/01 10:00:00 [error] 12#12: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: localhost, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8080/", host: "localhost"',
      E,
    ],
    ['2026/12/01 10:00:00 [crit] 12#12: *3 open() "/var/run/nginx/client_body/0000000001" failed (13: Permission denied)', E],
    ['2026/12/01 10:00:00 [emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address already in use)', E],
    ['2026/12/01 10:00:00 [alert] 1#1: worker process 13 exited on signal 9', E],
    ['nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)', E],
    [
      'nginx: [warn] the "listen ... http2" directive is deprecated, use the "http2" directive instead in /etc/nginx/conf.d/default.conf:2',
      W,
    ],
    ['127.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET /x HTTP/1.1" 502 157 "-" "Mozilla/5.0"', E],
    ['127.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET /api HTTP/1.1" 499 0 "-" "curl/8.4.0"', W],
    ['127.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET / HTTP/2.0" 200 615 "-" "Mozilla/5.0"', I],
    ['127.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET /favicon.ico HTTP/1.1" 404 153 "http://localhost/" "Mozilla/5.0"', W],
  ],
  // Apache httpd 2.4: ErrorLogFormat's default `[time] [module:level] [pid N:tid N] ...`, common log.
  Apache: [
    [
      '[Tue Dec 01 10:00:00.123456 2026] [mpm_event:notice] [pid 1:tid 140234] AH00489: Apache/2.4.58 (Unix) configured -- resuming normal operations',
      I,
    ],
    [
      '[Tue Dec 01 10:00:01.123456 2026] [proxy:error] [pid 12:tid 140235] (111)Connection refused: AH00957: http: attempt to connect to 127.0.0.1:8080 (127.0.0.1:8080) failed',
      E,
    ],
    [
      '[Tue Dec 01 10:00:02.123456 2026] [core:warn] [pid 1:tid 140234] AH00098: pid file /usr/local/apache2/logs/httpd.pid overwritten -- Unclean shutdown of previous Apache run?',
      W,
    ],
    [
      '[Tue Dec 01 10:00:03.123456 2026] [core:trace3] [pid 12:tid 140235] request.c(311): [client 127.0.0.1:5000] request authorized without authentication',
      D,
    ],
    ['::1 - - [01/Dec/2026:10:00:04 +0000] "GET /missing HTTP/1.1" 404 196', W],
  ],
  // Older Next.js prefixes (12: `error - `, `warn  - `; 13.0-13.4: `- error`, `- warn`), Next 14/15's
  // leading space, create-react-app's messages, webpack-dev-server's infrastructure logger.
  'Next.js 12-15, create-react-app, webpack-dev-server': [
    ['ready - started server on 0.0.0.0:3000, url: http://localhost:3000', I],
    ['event - compiled client and server successfully in 1234 ms (156 modules)', I],
    ['error - ./pages/index.js', E],
    ['warn  - Fast Refresh had to perform a full reload. Read more: https://nextjs.org/docs/messages/fast-refresh-reload', W],
    ['- ready started server on [::]:3000, url: http://localhost:3000', I],
    ['- error ./app/page.tsx', E],
    ['- warn Fast Refresh had to perform a full reload.', W],
    [' ✓ Ready in 1234ms', I],
    [' ⚠ Port 3000 is in use, trying 3001 instead.', W],
    [' ⨯ ./app/page.tsx:3:1', E],
    [' GET / 500 in 12ms', E],
    [' GET /x 404 in 5ms', W],
    ['Compiled successfully!', I],
    ['Compiled with warnings.', W],
    ['Failed to compile.', E],
    ['webpack compiled with 1 warning', W],
    [
      '<w> [webpack-dev-server] "hot: true" automatically applies HMR plugin, you don\'t have to add it manually to your webpack configuration.',
      W,
    ],
    ['<e> [webpack-dev-server] [HPM] Error occurred while proxying request localhost:8080/api to http://localhost:3000/ [ECONNREFUSED]', E],
    ['10:00:00 AM [vite] warning: `esbuild` option was specified by "vite:react-babel" plugin.', W],
    ['10:00:00 AM [vite] (ssr) Error when evaluating SSR module /src/entry.ts: boom', E],
    ['10:00:00 AM [vite] ws error:', E],
  ],
};

/** Lines that mention a status, a level word, an error count or a panic without being one: INFO. */
const notLevels: [string, LogLevel][] = [
  ['0 errors', I],
  ['0 warnings', I],
  ['Found 0 errors', I],
  ['Compiled with 0 warnings', I],
  ['webpack compiled with 0 errors', I],
  ['GET /500 200 3 ms', I],
  ['GET /errors 200 1.234 ms - 19', I],
  ['GET /slow 200 500.123 ms - 2', I],
  ['127.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 404', I],
  ['127.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET /static/app.js HTTP/1.1" 304 0', I],
  ['2026/12/01 10:00:00 listening on :8080', I],
  ['2026/12/01 10:00:00 served 404 pages from cache', I],
  ['2026/12/01 10:00:00 [main] starting 500 workers', I],
  ["Don't panic: the cache is warm", I],
  ['panic mode off', I],
  ['the handler may panic: see the docs', I],
  ['goroutine leak check passed', I],
  ['request took 500 ms', I],
  ['retry in 500 ms (attempt 4 of 5)', I],
  ['Completed 500 jobs in 3s', I],
  ['Processed 404 records', I],
  ['POST requests: 500 per minute', I],
  ['exit status 0', I],
  ['compression level=3', I],
  ['level=errors_total value=0', I],
  ['ERRORS: none', I],
  ['src/errors.ts(3,7) is fine', I],
  ['[vite] (client) hmr update /src/errors.ts', I],
  ['Build succeeded with 0 warnings', I],
  ['Module notfound handler registered', I],
];

const allTables: Table = { ...table, ...captured, ...documented, 'false positives: server formats (must stay INFO)': notLevels };

describe('levels', () => {
  describe('LevelTagger on real output', () => {
    for (const [source, rows] of Object.entries(allTables)) {
      it(source, () => {
        const tagger = new LevelTagger();
        const got = rows.map(([line]) => [line, tagger.tag(line)]);
        assert.deepEqual(got, rows);
      });
    }
  });

  it('tags each table line the same when fed alone, outside tracebacks', () => {
    for (const [source, rows] of Object.entries(allTables)) {
      if (/traceback|exception group|source line/i.test(source)) continue; // those need the lines before them
      for (const [line, level] of rows) assert.equal(new LevelTagger().tag(line), level, line);
    }
  });

  it('has at least 40 real lines in the table', () => {
    assert.ok(Object.values(table).flat().length >= 40);
  });

  it('has at least 60 captured server and dev-tool lines, with 4xx/5xx and INFO for each format', () => {
    const rows = Object.values(captured).flat();
    assert.ok(rows.length >= 60, `${rows.length} captured lines`);
    for (const [source, group] of Object.entries(captured)) {
      const levels = new Set(group.map(([, level]) => level));
      assert.ok(levels.has('INFO') && (levels.has('ERROR') || levels.has('WARN')), source);
    }
  });

  it('reads the status after the request in every access-log shape', () => {
    assert.equal(accessLevel('::1 - GET /boom HTTP/1.1 500 21 - 3.456 ms'), 'ERROR'); // morgan short
    assert.equal(accessLevel('::1 - GET /500 HTTP/1.1 200 21 - 3.456 ms'), 'INFO');
    assert.equal(accessLevel('2026/12/01 10:00:00 "GET http://x/ HTTP/1.1" from 127.0.0.1:5 - 404 19B in 15µs'), 'WARN'); // chi
    assert.equal(accessLevel('request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8080/"'), undefined); // nginx error log
    assert.equal(levelOf('GET /x 404'), 'WARN');
    assert.equal(levelOf('GET /x -'), undefined); // morgan dev before the response finished
    assert.equal(levelOf('GET x 500 1 ms'), undefined); // not a path
  });

  it('keeps a Go traceback per tagger and ends it at the first line that is not a frame', () => {
    const t = new LevelTagger();
    assert.equal(t.tag('goroutine 7 [IO wait]:'), 'ERROR');
    assert.equal(t.tag('internal/poll.runtime_pollWait(0x7f, 0x72)'), 'ERROR');
    assert.equal(t.tag('Listening on :8080 (pid 12)'), 'INFO');
    assert.equal(t.tag('main.main()'), 'INFO'); // outside a traceback a call-looking line says nothing
    assert.ok(isGoTraceLine('...additional frames elided...'));
    assert.ok(!isGoTraceLine(' indented (x)'));
    assert.ok(!isGoTraceLine('GET / (200)'));
  });

  it('stays linear on long hostile lines', () => {
    const n = 64 * 1024;
    const hostile = [
      'GET /' + 'a'.repeat(n),
      '('.repeat(n) + ' TS',
      ':1'.repeat(n / 2) + ' TS',
      ': ('.repeat(n / 3),
      'level=' + 'a'.repeat(n),
      'Completed ' + '5'.repeat(n),
      'A::'.repeat(n / 3) + ' (',
      'X' + 'Error'.repeat(n / 5) + ' (x',
      '2026/12/01 10:00:00 ' + 'a'.repeat(n) + '.go',
      ' HTTP/1.1" from ' + 'a'.repeat(n),
      '[' + 'x'.repeat(n),
      'main.f' + '('.repeat(n),
    ];
    const start = performance.now();
    for (const line of hostile) {
      const t = new LevelTagger();
      t.tag('goroutine 1 [running]:');
      t.tag(line);
      levelOf(line);
    }
    const ms = performance.now() - start;
    assert.ok(ms < 500, `${ms.toFixed(0)} ms for ${hostile.length} lines of 64 KiB`);
  });

  it('ends a traceback at its exception line', () => {
    const t = new LevelTagger();
    for (const line of [
      'Traceback (most recent call last):',
      '  File "a.py", line 1, in <module>',
      'ZeroDivisionError: division by zero',
    ]) {
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

  it("takes a JSON or logfmt line's level from its level field, whatever its message says (issue 11)", () => {
    assert.equal(levelOf('{"level":30,"msg":"127.0.0.1 - \\"GET /x HTTP/1.1\\" 500"}'), 'INFO');
    assert.equal(levelOf('{"level":"warn","message":"Error: retrying"}'), 'WARN');
    assert.equal(levelOf('{"severity":"ERROR","message":"GET /health 200"}'), 'ERROR');
    assert.equal(levelOf('time=2026-12-01T10:00:00Z level=info msg="Completed 500 Internal Server Error in 12ms"'), 'INFO');
    assert.equal(levelOf('level=debug msg="GET / 404"'), 'DEBUG');
    // Not logfmt (prose first): the table decides as before.
    assert.equal(levelOf('INFO:     127.0.0.1:1 - "GET /x?level=debug HTTP/1.1" 500 Internal Server Error'), 'ERROR');
  });

  it('tags a Rust panic line ERROR', () => {
    assert.equal(levelOf("thread 'main' (27543) panicked at src/main.rs:1:48:"), 'ERROR');
    assert.equal(levelOf("thread 'tokio-runtime-worker' panicked at 'boom', src/lib.rs:2:5"), 'ERROR');
  });

  it('names every rule uniquely', () => {
    const names = LEVEL_RULES.map((r) => r.name);
    assert.equal(new Set(names).size, names.length);
  });
});
