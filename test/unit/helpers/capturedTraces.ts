/**
 * Traces as real programs print them (captured with CPython 3.11, Node 20, OpenJDK 17, rustc 1.9x;
 * the Go ones as Go 1.21 prints them), the scratch folder shown as /srv/app. Shared by the
 * stack-frame, entry and fingerprint tests.
 */

export const PYTHON_PLAIN = [
  'Traceback (most recent call last):',
  '  File "/srv/app/app.py", line 17, in <module>',
  '    1/0',
  '    ~^~',
  'ZeroDivisionError: division by zero',
];

export const PYTHON_CAUSE = [
  'Traceback (most recent call last):',
  '  File "/srv/app/app.py", line 6, in handler',
  '    return 1/0',
  '           ~^~',
  'ZeroDivisionError: division by zero',
  '',
  'The above exception was the direct cause of the following exception:',
  '',
  'Traceback (most recent call last):',
  '  File "/srv/app/app.py", line 19, in <module>',
  '    handler()',
  '  File "/srv/app/app.py", line 8, in handler',
  '    raise ValueError("bad input 42") from e',
  'ValueError: bad input 42',
];

export const PYTHON_CONTEXT = [
  'Traceback (most recent call last):',
  '  File "/srv/app/app.py", line 11, in other',
  '    parse("{bad")',
  '  File "/srv/app/app.py", line 3, in parse',
  '    return json.loads(s)',
  '           ^^^^^^^^^^^^^',
  '  File "/usr/lib/python3.11/json/__init__.py", line 346, in loads',
  '    return _default_decoder.decode(s)',
  '           ^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/usr/lib/python3.11/json/decoder.py", line 337, in decode',
  '    obj, end = self.raw_decode(s, idx=_w(s, 0).end())',
  '               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/usr/lib/python3.11/json/decoder.py", line 353, in raw_decode',
  '    obj, end = self.scan_once(s, idx)',
  '               ^^^^^^^^^^^^^^^^^^^^^^',
  'json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)',
  '',
  'During handling of the above exception, another exception occurred:',
  '',
  'Traceback (most recent call last):',
  '  File "/srv/app/app.py", line 21, in <module>',
  '    other()',
  '  File "/srv/app/app.py", line 13, in other',
  '    raise KeyError("missing")',
  "KeyError: 'missing'",
];

export const PYTHON_LOGGED = [
  'ERROR:root:request failed',
  'Traceback (most recent call last):',
  '  File "/srv/app/app.py", line 26, in <module>',
  '    1/0',
  '    ~^~',
  'ZeroDivisionError: division by zero',
];

export const NODE_CAUGHT = [
  "TypeError: Cannot read properties of null (reading 'x')",
  '    at handler (/srv/app/app.js:1:26)',
  '    at Timeout._onTimeout (/srv/app/app.js:2:24)',
  '    at listOnTimeout (node:internal/timers:581:17)',
  '    at process.processTimers (node:internal/timers:519:7)',
];

export const NODE_UNCAUGHT = [
  'node:fs:573',
  '  return binding.open(',
  '                 ^',
  '',
  "Error: ENOENT: no such file or directory, open '/nonexistent/x'",
  '    at Object.openSync (node:fs:573:18)',
  '    at Object.readFileSync (node:fs:452:35)',
  '    at Timeout._onTimeout (/srv/app/app.js:4:17)',
  '    at listOnTimeout (node:internal/timers:581:17)',
  '    at process.processTimers (node:internal/timers:519:7) {',
  '  errno: -2,',
  "  code: 'ENOENT',",
  "  syscall: 'open',",
  "  path: '/nonexistent/x'",
  '}',
  '',
  'Node.js v20.20.2',
];

export const JAVA_CAUSED_BY = [
  'Exception in thread "main" java.lang.IllegalStateException: bad request 7',
  '\tat Main.handle(Main.java:3)',
  '\tat Main.main(Main.java:4)',
  'Caused by: java.lang.NumberFormatException: For input string: "x12"',
  '\tat java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)',
  '\tat java.base/java.lang.Integer.parseInt(Integer.java:668)',
  '\tat java.base/java.lang.Integer.parseInt(Integer.java:786)',
  '\tat Main.parse(Main.java:2)',
  '\tat Main.handle(Main.java:3)',
  '\t... 1 more',
];

export const GO_PANIC = [
  'panic: runtime error: integer divide by zero',
  '',
  'goroutine 1 [running]:',
  'main.divide(...)',
  '\t/srv/app/main.go:8',
  'main.main()',
  '\t/srv/app/main.go:12 +0x1d',
  'exit status 2',
];

export const GO_HTTP_PANIC = [
  '2026/12/01 10:00:00 http: panic serving 127.0.0.1:51234: runtime error: index out of range [5] with length 3',
  'goroutine 6 [running]:',
  'net/http.(*conn).serve.func1()',
  '\t/usr/local/go/src/net/http/server.go:1868 +0xb9',
  'panic({0x6d0e40?, 0xc0000a8018?})',
  '\t/usr/local/go/src/runtime/panic.go:920 +0x270',
  'main.handler({0x7a1f38?, 0xc0001b2000?}, 0xc0001a4000?)',
  '\t/srv/app/main.go:15 +0x1e',
  'net/http.HandlerFunc.ServeHTTP(0x0?, {0x7a1f38?, 0xc0001b2000?}, 0x0?)',
  '\t/usr/local/go/src/net/http/server.go:2136 +0x29',
  'created by net/http.(*Server).Serve in goroutine 1',
  '\t/usr/local/go/src/net/http/server.go:3086 +0x5cb',
];

export const RUST_BACKTRACE = [
  "thread 'main' (27543) panicked at src/main.rs:1:48:",
  'attempt to divide 7 by zero',
  'stack backtrace:',
  '   0: __rustc::rust_begin_unwind',
  '             at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/std/src/panicking.rs:689:5',
  '   1: core::panicking::panic_fmt',
  '             at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/panicking.rs:80:14',
  '   2: rs::divide',
  '             at ./src/main.rs:1:48',
  '   3: rs::main',
  '             at ./src/main.rs:2:28',
  '   4: core::ops::function::FnOnce::call_once',
  '             at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/ops/function.rs:250:5',
  'note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.',
];

export const RUST_PANIC_ONLY = [
  "thread 'main' (27687) panicked at src/main.rs:1:48:",
  'attempt to divide 7 by zero',
  'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace',
];
