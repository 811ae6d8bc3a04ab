// Windows paths as Python 3.10–3.12 and Node 20/22 print them, in the panel's links and in Problems.
// The traceback lines follow real ones pasted into GitHub issues (user and folder names changed):
//   [uv]       PromtEngineer/agentic-file-search#1: uv + uvicorn on Windows, `.venv\Lib\site-packages`, 3.12 carets
//   [mcp]      tadata-org/fastapi_mcp#70: lower-case drive `e:\…\.venv\Lib\site-packages\uvicorn\…`
//   [sirius]   doublevcodes/sirius#5: `C:\Users\…\AppData\Local\Programs\Python\Python310\lib\site-packages\…`
//   [uvicorn]  Kludex/uvicorn#82 and #484: `…\Python37\Lib\runpy.py`, `c:\python37\Lib\multiprocessing\…`,
//              `.venv\Scripts\uvicorn.exe\__main__.py`, all lower-case `c:\users\…\lib\site-packages\…`
//   [node22]   nodejs/help#4544: Node 22 on Windows, `node:internal/modules/cjs/loader:1244:15` frames
//   [canvas]   debug-js/debug#681: `at Object.<anonymous> (C:\Users\…\node_modules\canvas\lib\bindings.js:3:18)`
//   [esm]      emscripten-core/emscripten#18596: `at main (file:///C:/b/s/w/…/main.mjs:9:27)`
//   [spaces]   node-inspector/node-inspector#1049: `E:\old projects\project\server\api.js`
//   [unc]      spyder-ide/spyder#308 and pyzo/pyzo#975: scripts run from `\\server\share\thescript.py`
//   [longpath] fabioz/PyDev.Debugger#105 and bleachbit/bleachbit#192: `\\?\C:\…` and `\\?\UNC\server\share`
//              on sys.path, so module paths (and traceback frames) carry the prefix
import assert from 'node:assert/strict';
import { resolveLogPath, ProblemMatcher, type Problem } from '../../src/host/problems';
import { fileUrlToPath, normalizeLogPath } from '../../src/shared/logPaths';
import { findLinks, type Link } from '../../webview-ui/links';

const links = (text: string): [string, Link][] => findLinks(text).map((r) => [text.slice(r.start, r.end), r.link]);

function problems(lines: string[]): Omit<Problem, 'seq'>[] {
  const m = new ProblemMatcher();
  const out: Problem[] = [];
  lines.forEach((l, i) => out.push(...m.push(l, i + 1)));
  out.push(...m.flush());
  return out.map(({ seq: _seq, ...p }) => p);
}

