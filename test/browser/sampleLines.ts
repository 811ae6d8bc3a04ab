/** Realistic dev-server output (uvicorn, Python tracebacks, npm, Node, pino) with ANSI colours. */
import type { LogLevel } from '../../src/shared/protocol';

const E = '\x1b[';

export const SAMPLE_LINES: { text: string; level: LogLevel; stream?: 'stdout' | 'stderr' }[] = [
  { level: 'INFO', stream: 'stderr', text: `${E}32mINFO${E}0m:     Will watch for changes in these directories: ['/srv/sample']` },
  {
    level: 'INFO',
    stream: 'stderr',
    text: `${E}32mINFO${E}0m:     Uvicorn running on ${E}1mhttp://127.0.0.1:8000${E}0m (Press CTRL+C to quit)`,
  },
  {
    level: 'INFO',
    stream: 'stderr',
    text: `${E}32mINFO${E}0m:     Started reloader process [${E}36m${E}1m4242${E}0m] using ${E}36m${E}1mWatchFiles${E}0m`,
  },
  { level: 'DEBUG', text: `${E}2mDEBUG${E}0m:    asyncio: Using selector: EpollSelector` },
  { level: 'INFO', stream: 'stderr', text: `${E}32mINFO${E}0m:     Application startup complete.` },
  { level: 'INFO', text: `${E}32mINFO${E}0m:     127.0.0.1:51234 - "${E}1mGET /api/items HTTP/1.1${E}0m" ${E}32m200 OK${E}0m` },
  { level: 'WARN', text: `${E}33mWARNING${E}0m:  127.0.0.1:51236 - "${E}1mGET /favicon.ico HTTP/1.1${E}0m" ${E}31m404 Not Found${E}0m` },
  { level: 'WARN', text: `WARNING:root:cache miss for key ${E}4muser:42${E}24m, falling back to the database` },
  { level: 'ERROR', text: `${E}31mERROR${E}0m:    Exception in ASGI application` },
  { level: 'ERROR', text: 'Traceback (most recent call last):' },
  { level: 'ERROR', text: '  File "/srv/sample/app/main.py", line 42, in read_item' },
  { level: 'ERROR', text: '    return items[item_id]' },
  { level: 'ERROR', text: `${E}1;31mKeyError${E}0m: 7` },
  {
    level: 'INFO',
    text: `${E}32mINFO${E}0m:     127.0.0.1:51240 - "${E}1mGET /api/items/7 HTTP/1.1${E}0m" ${E}31m500 Internal Server Error${E}0m`,
  },
  { level: 'ERROR', text: "TypeError: Cannot read properties of undefined (reading 'map')" },
  { level: 'ERROR', text: '    at renderList (/srv/sample/web/src/list.ts:17:23)' },
  { level: 'WARN', text: `${E}30;43m WARN ${E}0m npm ${E}35mdeprecated${E}0m inflight@1.0.6: This module is not supported` },
  {
    level: 'INFO',
    text: `${E}38;5;208m256-colour orange${E}0m ${E}38;2;120;180;255mtruecolor blue${E}0m ${E}7m reversed ${E}27m ${E}9mstruck${E}29m ${E}3mitalic${E}23m`,
  },
  {
    level: 'INFO',
    text: `${E}90m[12:00:01]${E}39m ${E}94mvite${E}39m ${E}92mhmr update${E}39m ${E}2m/src/App.tsx${E}22m  see https://vitejs.dev/guide/ for details.`,
  },
  { level: 'DEBUG', text: '{"level":20,"time":1732800000000,"msg":"cache warmed","keys":128}' },
  { level: 'ERROR', text: '{"level":50,"time":1732800000001,"msg":"db connection refused","err":{"code":"ECONNREFUSED"}}' },
  {
    level: 'INFO',
    text: `${E}41;97m BG ${E}0m ${E}42;30m BG ${E}0m ${E}44;97m BG ${E}0m ${E}45;97m BG ${E}0m ${E}46;30m BG ${E}0m ${E}47;30m BG ${E}0m  tab\tseparated\tcolumns`,
  },
];
