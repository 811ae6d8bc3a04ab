import assert from 'node:assert/strict';
import { RequestScanner } from '../../src/shared/accessLog';
import { entrySizes, errors, tag } from './helpers/entrySizes';
import {
  FLASK_IMPORT_ERROR,
  NODE_MODULE_NOT_FOUND,
  NODE_WARNINGS,
  NPM_MISSING_SCRIPT,
  PINO_PRETTY,
  VITE_INTERNAL_ERROR,
} from './helpers/capturedTools';

const SPRING_WARN_WITH_TRACE = [
  '2026-12-02T12:00:04.000Z  WARN 12345 --- [nio-8080-exec-2] c.e.demo.OrderController                 : Order lookup failed, serving cached copy',
  '',
  'java.net.SocketTimeoutException: Read timed out',
  '\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278) ~[na:na]',
  '\tat com.example.demo.OrderClient.fetch(OrderClient.java:33) ~[classes/:na]',
  '',
];
const SPRING_ERROR_WITH_TRACE = [
  '2026-12-02T12:00:03.000Z ERROR 12345 --- [           main] o.s.boot.SpringApplication               : Application run failed',
  '',
  'java.lang.IllegalStateException: Failed to execute CommandLineRunner',
  '\tat org.springframework.boot.SpringApplication.lambda$callRunner$5(SpringApplication.java:788) ~[spring-boot-3.4.0.jar:3.4.0]',
  '\tat com.example.demo.DemoApplication.main(DemoApplication.java:10) ~[classes/:na]',
  'Caused by: java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null',
  '\tat com.example.demo.Seeder.run(Seeder.java:21) ~[classes/:na]',
  '\t... 12 common frames omitted',
  '',
];
const SPRING_FAILED_TO_START = [
  '2026-12-02T12:00:03.000Z ERROR 12345 --- [           main] o.s.b.d.LoggingFailureAnalysisReporter   : ',
  '',
  '***************************',
  'APPLICATION FAILED TO START',
  '***************************',
  '',
  'Description:',
  '',
  'Web server failed to start. Port 8080 was already in use.',
  '',
  'Action:',
  '',
  "Identify and stop the process that's listening on port 8080 or configure this application to listen on another port.",
  '',
];
const NEST_EXCEPTIONS_HANDLER = [
  '[Nest] 12345  - 12/02/2026, 12:00:03 PM   ERROR [ExceptionsHandler] boom',
  'Error: boom',
  '    at AppController.getHello (/app/src/app.controller.ts:10:11)',
  '    at /app/node_modules/@nestjs/core/router/router-execution-context.js:38:29',
];
const ASYNCIO_NEVER_RETRIEVED = [
  'ERROR:asyncio:Task exception was never retrieved',
  "future: <Task finished name='Task-2' coro=<worker() done, defined at /app/main.py:4> exception=ValueError('bad')>",
  'Traceback (most recent call last):',
  '  File "/app/main.py", line 5, in worker',
  '    raise ValueError("bad")',
  'ValueError: bad',
];
const DJANGO_SYSTEM_CHECK = [
  'Exception in thread django-main-thread:',
  'Traceback (most recent call last):',
  '  File "/usr/lib/python3/dist-packages/django/core/management/base.py", line 469, in check',
  '    raise SystemCheckError(msg)',
  'django.core.management.base.SystemCheckError: SystemCheckError: System check identified some issues:',
  '',
  'ERRORS:',
  "shop.Item.owner: (fields.E300) Field defines a relation with model 'Nope', which is either not installed, or is abstract.",
  '',
  'WARNINGS:',
  "?: (2_0.W001) Your URL pattern 'old/$' has a route that contains '(?P<', begins with a '^', or ends with a '$'.",
  '',
  'System check identified 2 issues (0 silenced).',
];
const PHP_UNCAUGHT = [
  'PHP Fatal error:  Uncaught Error: Call to undefined function foo() in /app/x.php:3',
  'Stack trace:',
  '#0 {main}',
  '  thrown in /app/x.php on line 3',
];
const RUBY_UNCAUGHT = [
  "/app/app.rb:3:in '/': divided by 0 (ZeroDivisionError)",
  "\tfrom /app/app.rb:3:in 'divide'",
  "\tfrom /app/app.rb:7:in '<main>'",
];
const RUSTC = [
  'warning: unused variable: `y`',
  ' --> src/main.rs:2:9',
  '  |',
  '2 |     let y = 5;',
  '  |         ^ help: if this is intentional, prefix it with an underscore: `_y`',
  '  |',
  '  = note: `#[warn(unused_variables)]` on by default',
  '',
  'error[E0425]: cannot find value `x` in this scope',
  ' --> src/main.rs:3:20',
  '  |',
  '3 |     println!("{}", x);',
  '  |                    ^ not found in this scope',
  '',
  'error: could not compile `my_app` (bin "my_app") due to 1 previous error; 1 warning emitted',
];
const DOTNET_FAIL = [
  'fail: Microsoft.AspNetCore.Diagnostics.DeveloperExceptionPageMiddleware[1]',
  '      An unhandled exception has occurred while executing the request.',
  '      System.InvalidOperationException: boom',
  '         at Program.<>c.<<Main>$>b__0_0() in /app/Program.cs:line 9',
  '         at Microsoft.AspNetCore.Routing.EndpointMiddleware.Invoke(HttpContext httpContext)',
  'info: Microsoft.Hosting.Lifetime[14]',
  '      Now listening on: http://localhost:5000',
];
const ZAP_WARN_WITH_STACK = [
  '2026-12-02T12:00:00.002Z\tWARN\tapp/main.go:30\tslow request\t{"path": "/x", "latency": "1.2s"}',
  'main.handler',
  '\t/app/main.go:30',
  'net/http.HandlerFunc.ServeHTTP',
  '\t/usr/local/go/src/net/http/server.go:2220',
];
const CONSOLA_ERROR = [
  '',
  ' ERROR  payment failed',
  '',
  '    at Server.<anonymous> (/app/server.js:10:17)',
  '    at Server.emit (node:events:536:35)',
  '',
];

