// The default SpawnFn: node:child_process through cross-spawn, so Windows shims (npm.cmd, pnpm.cmd,
// npx.cmd …) start via `cmd.exe /d /s /c` with cross-spawn's escaping; Node refuses to spawn a .cmd
// without a shell since the April 2024 batch-file fix. On POSIX cross-spawn is plain child_process.spawn.
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import crossSpawn from 'cross-spawn';
import type { SpawnRequest } from './childProcess';

/**
 * Starts `request` with stdin an open pipe nothing is written to, as a terminal nobody types into
 * (`esbuild --watch` stops as soon as its stdin closes), and stdout/stderr piped as raw bytes. POSIX: detached, so the
 * child leads its own process group and Stop can signal the whole tree. Windows: not detached (that
 * would give it a console of its own); taskkill /T finds the tree by parent pid.
 */
export function spawnCommand(request: SpawnRequest, platform: NodeJS.Platform = process.platform): ChildProcess {
  return crossSpawn(request.file, request.args, spawnOptions(request, platform));
}

/** The options spawnCommand hands cross-spawn; exported so the shim test parses exactly these. */
export function spawnOptions(request: SpawnRequest, platform: NodeJS.Platform): SpawnOptions {
  return {
    cwd: request.cwd,
    env: { ...process.env, ...request.env },
    detached: platform !== 'win32',
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  };
}
