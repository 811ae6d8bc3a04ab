import assert from 'node:assert/strict';
import { innermostUserFrame, parseStackFrame } from '../../src/shared/stackFrames';
import {
  GO_HTTP_PANIC,
  GO_PANIC,
  JAVA_CAUSED_BY,
  NODE_CAUGHT,
  NODE_UNCAUGHT,
  PYTHON_CAUSE,
  PYTHON_CONTEXT,
  PYTHON_PLAIN,
  RUST_BACKTRACE,
  RUST_PANIC_ONLY,
} from './helpers/capturedTraces';

describe('stackFrames', () => {
  // [line, language, file, line number, library] — undefined language: not a frame.
  const frames: [string, string | undefined, string?, number?, boolean?][] = [
    ['  File "/srv/app/app.py", line 17, in <module>', 'python', '/srv/app/app.py', 17, false],
    ['  File "/usr/lib/python3.11/json/decoder.py", line 337, in decode', 'python', '/usr/lib/python3.11/json/decoder.py', 337, true],
    ['  File "/srv/app/.venv/lib/python3.12/site-packages/starlette/routing.py", line 74, in app', 'python', undefined, 74, true],
    ['  File "/usr/lib/python3/dist-packages/uvicorn/protocols/http/h11_impl.py", line 403, in run_asgi', 'python', undefined, 403, true],
    ['  File "<frozen importlib._bootstrap>", line 1204, in _gcd_import', 'python', undefined, 1204, true],
    ['  File "C:\\Python312\\Lib\\asyncio\\runners.py", line 118, in run', 'python', undefined, 118, true],
    ['  File "C:\\Users\\ann\\miniconda3\\envs\\web\\lib\\asyncio\\base_events.py", line 9, in run', 'python', undefined, 9, true],
    ['  File "C:\\venv\\Scripts\\uvicorn.exe\\__main__.py", line 7, in <module>', 'python', undefined, 7, true],
    ['  File "C:\\work\\app\\main.py", line 30, in boom', 'python', 'C:\\work\\app\\main.py', 30, false],
    ['    | File "/srv/app/app.py", line 4, in work', 'python', '/srv/app/app.py', 4, false],
    ['    at handler (/srv/app/app.js:1:26)', 'node', '/srv/app/app.js', 1, false],
    ['    at listOnTimeout (node:internal/timers:581:17)', 'node', 'node:internal/timers', 581, true],
    ['    at Object.openSync (node:fs:573:18)', 'node', 'node:fs', 573, true],
    ['    at Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)', 'node', undefined, 95, true],
    ['    at file:///srv/app/index.mjs:3:7', 'node', 'file:///srv/app/index.mjs', 3, false],
    ['    at async Promise.all (index 0)', 'node', 'index 0', undefined, true],
    ['    at new Promise (<anonymous>)', 'node', '<anonymous>', undefined, true],
    ['    at C:\\app\\server.js:10:3', 'node', 'C:\\app\\server.js', 10, false],
    ['\tat Main.handle(Main.java:3)', 'java', 'Main.java', 3, false],
    ['\tat java.base/java.lang.Integer.parseInt(Integer.java:668)', 'java', 'Integer.java', 668, true],
    ['\tat com.example.demo.Ctrl.hello(Ctrl.java:15) ~[classes/:na]', 'java', 'Ctrl.java', 15, false],
    [
      '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885) ~[spring-webmvc-6.1.jar:6.1.1]',
      'java',
      undefined,
      885,
      true,
    ],
    ['\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)', 'java', 'Native Method', undefined, true],
    ['\t/srv/app/main.go:12 +0x1d', 'go', '/srv/app/main.go', 12, false],
    ['\t/usr/local/go/src/runtime/panic.go:920 +0x270', 'go', undefined, 920, true],
    ['\t/home/ann/go/pkg/mod/github.com/gin-gonic/gin@v1.9.1/context.go:174 +0x7a', 'go', undefined, 174, true],
    ['             at ./src/main.rs:1:48', 'rust', './src/main.rs', 1, false],
    ['             at /rustc/5980761/library/std/src/panicking.rs:689:5', 'rust', undefined, 689, true],
    [
      '             at /home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/tokio-1.35.1/src/runtime/park.rs:282:63',
      'rust',
      undefined,
      282,
      true,
    ],
    ["thread 'main' (27687) panicked at src/main.rs:1:48:", 'rust', 'src/main.rs', 1, false],
    ["thread 'main' panicked at 'boom', src/main.rs:2:5", 'rust', 'src/main.rs', 2, false],
    ['INFO:     127.0.0.1:51234 - "GET /items HTTP/1.1" 200 OK', undefined],
    ['    return 1/0', undefined],
    ['Server listening at http://localhost:3000 (pid 12)', undefined],
    ['    at the end of the day (really)', undefined],
  ];
  for (const [line, language, file, lineNo, library] of frames) {
    it(`${language ?? 'not a frame'}: ${JSON.stringify(line).slice(0, 90)}`, () => {
      const frame = parseStackFrame(line);
      if (language === undefined) {
        assert.equal(frame, undefined);
        return;
      }
      assert.ok(frame, 'a frame');
      assert.equal(frame.language, language);
      if (file !== undefined) assert.equal(frame.file, file);
      assert.equal(frame.line, lineNo);
      assert.equal(frame.library, library);
    });
  }

  it('reads Go and Rust function lines, library by package', () => {
    assert.deepEqual(parseStackFrame('main.handler({0x7a1f38?, 0xc0001b2000?}, 0xc0001a4000?)'), {
      language: 'go',
      function: 'main.handler',
      library: false,
    });
    assert.equal(parseStackFrame('net/http.(*conn).serve.func1()')?.library, true);
    assert.equal(parseStackFrame('created by net/http.(*Server).Serve in goroutine 1')?.library, true);
    assert.deepEqual(parseStackFrame('   2: rs::divide'), { language: 'rust', function: 'rs::divide', library: false });
    assert.equal(parseStackFrame('   0: __rustc::rust_begin_unwind')?.library, true);
    assert.equal(parseStackFrame('   4: core::ops::function::FnOnce::call_once')?.library, true);
  });

  // The frame an error's fingerprint and the panel's collapsed view use.
  const innermost: [string, readonly string[], string, number, string | undefined][] = [
    ['Python: the last user frame', PYTHON_PLAIN, '/srv/app/app.py', 17, '<module>'],
    ['Python chained: of the last traceback', PYTHON_CAUSE, '/srv/app/app.py', 8, 'handler'],
    ['Python: stdlib frames skipped', PYTHON_CONTEXT, '/srv/app/app.py', 13, 'other'],
    ['Node: the first user frame', NODE_CAUGHT, '/srv/app/app.js', 1, 'handler'],
    ['Node: node:fs frames skipped', NODE_UNCAUGHT, '/srv/app/app.js', 4, 'Timeout._onTimeout'],
    ['Java: the first user frame', JAVA_CAUSED_BY, 'Main.java', 3, 'Main.handle'],
    ['Go: the file line, with its function', GO_PANIC, '/srv/app/main.go', 8, 'main.divide'],
    ['Go: runtime and net/http skipped', GO_HTTP_PANIC, '/srv/app/main.go', 15, 'main.handler'],
    ['Rust: the first user frame of the backtrace', RUST_BACKTRACE, './src/main.rs', 1, 'rs::divide'],
    ['Rust without a backtrace: the panic line', RUST_PANIC_ONLY, 'src/main.rs', 1, undefined],
  ];
  for (const [name, lines, file, line, fn] of innermost) {
    it(`innermost user frame — ${name}`, () => {
      const found = innermostUserFrame(lines);
      assert.ok(found);
      assert.equal(found.frame.file, file);
      assert.equal(found.frame.line, line);
      assert.equal(found.frame.function, fn);
      assert.equal(parseStackFrame(lines[found.index])?.file, file, 'index points at the file line');
    });
  }

  it('finds no user frame in a trace of library frames only', () => {
    assert.equal(innermostUserFrame(['Error: x', '    at listOnTimeout (node:internal/timers:581:17)']), undefined);
  });
});
