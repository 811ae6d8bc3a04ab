import assert from 'node:assert/strict';
import { identifyError, normalizeText } from '../../src/host/fingerprint';
import { FASTAPI_BOOM_STDERR } from './helpers/capturedFastapi';
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

/** The first ASGI traceback entry of the FastAPI capture (its logger head to its exception line). */
const head = FASTAPI_BOOM_STDERR.indexOf('ERROR:    Exception in ASGI application');
const FASTAPI_ENTRY = FASTAPI_BOOM_STDERR.slice(head, head + 52);

describe('fingerprint', () => {
  const titles: [string, readonly string[], string][] = [
    ['FastAPI route', FASTAPI_ENTRY, 'RuntimeError: fixture boom: the handler failed on purpose'],
    ['Python', PYTHON_PLAIN, 'ZeroDivisionError: division by zero'],
    ['Python chained: the exception that propagated', PYTHON_CAUSE, 'ValueError: bad input 42'],
    ['Python during handling', PYTHON_CONTEXT, "KeyError: 'missing'"],
    ['Python with a logger head', PYTHON_LOGGED, 'ZeroDivisionError: division by zero'],
    ['Node', NODE_CAUGHT, "TypeError: Cannot read properties of null (reading 'x')"],
    ['Node uncaught', NODE_UNCAUGHT, "Error: ENOENT: no such file or directory, open '/nonexistent/x'"],
    ['Java', JAVA_CAUSED_BY, 'java.lang.IllegalStateException: bad request 7'],
    ['Go', GO_PANIC, 'panic: runtime error: integer divide by zero'],
    ['Go net/http', GO_HTTP_PANIC, 'panic: runtime error: index out of range [5] with length 3'],
    ['Rust', RUST_BACKTRACE, 'panic: attempt to divide 7 by zero'],
    ['Rust without backtrace', RUST_PANIC_ONLY, 'panic: attempt to divide 7 by zero'],
    ['a single logged error', ['2026-12-01 10:00:00,123 - app - ERROR - payment 42 failed'], 'payment 42 failed'],
    ['uvicorn error line', ['ERROR:    Exception in ASGI application'], 'Exception in ASGI application'],
    ['Python logging', ['ERROR:myapp:payment failed'], 'payment failed'],
  ];
  for (const [name, lines, title] of titles) {
    it(`title — ${name}`, () => {
      const id = identifyError(lines);
      assert.equal(id.title, title);
      assert.match(id.fingerprint, /^[0-9a-f]{16}$/);
    });
  }

  it('is the same for the same failure in another temp folder, at another line, with other ids', () => {
    const moved = FASTAPI_ENTRY.map((l) =>
      l
        .replace('/srv/app/app/main.py", line 30', '/tmp/pytest-of-ann/pytest-7/test_boom0/app/main.py", line 33')
        .replace('/srv/app', '/tmp/pytest-of-ann/pytest-7/test_boom0'),
    );
    const base = FASTAPI_ENTRY.map((l) => l.replace('/srv/app', '/tmp/tmpzz99yy'));
    assert.equal(identifyError(moved).fingerprint, identifyError(base).fingerprint);
    const a = ['Traceback (most recent call last):', '  File "/srv/app/a.py", line 3, in get', "KeyError: 'user-42'"];
    const b = ['Traceback (most recent call last):', '  File "/srv/app/a.py", line 9, in get', "KeyError: 'user-977'"];
    assert.equal(identifyError(a).fingerprint, identifyError(b).fingerprint);
    const single = (id: string) => identifyError([`ERROR:    job ${id} failed at 0x7f3a2b1c after 12.5 s`]).fingerprint;
    assert.equal(single('3f2b8c1e-1d2a-4c3b-9e8f-7a6b5c4d3e2f'), single('0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e'));
  });

  it('differs by exception type and by the user frame', () => {
    const at = (type: string, file: string, fn: string) =>
      identifyError(['Traceback (most recent call last):', `  File "${file}", line 3, in ${fn}`, `${type}: x`]).fingerprint;
    const base = at('KeyError', '/srv/app/a.py', 'get');
    assert.notEqual(at('ValueError', '/srv/app/a.py', 'get'), base);
    assert.notEqual(at('KeyError', '/srv/app/b.py', 'get'), base);
    assert.notEqual(at('KeyError', '/srv/app/a.py', 'post'), base);
    // Library frames do not count: the user's frame is the innermost one of the user's.
    const withLib = identifyError([
      'Traceback (most recent call last):',
      '  File "/srv/app/a.py", line 3, in get',
      '  File "/usr/lib/python3/dist-packages/starlette/routing.py", line 66, in app',
      'KeyError: x',
    ]).fingerprint;
    assert.equal(withLib, base);
    // The same exception in the same function at another line (an edit above it) stays one error.
    assert.equal(identifyError(PYTHON_PLAIN).fingerprint, identifyError(PYTHON_LOGGED).fingerprint);
  });

  it('normalises ids, addresses, numbers, times and temp folders in text', () => {
    assert.equal(
      normalizeText(
        'order 42 of 3f2b8c1e-1d2a-4c3b-9e8f-7a6b5c4d3e2f at 0xc0001b2000 in /tmp/tmpab12cd/x.db at 2026-12-01T10:00:00Z, sha deadbeef12',
      ),
      'order <n> of <uuid> at <hex> in <tmp>/x.db at <time>, sha <hex>',
    );
  });
});