describe('Windows paths in log links', () => {
  const table: { from: string; text: string; expected: [string, Link][] }[] = [
    {
      from: 'uv',
      text: '  File "C:\\Users\\dev\\app\\main.py", line 12, in handler',
      expected: [['File "C:\\Users\\dev\\app\\main.py", line 12', { kind: 'location', file: 'C:\\Users\\dev\\app\\main.py', line: 12 }]],
    },
    {
      from: 'mcp',
      text: '  File "e:\\work\\api\\.venv\\Lib\\site-packages\\uvicorn\\protocols\\http\\h11_impl.py", line 403, in run_asgi',
      expected: [
        [
          'File "e:\\work\\api\\.venv\\Lib\\site-packages\\uvicorn\\protocols\\http\\h11_impl.py", line 403',
          { kind: 'location', file: 'E:\\work\\api\\.venv\\Lib\\site-packages\\uvicorn\\protocols\\http\\h11_impl.py', line: 403 },
        ],
      ],
    },
    {
      from: 'spaces',
      text: '  File "C:\\Users\\Dev User\\My App\\main.py", line 7, in <module>',
      expected: [
        [
          'File "C:\\Users\\Dev User\\My App\\main.py", line 7',
          { kind: 'location', file: 'C:\\Users\\Dev User\\My App\\main.py', line: 7 },
        ],
      ],
    },
    {
      from: 'longpath',
      text: '  File "\\\\?\\C:\\Users\\dev\\app\\main.py", line 3, in <module>',
      expected: [
        ['File "\\\\?\\C:\\Users\\dev\\app\\main.py", line 3', { kind: 'location', file: 'C:\\Users\\dev\\app\\main.py', line: 3 }],
      ],
    },
    {
      from: 'longpath',
      text: '  File "\\\\?\\UNC\\server\\share\\app\\views.py", line 40, in index',
      expected: [
        [
          'File "\\\\?\\UNC\\server\\share\\app\\views.py", line 40',
          { kind: 'location', file: '\\\\server\\share\\app\\views.py', line: 40 },
        ],
      ],
    },
    {
      from: 'unc',
      text: '\\\\server\\share\\app\\x.py:5: DeprecationWarning: datetime.utcnow() is deprecated',
      expected: [['\\\\server\\share\\app\\x.py:5', { kind: 'location', file: '\\\\server\\share\\app\\x.py', line: 5 }]],
    },
    {
      from: 'canvas',
      text: '    at Object.<anonymous> (C:\\Users\\dev\\app\\server.js:10:9)',
      expected: [
        ['C:\\Users\\dev\\app\\server.js:10:9', { kind: 'location', file: 'C:\\Users\\dev\\app\\server.js', line: 10, column: 9 }],
      ],
    },
    {
      from: 'spaces',
      text: '    at Object.<anonymous> (E:\\old projects\\project\\server\\api.js:12:5)',
      expected: [
        [
          'E:\\old projects\\project\\server\\api.js:12:5',
          { kind: 'location', file: 'E:\\old projects\\project\\server\\api.js', line: 12, column: 5 },
        ],
      ],
    },
    {
      from: 'spaces',
      text: '    at C:\\Users\\Dev User\\My App\\server.js:31:7',
      expected: [
        [
          'C:\\Users\\Dev User\\My App\\server.js:31:7',
          { kind: 'location', file: 'C:\\Users\\Dev User\\My App\\server.js', line: 31, column: 7 },
        ],
      ],
    },
    {
      from: 'esm',
      text: '    at file:///C:/Users/dev/app/server.mjs:4:7',
      expected: [
        ['file:///C:/Users/dev/app/server.mjs:4:7', { kind: 'location', file: 'C:\\Users\\dev\\app\\server.mjs', line: 4, column: 7 }],
      ],
    },
    {
      from: 'esm',
      text: '    at main (file:///C:/Users/Dev%20User/app/main.mjs:9:27)',
      expected: [
        [
          'file:///C:/Users/Dev%20User/app/main.mjs:9:27',
          { kind: 'location', file: 'C:\\Users\\Dev User\\app\\main.mjs', line: 9, column: 27 },
        ],
      ],
    },
    {
      from: 'tsc on Windows',
      text: 'C:/Users/dev/app/x.ts:3:5 - error TS2322: Type "string" is not assignable to type "number".',
      expected: [['C:/Users/dev/app/x.ts:3:5', { kind: 'location', file: 'C:/Users/dev/app/x.ts', line: 3, column: 5 }]],
    },
    {
      from: 'spaces',
      text: 'c:\\Users\\Dev User\\app\\views.py:88: RuntimeWarning: coroutine was never awaited',
      expected: [['c:\\Users\\Dev User\\app\\views.py:88', { kind: 'location', file: 'C:\\Users\\Dev User\\app\\views.py', line: 88 }]],
    },
    { from: 'node22', text: '    at Function._resolveFilename (node:internal/modules/cjs/loader:1244:15)', expected: [] },
    { from: 'node22', text: '    at node:internal/main/run_main_module:36:49 {', expected: [] },
  ];
  for (const c of table) {
    it(`${c.from}: ${JSON.stringify(c.text)}`, () => assert.deepEqual(links(c.text), c.expected));
  }
});

