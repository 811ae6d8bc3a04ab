import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { learnAppUrl, portNamedIn, saysPortInUse } from '../../src/host/appUrl';

// What real dev servers print while starting (ANSI as they print it where it matters), and the
// URL a user opens. null: the line names no address of this app.
const URL_LINES: [string, string, string | null][] = [
  // Vite 5-8 (also SvelteKit, Astro 4+, Remix on Vite, Nuxt 3's listhen, Angular 17+'s dev server)
  ['vite', '  \x1b[32m➜\x1b[39m  \x1b[1mLocal\x1b[22m:   \x1b[36mhttp://localhost:\x1b[1m5173\x1b[22m/\x1b[39m', 'http://localhost:5173/'],
  ['vite base', '  ➜  Local:   http://localhost:5173/app/', 'http://localhost:5173/app/'],
  ['vite --host', '  ➜  Network: http://192.168.1.20:5173/', null],
  ['vite --host 0.0.0.0 local', '  ➜  Local:   http://127.0.0.1:5174/', 'http://127.0.0.1:5174/'],
  ['astro', '┃ Local    http://localhost:4321/', 'http://localhost:4321/'],
  ['nuxt', '  ➜ Local:    http://localhost:3000/', 'http://localhost:3000/'],
  [
    'angular (webpack)',
    '** Angular Live Development Server is listening on localhost:4200, open your browser on http://localhost:4200/ **',
    'http://localhost:4200/',
  ],
  // Next.js 13-15
  ['next', '   - Local:        http://localhost:3000', 'http://localhost:3000/'],
  ['next network', '   - Network:      http://10.0.0.5:3000', null],
  ['next 12', 'ready - started server on 0.0.0.0:3000, url: http://localhost:3000', 'http://localhost:3000/'],
  // webpack-dev-server 4-5
  ['wds loopback', '<i> [webpack-dev-server] Loopback: http://localhost:8080/, http://[::1]:8080/', 'http://localhost:8080/'],
  ['wds ipv6', '<i> [webpack-dev-server] Loopback: http://[::1]:8081/', 'http://[::1]:8081/'],
  ['remix-serve', '[remix-serve] http://localhost:3000 (http://192.168.1.2:3000)', 'http://localhost:3000/'],
  // Python
  ['django', 'Starting development server at http://127.0.0.1:8000/', 'http://127.0.0.1:8000/'],
  ['flask', ' * Running on http://127.0.0.1:5000', 'http://127.0.0.1:5000/'],
  ['flask all', ' * Running on all addresses (0.0.0.0)', null],
  ['uvicorn', 'INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)', 'http://127.0.0.1:8000/'],
  ['uvicorn 0.0.0.0', 'INFO:     Uvicorn running on \x1b[1mhttp://0.0.0.0:8000\x1b[0m (Press CTRL+C to quit)', 'http://localhost:8000/'],
  ['gunicorn', '[2026-12-01 10:00:00 +0000] [4242] [INFO] Listening at: http://127.0.0.1:8000 (4242)', 'http://127.0.0.1:8000/'],
  ['http.server', 'Serving HTTP on 0.0.0.0 port 8000 (http://0.0.0.0:8000/) ...', 'http://localhost:8000/'],
  ['http.server ipv6', 'Serving HTTP on :: port 8000 (http://[::]:8000/) ...', 'http://localhost:8000/'],
  ['django sentence', 'Quit the server with CONTROL-C. Started at http://127.0.0.1:8001/.', 'http://127.0.0.1:8001/'],
  // Ruby
  ['puma 6', '* Listening on http://127.0.0.1:3000', 'http://127.0.0.1:3000/'],
  ['puma 4', '* Listening on tcp://0.0.0.0:3000', 'http://localhost:3000/'],
  ['puma ipv6', '* Listening on http://[::1]:3000', 'http://[::1]:3000/'],
  // Go
  ['gin', '[GIN-debug] Listening and serving HTTP on :8080', 'http://localhost:8080/'],
  ['echo', '⇨ http server started on [::]:1323', 'http://localhost:1323/'],
  ['net/http log', '2026/12/01 10:00:00 listening on :8090', 'http://localhost:8090/'],
  ['fiber', '│               http://127.0.0.1:3000               │', 'http://127.0.0.1:3000/'],
  // Java
  [
    'spring tomcat',
    "2026-12-01T10:00:00.000Z  INFO 1 --- [main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat started on port 8080 (http) with context path '/api'",
    'http://localhost:8080/api/',
  ],
  [
    'spring tomcat 2',
    "o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat started on port(s): 8081 (http) with context path ''",
    'http://localhost:8081/',
  ],
  ['spring netty', 'o.s.b.web.embedded.netty.NettyWebServer  : Netty started on port 8082 (http)', 'http://localhost:8082/'],
  // Node
  ['express hello', 'Example app listening on port 3000', 'http://localhost:3000/'],
  ['node', 'Server running at http://127.0.0.1:3001/', 'http://127.0.0.1:3001/'],
  // Not the app
  ['node inspector', 'Debugger listening on ws://127.0.0.1:9229/0f2c936f-b1cd-4ac9-aab3-f63b0f33d55e', null],
  ['vite proxy', '[vite] http proxy error: /api -> http://localhost:8000/api', null],
  ['db', 'Connecting to database at http://localhost:5984/', null],
  ['cores', 'Running on 16 cores', null],
  ['time', 'Server started at 10:00:00', null],
  ['no port', 'See http://localhost/docs for the docs', null],
  ['remote host', 'Listening on http://example.com:8080/', null],
  // An error names another process's address (Vite 8, a second `vite` in the same project).
  ['vite another', 'Error: Found another Vite dev process for this project at http://localhost:5173/ (PID 8395).', null],
  ['error prefix', 'ERROR:    Could not reach http://127.0.0.1:8000/health', null],
];

