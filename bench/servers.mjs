// The servers bench/run.mjs can compare, one row each: how to start it in front of the emitter.
// `--servers a,b,…` picks rows (default: host,forwarder). To compare another host variant, add a
// row here (a name, the host's extra flags) and name it in --servers.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Rows: `start(emitterArgv, tag)` gives the node argv of the server and, for a host with history,
 * a fresh history directory (`historyDir`, deleted by `cleanup` after the run).
 * `hostFlags` are the flags of the plain `host` row (it follows --history / --no-history).
 */
export function serverRows({ nodeFlags, hostFlags, baseline }) {
  const node = process.execPath;
  const variantFlags = (process.env.BENCH_VARIANT_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const host = (name, extra, cli = 'dist/cli.js', flags = []) => ({
    start(emitter, tag) {
      return { argv: [...flags, ...nodeFlags(`${name}-${tag}`), cli, 'run', '--json', '--quiet', ...extra(), '--', node, ...emitter] };
    },
  });
  const withHistory = (name, more = [], cli = 'dist/cli.js', flags = []) => ({
    start(emitter, tag) {
      const historyDir = mkdtempSync(path.join(os.tmpdir(), 'ph-bench-history-'));
      return {
        argv: [
          ...flags,
          ...nodeFlags(`${name}-${tag}`),
          cli,
          'run',
          '--json',
          '--quiet',
          '--history',
          historyDir,
          ...more,
          '--',
          node,
          ...emitter,
        ],
        historyDir,
        cleanup: () => rmSync(historyDir, { recursive: true, force: true }),
      };
    },
  });
  return {
    /** The host as `--history` / `--no-history` say (the historical row). */
    host: host('host', () => hostFlags),
    /** The host with a fresh history directory per run (the default of the CLI and the extension). */
    history: withHistory('history'),
    'no-history': host('no-history', () => ['--no-history']),
    /** The plain host with `--no-redact` (issue 12: what masking secrets costs). */
    'host, redaction off': host('host-noredact', () => [...hostFlags, '--no-redact']),
    /** bench/ceiling.mjs: bare node:http, each stdout chunk straight out as SSE frames. */
    ceiling: { start: (emitter, tag) => ({ argv: [...nodeFlags(`ceiling-${tag}`), 'bench/ceiling.mjs', '--', node, ...emitter] }) },
    /** bench/forwarder.mjs: the hand-written per-line JSON forwarder. */
    forwarder: { start: (emitter, tag) => ({ argv: [...nodeFlags(`forwarder-${tag}`), 'bench/forwarder.mjs', '--', node, ...emitter] }) },
    // BENCH_VARIANT_NODE_FLAGS: the two rows again with these node flags (a V8 flag side by side).
    ...(variantFlags.length > 0 && {
      'history@flags': withHistory('history-flags', [], 'dist/cli.js', variantFlags),
      'no-history@flags': host('no-history-flags', () => ['--no-history'], 'dist/cli.js', variantFlags),
    }),
    // --baseline DIR (a built checkout of another commit): the same two rows from its dist/cli.js.
    ...(baseline && {
      'history@baseline': withHistory('history-baseline', [], path.join(baseline, 'dist', 'cli.js')),
      'no-history@baseline': host('no-history-baseline', () => ['--no-history'], path.join(baseline, 'dist', 'cli.js')),
    }),
  };
}