describe('Windows paths in Problems', () => {
  it('a uvicorn traceback under a uv venv lands on the app, past .venv\\Lib\\site-packages and the stdlib', () => {
    assert.deepEqual(
      problems([
        'ERROR:    Exception in ASGI application',
        'Traceback (most recent call last):',
        '  File "C:\\Users\\dev\\app\\.venv\\Lib\\site-packages\\uvicorn\\protocols\\http\\h11_impl.py", line 410, in run_asgi',
        '    result = await app(  # type: ignore[func-returns-value]',
        '             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  File "C:\\Users\\dev\\app\\.venv\\Lib\\site-packages\\starlette\\routing.py", line 73, in app',
        '    response = await f(request)',
        '  File "C:\\Users\\dev\\app\\main.py", line 12, in handler',
        '    return json.loads(body)',
        '  File "C:\\Users\\dev\\AppData\\Local\\Programs\\Python\\Python312\\Lib\\json\\__init__.py", line 346, in loads',
        '    return _default_decoder.decode(s)',
        'json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)',
      ]),
      [
        {
          file: 'C:\\Users\\dev\\app\\main.py',
          line: 12,
          message: 'json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)',
        },
      ],
    );
  });

  it('lower-case drives, the python.org site-packages, the console-script launcher and c:\\python37\\Lib are library frames', () => {
    assert.deepEqual(
      problems([
        'Traceback (most recent call last):',
        '  File "C:\\Users\\dev\\AppData\\Local\\Programs\\Python\\Python37\\Lib\\runpy.py", line 193, in _run_module_as_main',
        '  File "C:\\Users\\dev\\app\\.venv\\Scripts\\uvicorn.exe\\__main__.py", line 9, in <module>',
        '  File "c:\\users\\dev\\app\\serve.py", line 29, in <module>',
        '    uvicorn.run(app, workers=2)',
        '  File "C:\\Users\\dev\\AppData\\Local\\Programs\\Python\\Python310\\lib\\site-packages\\uvicorn\\main.py", line 310, in run',
        '  File "c:\\python37\\Lib\\multiprocessing\\process.py", line 112, in start',
        '  File "C:\\Users\\dev\\miniconda3\\envs\\api\\Lib\\asyncio\\base_events.py", line 584, in run_until_complete',
        'OSError: [WinError 87] The parameter is incorrect',
      ]),
      [{ file: 'C:\\users\\dev\\app\\serve.py', line: 29, message: 'OSError: [WinError 87] The parameter is incorrect' }],
    );
  });

  it('strips \\\\?\\ and \\\\?\\UNC\\ from Python frames', () => {
    assert.deepEqual(
      problems([
        'Traceback (most recent call last):',
        '  File "\\\\?\\C:\\Users\\dev\\app\\main.py", line 3, in <module>',
        '  File "\\\\?\\UNC\\server\\share\\app\\lib.py", line 8, in helper',
        'ZeroDivisionError: division by zero',
      ]),
      [{ file: '\\\\server\\share\\app\\lib.py', line: 8, message: 'ZeroDivisionError: division by zero' }],
    );
  });

  it('a Node 22 stack on Windows skips node_modules with backslashes and node:internal frames', () => {
    assert.deepEqual(
      problems([
        "TypeError: Cannot read properties of undefined (reading 'id')",
        '    at Layer.handle [as handle_request] (C:\\Users\\Dev User\\My App\\node_modules\\express\\lib\\router\\layer.js:95:5)',
        '    at getUser (C:\\Users\\Dev User\\My App\\src\\users.js:14:22)',
        '    at Object.<anonymous> (C:\\Users\\Dev User\\My App\\server.js:10:9)',
        '    at Module._compile (node:internal/modules/cjs/loader:1554:14)',
        '    at node:internal/main/run_main_module:36:49',
        '',
        'Node.js v22.13.1',
      ]),
      [
        {
          file: 'C:\\Users\\Dev User\\My App\\src\\users.js',
          line: 14,
          column: 22,
          message: "TypeError: Cannot read properties of undefined (reading 'id')",
        },
      ],
    );
  });

  it('an ES module stack: file:///C:/ frames decoded, frames without a place kept in the stack', () => {
    assert.deepEqual(
      problems([
        "Error: ENOENT: no such file or directory, open 'C:\\Users\\dev\\app\\data.json'",
        '    at async open (node:internal/fs/promises:639:25)',
        '    at async Promise.all (index 0)',
        '    at async load (file:///C:/Users/Dev%20User/app/node_modules/config/index.mjs:4:7)',
        '    at async main (file:///C:/Users/Dev%20User/app/main.mjs:9:27)',
        '    at file:///C:/Users/Dev%20User/app/main.mjs:13:7',
      ]),
      [
        {
          file: 'C:\\Users\\Dev User\\app\\main.mjs',
          line: 9,
          column: 27,
          message: "Error: ENOENT: no such file or directory, open 'C:\\Users\\dev\\app\\data.json'",
        },
      ],
    );
  });
});

