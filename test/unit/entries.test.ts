import assert from 'node:assert/strict';
import { MAX_ENTRY_LINES } from '../../src/host/entries';
import { bracketDelta } from '../../src/host/entryShapes';
import { LineTagger } from '../../src/host/lineTagger';
import { entrySizes } from './helpers/entrySizes';
import {
  GO_HTTP_PANIC,
  GO_PANIC,
  JAVA_CAUSED_BY,
  NODE_CAUGHT,
  NODE_UNCAUGHT,
  PYTHON_CAUSE,
  PYTHON_CONTEXT,
  PYTHON_LOGGED,
  PYTHON_PLAIN,
  RUST_BACKTRACE,
  RUST_PANIC_ONLY,
} from './helpers/capturedTraces';
import { FASTAPI_BOOM_STDERR } from './helpers/capturedFastapi';

const ASGI_HEAD = '\x1b[31mERROR\x1b[0m:    Exception in ASGI application';

describe('entries', () => {
  // [case, lines, sizes of the entries they form]
  const table: [string, readonly string[], number[]][] = [
    ['Python traceback', PYTHON_PLAIN, [5]],
    ['Python chained: "The above exception was the direct cause"', PYTHON_CAUSE, [14]],
    ['Python chained: "During handling of the above exception"', PYTHON_CONTEXT, [25]],
    ['Python traceback with its logger head (logging.exception)', PYTHON_LOGGED, [6]],
    ['uvicorn: the ASGI logger head, its 25 frames and the exception, twice', FASTAPI_BOOM_STDERR, [1, 1, 1, 1, 1, 52, 52, 1, 1, 1, 1]],
    ['Python tracebacks back to back are two entries', [...PYTHON_PLAIN, ...PYTHON_PLAIN], [5, 5]],
    [
      'Django: Internal Server Error head, then its access line apart',
      ['Internal Server Error: /boom', ...PYTHON_PLAIN, '[01/Dec/2026 10:00:00] "GET /boom HTTP/1.1" 500 145'],
      [6, 1],
    ],
    [
      'Flask: the app logger head',
      [
        '[2026-12-01 10:00:03,123] ERROR in app: Exception on /boom [GET]',
        ...PYTHON_PLAIN,
        '127.0.0.1 - - [01/Dec/2026 10:00:03] "GET /boom HTTP/1.1" 500 -',
      ],
      [6, 1],
    ],
    ['an INFO line does not announce a traceback', ['INFO:     Application startup complete.', ...PYTHON_PLAIN], [1, 5]],
    [
      'Python 3.11 exception group',
      [
        '  + Exception Group Traceback (most recent call last):',
        '  |   File "/srv/app/app.py", line 3, in <module>',
        '  |     raise ExceptionGroup("eg", [ValueError(1), TypeError(2)])',
        '  | ExceptionGroup: eg (2 sub-exceptions)',
        '  +-+---------------- 1 ----------------',
        '    | ValueError: 1',
        '    +---------------- 2 ----------------',
        '    | TypeError: 2',
        '    +------------------------------------',
        'INFO:     next',
      ],
      [9, 1],
    ],
    [
      'a Python warning with its source line',
      [
        '/srv/app/main.py:3: DeprecationWarning: datetime.utcnow() is deprecated',
        '  now = datetime.utcnow()',
        '  indented, but not its',
        'next',
      ],
      [2, 1, 1],
    ],
    ['Node error with its stack (console.error(err))', NODE_CAUGHT, [5]],
    ['Node uncaught: preamble, source, caret, stack, properties, version', NODE_UNCAUGHT, [17]],
    ['Node stacks back to back, then a log line', [...NODE_CAUGHT, ...NODE_CAUGHT, 'Server listening on :3000'], [5, 5, 1]],
    [
      'Node error with a cause',
      [
        'Error: outer',
        '    at main (/srv/app/app.js:5:9) {',
        '  [cause]: Error: inner',
        '      at main (/srv/app/app.js:3:11)',
        '}',
        'GET / 200 3.1 ms - 12',
      ],
      [5, 1],
    ],
    [
      'Next.js: a server error with its code frame and digest',
      [
        ' ⨯ Error: boom',
        '    at Page (app/boom/page.tsx:3:9)',
        '  1 | export default function Page() {',
        "> 3 |   throw new Error('boom')",
        '    |         ^',
        '  4 | } {',
        "  digest: '2761491393'",
        '}',
        ' GET /boom 500 in 61ms',
      ],
      [8, 1],
    ],
    [
      'Next.js: a code frame without a digest, then the access line',
      [
        ' ⨯ Error: boom',
        '    at Page (app/boom/page.tsx:3:9)',
        '  2 | function Page() {',
        "> 3 |   throw new Error('boom')",
        '  4 | }',
        ' GET /boom 500 in 61ms',
      ],
      [5, 1],
    ],
    ['Java: Caused by and "... 1 more"', JAVA_CAUSED_BY, [10]],
    [
      'Spring: the logger head announces the exception',
      [
        '2026-12-01T10:00:00.123Z ERROR 4242 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() threw exception',
        'java.lang.ArithmeticException: / by zero',
        '\tat com.example.demo.Ctrl.divide(Ctrl.java:15) ~[classes/:na]',
        '\tat java.base/java.lang.Thread.run(Thread.java:833) ~[na:na]',
        '2026-12-01T10:00:01.000Z  INFO 4242 --- [nio-8080-exec-2] c.e.demo.Ctrl : ok',
      ],
      [4, 1],
    ],
    ['Go panic with `go run`’s exit status', GO_PANIC, [8]],
    ['Go: net/http’s panic line announces the goroutine', [...GO_HTTP_PANIC, '2026/12/01 10:00:01 GET /ok'], [12, 1]],
    [
      'Go goroutine dump (SIGQUIT) of two goroutines',
      [
        'goroutine 1 [chan receive]:',
        'main.main()',
        '\t/srv/app/main.go:20 +0x65',
        '',
        'goroutine 18 [select]:',
        'net/http.(*persistConn).writeLoop(0xc000180000)',
        '\t/usr/local/go/src/net/http/transport.go:2421 +0xe5',
        'created by net/http.(*Transport).dialConn in goroutine 17',
        '\t/usr/local/go/src/net/http/transport.go:1777 +0x16f1',
        'listening on :8080',
      ],
      [9, 1],
    ],
    ['Rust panic with a backtrace', RUST_BACKTRACE, [14]],
    ['Rust panic without one', [...RUST_PANIC_ONLY, 'Server started'], [3, 1]],
    [
      'Rust assert_eq! panic (old format)',
      ["thread 'main' panicked at 'assertion failed: `(left == right)`", '  left: `1`,', ' right: `2`', "', src/main.rs:2:5"],
      [3, 1],
    ],
    [
      'multi-line JSON',
      ['{', '  "level": "error",', '  "msg": "db down",', '  "err": { "code": 7 }', '}', '{"level":30,"msg":"next"}'],
      [5, 1],
    ],
    ['a Node inspect dump of an object', ['[', "  { id: 1, name: 'a' },", "  { id: 2, name: 'b}' }", ']', 'done'], [4, 1]],
    ['an unclosed bracket does not swallow the log', ['{', '  "a": 1,', 'INFO: next line', 'INFO: another'], [2, 1, 1]],
    [
      'an HTML error page dumped to the log',
      [
        '<!DOCTYPE html>',
        '<html lang="en">',
        '<head><title>500 Internal Server Error</title></head>',
        '<body><h1>Oops</h1></body>',
        '</html>',
        'GET / 500',
      ],
      [5, 1],
    ],
    [
      'two single errors in a row are two entries',
      ['ERROR:    first failure', 'ERROR:    second failure', 'Error: third', 'TypeError: fourth'],
      [1, 1, 1, 1],
    ],
    [
      'access lines and plain lines stand alone',
      [
        'INFO:     127.0.0.1:57106 - "GET /boom HTTP/1.1" 500 Internal Server Error',
        'INFO:     127.0.0.1:57122 - "GET / HTTP/1.1" 200 OK',
        '',
        '  indented but not a trace',
        '[nodemon] starting `node app.js`',
      ],
      [1, 1, 1, 1, 1],
    ],
    ['a JSON line on one line stands alone', ['{"level":50,"msg":"boom"}', '{"level":50,"msg":"boom"}'], [1, 1]],
  ];
  for (const [name, lines, sizes] of table) {
    it(name, () => {
      assert.deepEqual(entrySizes(lines), sizes);
    });
  }

  it('sends a head before its continuation exists: each line is decided as it arrives', () => {
    const tagger = new LineTagger();
    const head = tagger.line(ASGI_HEAD, 't', 'stderr', 41);
    assert.equal(head.entrySeq, undefined);
    assert.equal(head.level, 'ERROR');
    assert.equal(tagger.line('Traceback (most recent call last):', 't', 'stderr', 42).entrySeq, 41);
    assert.equal(tagger.line('  File "/srv/app/main.py", line 3, in boom', 't', 'stderr', 43).entrySeq, 41);
    assert.equal(tagger.line('RuntimeError: x', 't', 'stderr', 44).entrySeq, 41);
    assert.equal(tagger.line('INFO:     next', 't', 'stderr', 45).entrySeq, undefined);
  });

  it('keeps the seqs of the ring, not of the stream: a head seq is the line’s own', () => {
    const tagger = new LineTagger();
    assert.equal(tagger.line('Error: x', 't', 'stderr', 100).entrySeq, undefined);
    assert.equal(tagger.line('    at f (/srv/app/a.js:1:1)', 't', 'stderr', 105).entrySeq, 100);
  });

  it(`ends an entry at ${MAX_ENTRY_LINES} lines`, () => {
    const lines = ['goroutine 1 [running]:', ...Array.from({ length: MAX_ENTRY_LINES + 9 }, (_, i) => `\t/srv/app/main.go:${i}`)];
    assert.deepEqual(entrySizes(lines), [MAX_ENTRY_LINES, 10]);
  });

  it('counts brackets outside strings only', () => {
    assert.equal(bracketDelta('{ "a": "}{[", \'b\': [1, 2'), 2);
    assert.equal(bracketDelta('"x\\"}"}'), -1);
  });
});
