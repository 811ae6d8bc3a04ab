import assert from 'node:assert/strict';
import { ProblemMatcher, type Problem } from '../../src/host/problems';

function run(lines: string[]): Omit<Problem, 'seq'>[] {
  const m = new ProblemMatcher();
  const out: Problem[] = [];
  lines.forEach((l, i) => out.push(...m.push(l, i + 1)));
  out.push(...m.flush());
  return out.map(({ seq: _seq, ...p }) => p);
}

describe('ProblemMatcher', () => {
  it('puts a uvicorn traceback at the innermost frame of the app, skipping site-packages', () => {
    assert.deepEqual(
      run([
        'ERROR:    Exception in ASGI application',
        'Traceback (most recent call last):',
        '  File "/usr/lib/python3/dist-packages/uvicorn/protocols/http/h11_impl.py", line 403, in run_asgi',
        '    result = await app(  # type: ignore[func-returns-value]',
        '  File "/srv/app/main.py", line 12, in boom',
        '    raise ValueError("bad input")',
        '  File "/usr/lib/python3.11/json/__init__.py", line 346, in loads',
        '    return _default_decoder.decode(s)',
        'ValueError: bad input',
        'INFO:     127.0.0.1:5000 - "GET / HTTP/1.1" 200 OK',
      ]),
      [{ file: '/srv/app/main.py', line: 12, message: 'ValueError: bad input' }],
    );
  });

  it('handles relative paths, coloured text and chained tracebacks', () => {
    assert.deepEqual(
      run([
        '\x1b[31mTraceback (most recent call last):\x1b[0m',
        '  File "app.py", line 3, in <module>',
        "KeyError: 'x'",
        '',
        'During handling of the above exception, another exception occurred:',
        '',
        'Traceback (most recent call last):',
        '  File "app.py", line 5, in <module>',
        'RuntimeError: wrapped',
      ]),
      [
        { file: 'app.py', line: 3, message: "KeyError: 'x'" },
        { file: 'app.py', line: 5, message: 'RuntimeError: wrapped' },
      ],
    );
  });

  it('puts a Node error at its first frame outside node_modules and node internals', () => {
    assert.deepEqual(
      run([
        "TypeError: Cannot read properties of undefined (reading 'id')",
        '    at Object.handler (/srv/node_modules/express/lib/router/layer.js:95:5)',
        '    at getUser (/srv/src/users.js:14:22)',
        '    at /srv/src/server.js:8:3',
        '    at node:internal/process/task_queues:95:5',
        'Server still running',
      ]),
      [{ file: '/srv/src/users.js', line: 14, column: 22, message: "TypeError: Cannot read properties of undefined (reading 'id')" }],
    );
  });

  it('flushes a stack that ends the output', () => {
    assert.deepEqual(run(['Error: boom', '    at main (/app/index.js:3:9)']), [
      { file: '/app/index.js', line: 3, column: 9, message: 'Error: boom' },
    ]);
  });

  it('finds nothing in ordinary lines, errors without a location, or library-only stacks', () => {
    assert.deepEqual(
      run([
        'GET /errors 200',
        '0 errors, 0 warnings',
        'Error: something without a stack',
        'INFO: fine',
        'Traceback (most recent call last):',
        '  File "/usr/lib/python3/dist-packages/x.py", line 1, in f',
        'OSError: lib only',
      ]),
      [],
    );
  });
});
