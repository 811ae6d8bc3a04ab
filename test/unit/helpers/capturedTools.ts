// Output captured from real tools on 2026-12-02 (paths replaced): Vite 8.4, npm 11, Node 20, Flask 2.2, pino-pretty.

/** Vite 8.4 (react-ts): a JSX closing tag that does not match, then the module requested. */
export const VITE_INTERNAL_ERROR = [
  '12:48:21 PM [vite] Internal server error: Transform failed with 1 error:',
  '',
  "[PARSE_ERROR] Expected corresponding JSX closing tag for 'h1'.",
  '    ╭─[ src/App.tsx:19:28 ]',
  '    │',
  ' 19 │           <h1>Get started</h2>',
  '    │            ─┬              ─┬  ',
  '    │             ╰────────────────── Opened here',
  '    │                             │  ',
  '    │                             ╰── Expected `</h1>`',
  '────╯',
  '',
  '  Plugin: vite:oxc',
  '  File: /home/dev/app/src/App.tsx',
  '      at transformWithOxc (file:///home/dev/app/node_modules/vite/dist/node/chunks/node.js:7249:19)',
  '      at TransformPluginContext.transform (file:///home/dev/app/node_modules/vite/dist/node/chunks/node.js:7323:26)',
  '      at TransformPluginContext.<anonymous> (file:///home/dev/app/node_modules/vite/dist/node/chunks/node.js:34813:27)',
  '      at EnvironmentPluginContainer.transform (file:///home/dev/app/node_modules/vite/dist/node/chunks/node.js:8764:51)',
  '      at async loadAndTransform (file:///home/dev/app/node_modules/vite/dist/node/chunks/node.js:19302:26)',
];

/** `npm run nosuch` (npm 11). */
export const NPM_MISSING_SCRIPT = [
  'npm error Missing script: "nosuch"',
  'npm error',
  'npm error To see a list of scripts, run:',
  'npm error   npm run',
  'npm error A complete log of this run can be found in: /home/dev/.npm/_logs/2026-12-02T12_59_37_771Z-debug-0.log',
];

/** `node server.js` requiring a file that does not exist. */
export const NODE_MODULE_NOT_FOUND = [
  'node:internal/modules/cjs/loader:1210',
  '  throw err;',
  '  ^',
  '',
  "Error: Cannot find module './config/missing-config'",
  'Require stack:',
  '- /home/dev/api/server.js',
  '    at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)',
  '    at Module._load (node:internal/modules/cjs/loader:1038:27)',
  '    at Module.require (node:internal/modules/cjs/loader:1289:19)',
  '    at require (node:internal/modules/helpers:182:18)',
  '    at Object.<anonymous> (/home/dev/api/server.js:1:1)',
  '    at Module._compile (node:internal/modules/cjs/loader:1521:14)',
  '    at Module._extensions..js (node:internal/modules/cjs/loader:1623:10)',
  '    at Module.load (node:internal/modules/cjs/loader:1266:32)',
  '    at Module._load (node:internal/modules/cjs/loader:1091:12)',
  '    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:164:12) {',
  "  code: 'MODULE_NOT_FOUND',",
  "  requireStack: [ '/home/dev/api/server.js' ]",
  '}',
  '',
  'Node.js v20.20.2',
];

/** `process.emitWarning(…)` and 11 listeners on one event. */
export const NODE_WARNINGS = [
  '(node:4242) [DEP0999] DeprecationWarning: Something is off',
  '(Use `node --trace-deprecation ...` to show where the warning was created)',
  '(node:4243) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 x listeners added to [EventEmitter]. MaxListeners is 10. Use emitter.setMaxListeners() to increase limit',
  '(Use `node --trace-warnings ...` to show where the warning was created)',
];

/** `flask run` with an import of a package that is not installed. */
export const FLASK_IMPORT_ERROR = [
  "Error: While importing 'app', an ImportError was raised:",
  '',
  'Traceback (most recent call last):',
  '  File "/usr/lib/python3/dist-packages/flask/cli.py", line 218, in locate_app',
  '    __import__(module_name)',
  '  File "/home/dev/shop/app.py", line 1, in <module>',
  '    import not_installed_pkg',
  "ModuleNotFoundError: No module named 'not_installed_pkg'",
];

/** pino piped through pino-pretty --colorize=false. */
export const PINO_PRETTY = [
  '[13:09:45.260] INFO (15853): server listening on port 0',
  '    port: 0',
  '[13:09:45.262] INFO (15853): user clicked "error" button; warn banner dismissed',
  '[13:09:45.262] DEBUG (15853): cache lookup',
  '    q: 1',
  '[13:09:45.262] TRACE (15853): trace detail',
  '[13:09:45.262] WARN (15853): disk space low',
  '[13:09:45.262] ERROR (15853): charge failed',
  '    err: {',
  '      "type": "Error",',
  '      "message": "payment failed",',
  '      "stack":',
  '          Error: payment failed',
  '              at Server.<anonymous> (/home/dev/api/pino1.js:9:13)',
  '              at Object.onceWrapper (node:events:638:28)',
  '              at Server.emit (node:events:536:35)',
  '              at emitListeningNT (node:net:1951:10)',
  '              at process.processTicksAndRejections (node:internal/process/task_queues:81:21)',
  '    }',
  '[13:09:45.263] ERROR (15853): handler crashed',
  '    err: {',
  '      "type": "TypeError",',
  '      "message": "x is not a function",',
  '      "stack":',
  '          TypeError: x is not a function',
  '              at Server.<anonymous> (/home/dev/api/pino1.js:10:20)',
  '              at Object.onceWrapper (node:events:638:28)',
  '              at Server.emit (node:events:536:35)',
  '              at emitListeningNT (node:net:1951:10)',
  '              at process.processTicksAndRejections (node:internal/process/task_queues:81:21)',
  '    }',
  '[13:09:45.263] FATAL (15853): out of memory, shutting down',
  '[13:09:45.265] INFO (15853): ERROR count is 0',
  '    msg2: "Error: not really"',
];