describe('resolveLogPath on Windows rules', () => {
  const cwd = 'c:\\Users\\dev\\app'; // VS Code's fsPath spells the drive in lower case
  const table: [file: string, cwd: string, expected: string][] = [
    ['C:\\Users\\dev\\app\\main.py', cwd, 'C:\\Users\\dev\\app\\main.py'],
    ['c:\\Users\\dev\\app\\main.py', cwd, 'C:\\Users\\dev\\app\\main.py'],
    ['C:/Users/dev/app/x.ts', cwd, 'C:\\Users\\dev\\app\\x.ts'],
    ['\\\\?\\C:\\Users\\dev\\app\\main.py', cwd, 'C:\\Users\\dev\\app\\main.py'],
    ['\\\\?\\UNC\\server\\share\\app\\x.py', cwd, '\\\\server\\share\\app\\x.py'],
    ['\\\\server\\share\\app\\x.py', cwd, '\\\\server\\share\\app\\x.py'],
    ['file:///C:/Users/Dev%20User/app/server.mjs', cwd, 'C:\\Users\\Dev User\\app\\server.mjs'],
    ['app\\main.py', cwd, 'C:\\Users\\dev\\app\\app\\main.py'],
    ['src/app.tsx', cwd, 'C:\\Users\\dev\\app\\src\\app.tsx'],
    ['.\\server.js', cwd, 'C:\\Users\\dev\\app\\server.js'],
    ['..\\lib\\util.py', '\\\\server\\share\\app', '\\\\server\\share\\lib\\util.py'],
    // POSIX stays POSIX.
    ['/srv/app/main.py', '/srv/app', '/srv/app/main.py'],
    ['app/views.py', '/srv/app', '/srv/app/app/views.py'],
    ['file:///srv/u/app/x.mjs', '/srv/u', '/srv/u/app/x.mjs'],
  ];
  for (const [file, base, expected] of table) {
    it(`${JSON.stringify(file)} in ${JSON.stringify(base)}`, () => assert.equal(resolveLogPath(file, base), expected));
  }

  it('fileUrlToPath and normalizeLogPath read URLs and prefixes as Node does on the OS that wrote them', () => {
    assert.equal(fileUrlToPath('file:///C:/a%20b/x.mjs'), 'C:\\a b\\x.mjs');
    assert.equal(fileUrlToPath('file://server/share/x.js'), '\\\\server\\share\\x.js');
    assert.equal(fileUrlToPath('file:///srv/a%20b/x.mjs'), '/srv/a b/x.mjs');
    assert.equal(fileUrlToPath('file:///srv/100%/x.mjs'), '/srv/100%/x.mjs');
    assert.equal(normalizeLogPath('\\\\?\\d:\\x.py'), 'D:\\x.py');
    assert.equal(normalizeLogPath('/srv/app/main.py'), '/srv/app/main.py');
  });
});
