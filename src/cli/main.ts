import { parseRunArgs, UsageError, USAGE } from './args';
import { runPreview } from './run';
import { serveStatic } from './staticServer';
import { compileWasmOptimizedFromTheStart } from '../store/wasmTiering';

compileWasmOptimizedFromTheStart();

/** `preview-host run [options] -- <command…>` */
async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    process.stdout.write(USAGE + '\n');
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'static') return serveStatic(rest, process.stdout);
  if (sub !== 'run') throw new UsageError(`unknown command: ${JSON.stringify(sub)} (expected "run" or "static")`);
  const args = parseRunArgs(rest, process.cwd());
  if (args === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const interrupted = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    // Whoever read our stdout has gone (`… --json | head -1`): stop as on SIGTERM, without a stack trace.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EPIPE' ? 'EPIPE' : `stdout: ${err.message}`));
  });
  return runPreview(args, { stdout: process.stdout, stderr: process.stderr, interrupted });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Let stdout drain, then leave even if some handle lingers.
    setTimeout(() => process.exit(code), 200).unref();
  },
  (err: unknown) => {
    if (err instanceof UsageError) process.stderr.write(`preview-host: ${err.message}\n\n${USAGE}\n`);
    else process.stderr.write(`preview-host: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