describe('entries of real tools (QA corpus, 2026-12-02)', () => {
  const cases: [string, readonly string[], number[]][] = [
    ['Vite 8: internal server error, its oxc frame, plugin, file and stack', VITE_INTERNAL_ERROR, [VITE_INTERNAL_ERROR.length]],
    ['npm: one missing script, five `npm error` lines', NPM_MISSING_SCRIPT, [5]],
    ['Node: MODULE_NOT_FOUND with its Require stack', NODE_MODULE_NOT_FOUND, [NODE_MODULE_NOT_FOUND.length]],
    ['Node warnings with the `(Use node --trace-…)` line under each', NODE_WARNINGS, [2, 2]],
    ['Flask: an import error, a blank line, its traceback', FLASK_IMPORT_ERROR, [FLASK_IMPORT_ERROR.length]],
    ['pino-pretty: each line with its indented fields', PINO_PRETTY, [2, 1, 2, 1, 1, 12, 12, 1, 2]],
    ['Spring: WARN, a blank line, the exception', SPRING_WARN_WITH_TRACE, [6]],
    ['Spring: ERROR, a blank line, the exception with its cause', SPRING_ERROR_WITH_TRACE, [9]],
    ['Spring: the failure analysis report', SPRING_FAILED_TO_START, [14]],
    ['Nest: the ExceptionsHandler line, then the error it names', NEST_EXCEPTIONS_HANDLER, [4]],
    ['asyncio: the logger line, `future: <Task …>`, the traceback', ASYNCIO_NEVER_RETRIEVED, [6]],
    ["Django: a SystemCheckError's report under its traceback", DJANGO_SYSTEM_CHECK, [13]],
    ['PHP: uncaught error, `Stack trace:`, `#0`, `thrown in`', PHP_UNCAUGHT, [4]],
    ['Ruby: uncaught exception and its `from` frames', RUBY_UNCAUGHT, [3]],
    ['rustc: each diagnostic with its gutter lines', RUSTC, [8, 6, 1]],
    ['.NET: each logger line with its indented message', DOTNET_FAIL, [5, 2]],
    ['zap development: WARN with its stack', ZAP_WARN_WITH_STACK, [5]],
    ["consola: an error's badge, a blank line, its stack", CONSOLA_ERROR, [1, 5]],
    [
      'the same error line three times: three entries',
      [
        'Error: connect ECONNREFUSED 127.0.0.1:5432',
        'Error: connect ECONNREFUSED 127.0.0.1:5432',
        '',
        'Error: connect ECONNREFUSED 127.0.0.1:5432',
      ],
      [1, 2, 1],
    ],
    [
      "winston's `error: Error: boom` with a Node stack: one entry",
      [
        'error: Error: boom',
        '    at Object.<anonymous> (/app/index.js:3:9)',
        '    at Module._compile (node:internal/modules/cjs/loader:1376:14)',
      ],
      [3],
    ],
    ['`error: …` and a table under it are not a rustc diagnostic', ['error: something failed', '| col1 | col2 |', '...'], [1, 1, 1]],
    [
      'Next.js 13 lines after a stack are their own entries',
      [
        "TypeError: Cannot read properties of undefined (reading 'x')",
        '    at Page (/app/.next/server/app/page.js:12:5)',
        '- wait compiling /page (client and server)...',
        '- error ./app/page.tsx:5:3',
      ],
      [2, 1, 1],
    ],
    [
      "React's dev warning: the blank line, its link line and the component stack",
      [
        'Warning: Each child in a list should have a unique "key" prop.',
        '',
        'Check the top-level render call using <ul>. See https://reactjs.org/link/warning-keys for more information.',
        '    at li',
        '    at App (/app/src/App.js:12:5)',
        'GET / 200 in 35ms',
      ],
      [5, 1],
    ],
    [
      'Deno: an uncaught error, its source line and caret, its frames',
      [
        'error: Uncaught (in promise) Error: Key length is zero',
        '  await import(entrypoint);',
        '  ^',
        '    at async dev (https://deno.land/x/fresh@1.1.0/src/dev/mod.ts:187:3)',
        '    at async file:///app/dev.ts:5:1',
        'Watcher Process finished. Restarting on file change...',
      ],
      [5, 1],
    ],
    [
      'PostgreSQL: an error and its STATEMENT/DETAIL lines of the same backend',
      [
        '2026-12-02 12:00:01.456 UTC [27] ERROR:  relation "users" does not exist at character 15',
        '2026-12-02 12:00:01.456 UTC [27] STATEMENT:  SELECT * FROM users',
        '2026-12-02 12:00:02.789 UTC [28] FATAL:  password authentication failed for user "postgres"',
        '2026-12-02 12:00:02.789 UTC [28] DETAIL:  Connection matched file "/var/lib/postgresql/data/pg_hba.conf" line 128',
        '2026-12-02 12:00:02.790 UTC [29] DETAIL:  another backend',
      ],
      [2, 2, 1],
    ],
    [
      // Elixir is not installed here: the shapes of Logger's console output from its docs.
      "Elixir: a GenServer's crash report and Phoenix's request parameters, each one entry",
      [
        '[error] GenServer MyApp.Worker terminating',
        '** (RuntimeError) boom',
        '    (my_app 0.1.0) lib/my_app/worker.ex:15: MyApp.Worker.handle_info/2',
        '    (stdlib 5.2) gen_server.erl:1095: :gen_server.try_handle_info/3',
        'Last message: :tick',
        'State: %{count: 3}',
        '[info] GET /',
        '[debug] Processing with HelloWeb.PageController.index/2',
        '  Parameters: %{}',
        '  Pipelines: [:browser]',
        '[info] Sent 200 in 2ms',
        'Rebuilding...',
      ],
      [6, 1, 3, 1, 1],
    ],
    [
      'webpack: each diagnostic with its message, a code frame after a blank line, not the summary',
      [
        'WARNING in ./src/index.js 3:0-12',
        "export 'foo' (imported as 'foo') was not found in './lib' (possible exports: bar)",
        '',
        'ERROR in ./src/index.js',
        'Module build failed (from ./node_modules/babel-loader/lib/index.js):',
        'SyntaxError: /app/src/index.js: Unexpected token (3:10)',
        '',
        '  1 | import { bar } from "./lib";',
        '> 3 | const x = ;',
        '    |           ^',
        '',
        '[tsl] ERROR in /app/src/index.ts(3,7)',
        "      TS2322: Type 'string' is not assignable to type 'number'.",
        '',
        'webpack 5.97.1 compiled with 2 errors and 1 warning in 412 ms',
      ],
      [3, 8, 3, 1],
    ],
    [
      '`docker compose logs`: a traceback behind the service prefix, no `Attaching to` line',
      [
        'web-1  | ERROR:    Exception in ASGI application',
        'web-1  | Traceback (most recent call last):',
        'web-1  |   File "/app/main.py", line 9, in boom',
        'web-1  |     1 / 0',
        'web-1  | ZeroDivisionError: division by zero',
        'db-1   | 2026-12-02 12:00:00.000 UTC [1] LOG:  database system is ready to accept connections',
      ],
      [5, 1],
    ],
    [
      'esbuild 0.28: each diagnostic with its blank and indented lines (location, code frame, note)',
      [
        '▲ [WARNING] Comparison with -0 using the "==" operator will also match 0 [equals-negative-zero]',
        '',
        '    src/app.ts:5:9:',
        '      5 │ if (x == -0) {}',
        '        ╵          ~~',
        '',
        '  Floating-point equality is defined such that 0 and -0 are equal.',
        '',
        '✘ [ERROR] Could not resolve "./nope"',
        '',
        '    src/app.ts:2:7:',
        '      2 │ import "./nope";',
        '        ╵        ~~~~~~~~',
        '',
        '[watch] build finished, watching for changes...',
      ],
      [8, 6, 1],
    ],
    [
      'Next.js 16 (Turbopack): the location line, the error, its code frame, blank lines and the docs link',
      [
        '⨯ ./app/page.js:1:1',
        "Error: Module not found: Can't resolve './missing-module'",
        "> 1 | import x from './missing-module';",
        '    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  2 | export default function Page() { return <h1>errors: 0</h1>; }',
        '',
        '',
        'https://nextjs.org/docs/messages/module-not-found',
        '',
        ' GET / 500 in 120ms',
      ],
      [8, 1, 1],
    ],
    [
      "pytest 7: each failure's section to the next heading, the warnings summary too",
      [
        '=================================== FAILURES ===================================',
        '_______________________________ test_total_wrong _______________________________',
        '',
        '    def test_total_wrong():',
        '>       assert total(items) == 6',
        'E       AssertionError: assert 5 == 6',
        '',
        'test_api.py:13: AssertionError',
        '=============================== warnings summary ===============================',
        'test_api.py::test_warns',
        '  /app/test_api.py:27: DeprecationWarning: old API',
        '    warnings.warn("old API", DeprecationWarning)',
        '',
        '=========================== short test summary info ============================',
        'FAILED test_api.py::test_total_wrong - AssertionError: assert 5 == 6',
      ],
      [1, 7, 5, 1, 1],
    ],
    [
      "node --test's TAP: `not ok` with its YAML block, nested too; a passing test's block is left alone",
      [
        '# Subtest: totals add up',
        'not ok 2 - totals add up',
        '  ---',
        "  error: 'Expected values to be strictly equal'",
        '  ...',
        '# Subtest: handles errors',
        '    not ok 1 - rejects bad input',
        '      ---',
        "      code: 'ERR_TEST_FAILURE'",
        '      ...',
        '    1..1',
        'ok 3 - parses',
      ],
      [1, 4, 1, 4, 1, 1],
    ],
    [
      'Python: a SyntaxError in the script it runs, reported without a Traceback line',
      ['  File "/app/main.py", line 3', '    def handler(req:', '               ^', "SyntaxError: '(' was never closed", 'Exiting.'],
      [4, 1],
    ],
    [
      'Nuxt (consola): an error with ` ⁃ at` frames',
      [
        'ERROR  [request error] [unhandled] [GET] http://localhost:3000/',
        '',
        ' ⁃ at createCompilerError (node_modules/@vue/compiler-core/dist/compiler-core.cjs.js:1378:17)',
        ' ⁃ at emitError (node_modules/@vue/compiler-core/dist/compiler-core.cjs.js:3040:5)',
      ],
      [4],
    ],
    [
      'a row of asterisks after a warning is no report',
      ['WARN low disk space', '***************************', 'App starting', '  Port: 3000'],
      [1, 1, 1, 1],
    ],
  ];
  for (const [name, lines, sizes] of cases) it(name, () => assert.deepEqual(entrySizes(lines), sizes));

  it('counts each failure once in /errors, a crash after a warning too, and the frames under a warning or a trace not at all', () => {
    assert.equal(errors(NPM_MISSING_SCRIPT).length, 1);
    assert.equal(errors(NODE_MODULE_NOT_FOUND).length, 1);
    assert.equal(errors(FLASK_IMPORT_ERROR).length, 1);
    assert.equal(errors(NEST_EXCEPTIONS_HANDLER).length, 1);
    assert.equal(errors(VITE_INTERNAL_ERROR).length, 1);
    assert.deepEqual(
      errors([
        'Error: connect ECONNREFUSED 127.0.0.1:5432',
        'Error: connect ECONNREFUSED 127.0.0.1:5432',
        '',
        'Error: connect ECONNREFUSED 127.0.0.1:5432',
      ]),
      [{ title: 'Error: connect ECONNREFUSED 127.0.0.1:5432', count: 3 }],
    );
    // The exception under a warning counts: the same shape as a crash right after a warning.
    assert.equal(errors(SPRING_WARN_WITH_TRACE).length, 1);
    assert.deepEqual(
      errors([
        'WARNING:root:DATABASE_URL not set, falling back to sqlite',
        'Traceback (most recent call last):',
        '  File "/app/main.py", line 9, in <module>',
        '    connect()',
        'ConnectionError: could not connect to sqlite:///db.sqlite3',
      ]).map((e) => e.title),
      ['ConnectionError: could not connect to sqlite:///db.sqlite3'],
    );
    assert.deepEqual(errors(ZAP_WARN_WITH_STACK), []);
    assert.deepEqual(
      errors([
        'Warning: Each child in a list should have a unique "key" prop.',
        '',
        'Check the top-level render call using <ul>. See https://reactjs.org/link/warning-keys for more information.',
        '    at li',
        '    at App (/app/src/App.js:12:5)',
      ]),
      [],
    );
    assert.deepEqual(
      errors(['Trace: where am I', '    at main (/app/index.js:3:9)', '    at Module._compile (node:internal/modules/cjs/loader:1521:14)']),
      [],
    );
  });

  it('titles each error by what went wrong, without the logger prefix', () => {
    const title = (lines: readonly string[]) => errors(lines).map((e) => e.title);
    assert.deepEqual(title(VITE_INTERNAL_ERROR), ["[PARSE_ERROR] Expected corresponding JSX closing tag for 'h1'. (src/App.tsx:19:28)"]);
    assert.deepEqual(title(NPM_MISSING_SCRIPT), ['Missing script: "nosuch"']);
    assert.deepEqual(title(NEST_EXCEPTIONS_HANDLER), ['Error: boom']);
    assert.deepEqual(title(PINO_PRETTY), ['charge failed', 'handler crashed', 'out of memory, shutting down']);
    assert.deepEqual(title(CONSOLA_ERROR), ['payment failed']);
    assert.deepEqual(
      title([
        'node:internal/process/promises:289',
        '            triggerUncaughtException(err, true /* fromPromise */);',
        '            ^',
        '',
        '[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "boom".] {',
        "  code: 'ERR_UNHANDLED_REJECTION'",
        '}',
        '',
        'Node.js v20.20.2',
      ]),
      ['UnhandledPromiseRejection: boom'],
    );
    assert.deepEqual(
      title([
        '{"level":50,"time":1764676800000,"pid":1,"hostname":"h","err":{"type":"Error","message":"payment failed","stack":"Error: payment failed\\n    at x (/app/a.js:1:1)"},"msg":"charge failed"}',
        '{"name":"api","hostname":"h","pid":1,"level":50,"msg":"db down","time":"2026-12-02T12:00:00.000Z","v":0}',
      ]),
      ['charge failed — Error: payment failed', 'db down'],
    );
    assert.deepEqual(
      title([
        'ERROR:    Exception in ASGI application',
        '  + Exception Group Traceback (most recent call last):',
        '  |   File "/app/main.py", line 9, in boom',
        '  |     raise ExceptionGroup("several failures",[ValueError("a"),KeyError("b")])',
        '  | ExceptionGroup: several failures (2 sub-exceptions)',
        '  +-+---------------- 1 ----------------',
        '    | ValueError: a',
        '    +------------------------------------',
      ]),
      ['ExceptionGroup: several failures (2 sub-exceptions)'],
    );
    assert.deepEqual(title(['[2026-12-02 12:40:04,783] ERROR in run: payment failed for order 42']), ['payment failed for order 42']);
    assert.deepEqual(title(['ERROR 2026-12-02 12:40:04,783 djsite.views payment failed for order 42']), [
      'djsite.views payment failed for order 42',
    ]);
    // The same format with its `{process:d} {thread:d}` (captured from Django 3.2, 2026-12-02).
    assert.deepEqual(title(['ERROR 2026-12-02 18:21:07,931 logs 25378 139777249665088 payment failed 1']), ['logs payment failed 1']);
  });

  it('keeps an Android crash in logcat one entry and one error, whatever its time and pid', () => {
    const crash = (time: string, pid: number): string[] =>
      [
        'FATAL EXCEPTION: main',
        'Process: com.example.app, PID: ' + pid,
        'java.lang.RuntimeException: Unable to start activity ComponentInfo{com.example.app/com.example.app.MainActivity}: java.lang.IllegalStateException: boom',
        '\tat android.app.ActivityThread.performLaunchActivity(ActivityThread.java:3449)',
        'Caused by: java.lang.IllegalStateException: boom',
        '\tat com.example.app.MainActivity.onCreate(MainActivity.kt:12)',
        '\t... 11 more',
      ].map((text) => `12-02 ${time}  ${pid}  ${pid} E AndroidRuntime: ${text}`);
    const log = [
      '12-02 15:40:02.801  4410  4410 D MainActivity: onCreate',
      ...crash('15:40:02.870', 4410),
      '12-02 15:40:02.885  1520  1702 W ActivityTaskManager:   Force finishing activity com.example.app/.MainActivity',
      '12-02 15:40:02.886  1520  1702 W ActivityTaskManager:   Force finishing activity com.example.app/.OtherActivity',
      // Separate INFO messages a chatty tag logs within one millisecond stay apart.
      '12-02 15:40:02.900  1520  1520 I ActivityManager: Process com.example.app (pid 4410) has died: fg  TOP',
      '12-02 15:40:02.900  1520  1520 I ActivityManager: Killing 4410:com.example.app/u0a190 (adj 0): crash',
      ...crash('15:41:10.002', 4533),
    ];
    assert.deepEqual(entrySizes(log), [1, 7, 1, 1, 1, 1, 7]);
    assert.deepEqual(errors(log), [
      {
        title:
          'java.lang.RuntimeException: Unable to start activity ComponentInfo{com.example.app/com.example.app.MainActivity}: java.lang.IllegalStateException: boom',
        count: 2,
      },
    ]);
    // logcat's brief format (and Flutter's) repeats its header too.
    const brief = [
      'E/AndroidRuntime( 4410): FATAL EXCEPTION: main',
      'E/AndroidRuntime( 4410): java.lang.IllegalStateException: boom',
      'I/flutter ( 4410): hi',
    ];
    assert.deepEqual(entrySizes(brief), [2, 1]);
  });

  it("lists no error for a 500 that Fiber's or Echo's request logger reports (a request, not an error)", () => {
    const lines = [
      '12:00:02 | 500 |   1.5ms |       127.0.0.1 | POST    | /orders | boom',
      '{"time":"2026-12-02T12:00:00.2Z","remote_ip":"127.0.0.1","method":"GET","uri":"/boom","status":500,"error":"boom"}',
    ];
    assert.deepEqual(
      tag(lines).map((line) => line.level),
      ['ERROR', 'ERROR'],
    );
    assert.deepEqual(errors(lines), []);
  });

  // Flask's dev server (Werkzeug, threaded), captured 2026-12-02: a request's access line printed by
  // another thread lands inside a background thread's traceback.
  it("keeps a thread's traceback whole when another thread's access line lands inside it", () => {
    const threadCrash = (time: string): string[] => [
      'Exception in thread Thread-5 (work):',
      'Traceback (most recent call last):',
      '  File "/usr/lib/python3.11/threading.py", line 1038, in _bootstrap_inner',
      `127.0.0.1 - - [02/Dec/2026 ${time}] "GET /thread HTTP/1.1" 200 -`,
      '    self.run()',
      '  File "/usr/lib/python3.11/threading.py", line 975, in run',
      '    self._target(*self._args, **self._kwargs)',
      '  File "/tmp/proj/app.py", line 60, in work',
      '    raise OSError("background job failed")',
      'OSError: background job failed',
    ];
    const log = [...threadCrash('18:21:31'), '127.0.0.1 - - [02/Dec/2026 18:21:32] "GET / HTTP/1.1" 200 -', ...threadCrash('18:21:33')];
    const tagged = tag(log);
    assert.deepEqual(entrySizes(log), [10, 1, 10]);
    assert.equal(tagged[3].level, 'INFO', 'the access line keeps its own level');
    assert.equal(tagged[4].level, 'ERROR', 'the frames after it are still the traceback');
    assert.deepEqual(errors(log), [{ title: 'OSError: background job failed', count: 2 }]);
    const scanner = new RequestScanner();
    scanner.push(tagged.map((line, i) => ({ ...line, seq: i + 1 })));
    assert.deepEqual(
      scanner.records.map((r) => r.path),
      ['/thread', '/', '/thread'],
      'the access line inside the traceback is still a request',
    );
  });

  it("heads a traceback with Werkzeug's line about a request that failed mid-response", () => {
    for (const head of [
      'Error on request:',
      'Debugging middleware caught exception in streamed response at a point where response headers were already sent.',
    ]) {
      const log = [
        head,
        'Traceback (most recent call last):',
        '  File "/usr/lib/python3/dist-packages/werkzeug/serving.py", line 335, in run_wsgi',
        '    execute(self.server.app)',
        '  File "/tmp/proj/app.py", line 53, in gen',
        '    raise RuntimeError("stream broke")',
        'RuntimeError: stream broke',
      ];
      assert.equal(tag(log)[0].level, 'ERROR', head);
      assert.deepEqual(entrySizes(log), [7], head);
      assert.deepEqual(errors(log), [{ title: 'RuntimeError: stream broke', count: 1 }], head);
    }
  });
});