const PORT_IN_USE_LINES: [string, string, boolean][] = [
  ['node', 'Error: listen EADDRINUSE: address already in use :::3000', true],
  ['node code', "  code: 'EADDRINUSE',", true],
  ['uvicorn', "ERROR:    [Errno 98] error while attempting to bind on address ('127.0.0.1', 8000): address already in use", true],
  ['python', 'OSError: [Errno 98] Address already in use', true],
  ['django', 'Error: That port is already in use.', true],
  ['vite strict', 'error when starting dev server:\nError: Port 5173 is already in use', true],
  ['vite moves', 'Port 5173 is in use, trying another one...', true],
  ['next', ' ⚠ Port 3000 is in use, trying 3001 instead.', true],
  [
    'werkzeug',
    'Port 5000 is in use by another program. Either identify and stop that program, or start the server with a different port.',
    true,
  ],
  ['spring', 'Web server failed to start. Port 8080 was already in use.', true],
  ['cra', 'Something is already running on port 3000.', true],
  ['go', 'listen tcp :8080: bind: address already in use', true],
  ['gunicorn', "[2026-12-01 20:51:55 +0000] [27415] [ERROR] Connection in use: ('127.0.0.1', 8811)", true],
  [
    'windows',
    '[Errno 10048] error while attempting to bind on address: only one usage of each socket address (protocol/network address/port) is normally permitted',
    true,
  ],
  ['unrelated', 'GET /ports/in-use 200 3 ms', false],
  ['unrelated 2', 'the report is in use by 3 users', false],
];

describe('learnAppUrl', () => {
  for (const [name, line, url] of URL_LINES) {
    it(`${name}: ${url ?? 'no app URL'}`, () => {
      assert.equal(learnAppUrl(stripVTControlCharacters(line))?.url ?? null, url, line);
    });
  }

  it('probes the address families the app bound', () => {
    assert.deepEqual(learnAppUrl('Local: http://localhost:5173/')?.hosts, ['127.0.0.1', '::1']);
    assert.deepEqual(learnAppUrl('http://127.0.0.1:8000')?.hosts, ['127.0.0.1']);
    assert.deepEqual(learnAppUrl('http://0.0.0.0:8000')?.hosts, ['127.0.0.1']);
    assert.deepEqual(learnAppUrl('http://[::1]:8000')?.hosts, ['::1']);
    assert.deepEqual(learnAppUrl('http://[::]:8000/')?.hosts, ['::1', '127.0.0.1']);
  });

  it('keeps https and rejects impossible ports', () => {
    assert.equal(learnAppUrl('Local: https://localhost:5173/')?.url, 'https://localhost:5173/');
    assert.equal(learnAppUrl('Local: http://localhost:70000/'), undefined);
  });
});

describe('saysPortInUse', () => {
  for (const [name, line, inUse] of PORT_IN_USE_LINES) {
    it(`${name}: ${inUse}`, () => {
      assert.equal(line.split('\n').some(saysPortInUse), inUse, line);
    });
  }
});

describe('portNamedIn', () => {
  const cases: [string, number | undefined][] = [
    ['Error: listen EADDRINUSE: address already in use :::3000', 3000],
    ["ERROR:    [Errno 98] error while attempting to bind on address ('127.0.0.1', 8000): address already in use", 8000],
    ["[2026-12-01 20:51:55 +0000] [27415] [ERROR] Connection in use: ('127.0.0.1', 8811)", 8811],
    ['Something is already running on port 3000.', 3000],
    ['Web server failed to start. Port 8080 was already in use.', 8080],
    ['listen tcp 127.0.0.1:9090: bind: address already in use', 9090],
    ['12:00:01 listen EADDRINUSE: address already in use 127.0.0.1:4000', 4000],
    ['OSError: [Errno 98] Address already in use', undefined],
    ['Error: That port is already in use.', undefined],
  ];
  for (const [line, port] of cases) it(`${port ?? 'none'}: ${line}`, () => assert.equal(portNamedIn(line), port));
});
