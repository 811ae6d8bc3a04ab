// The demo's dev server: a tiny app on $PORT that logs like real ones do — startup lines with
// colours, access lines with status codes, a warning, and an error with a stack — so every level
// and colour of the panel shows up.
const http = require('node:http');

const port = Number(process.env.PORT) || 3000;
const green = (s) => `\x1b[32m${s}\x1b[0m`;
const yellow = (s) => `\x1b[33m${s}\x1b[0m`;
const stamp = () => new Date().toISOString().replace('T', ' ').slice(0, 19);

const server = http.createServer((req, res) => {
  const status = req.url === '/' ? 200 : req.url === '/boom' ? 500 : 404;
  if (status === 500) {
    console.error(`Error: boom while handling ${req.url}`);
    console.error('    at handler (samples/hello-app/server.js:15:19)');
  }
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(
    status === 200
      ? '<h1>Hello from the Preview Host demo app</h1><p>Try <a href="/boom">/boom</a> or <a href="/missing">/missing</a>.</p>'
      : `${status}\n`,
  );
  console.log(`127.0.0.1 - - [${stamp()}] "${req.method} ${req.url} HTTP/1.1" ${status} -`);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`${green('INFO')}:     Started server process [${process.pid}]`);
  console.log(`${green('INFO')}:     Uvicorn-style startup line: listening on http://127.0.0.1:${port} (Press CTRL+C to quit)`);
  console.warn(`${yellow('WARNING')}: This is a development server. Do not use it in a production deployment.`);
  console.log(JSON.stringify({ level: 30, time: Date.now(), msg: 'pino-style JSON line: ready', port }));
});

// A heartbeat so a fresh page always has something live to show.
let tick = 0;
setInterval(() => {
  tick++;
  console.log(`${stamp()} - app - ${tick % 5 === 0 ? 'WARNING' : 'INFO'} - heartbeat ${tick}`);
}, 2000).unref?.();

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
