import type { CliBanner, LogLine, StatusEvent } from '../shared/protocol';
import { killProcessGroupSync } from '../host/childProcess';
import type { Preview } from '../host/preview';
import { PreviewManager } from '../host/previewManager';
import { StreamServer } from '../host/streamServer';
import { constants } from 'node:os';
import type { RunArgs } from './args';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM). */
  interrupted: Promise<string>;
}

/** Runs one preview headless until interrupted (or until the child exits, with --exit-with-child). */
export async function runPreview(args: RunArgs, io: CliIo): Promise<number> {
  const manager = new PreviewManager();
  const server = await StreamServer.listen({ manager, port: args.serverPort, keepAliveMs: args.keepAliveMs });
  // Last resort if the CLI dies without reaching `finally`: no process group may outlive it.
  const killLeftovers = () => {
    for (const p of manager.list()) if (p.pid !== undefined && !p.hasEnded) killProcessGroupSync(p.pid);
  };
  process.once('exit', killLeftovers);
  try {
    let preview: Preview | undefined;
    const say = (text: string) => io.stdout.write(text + '\n');
    const report = (status: StatusEvent) => {
      if (args.json) say(JSON.stringify({ event: 'status', ...status }));
      else say(`[preview-host] ${describe(status)}`);
      if (status.state === 'failed') io.stderr.write(`preview-host: ${status.reason}\n`);
    };
    // States that come before the banner wait for it: the banner is the first stdout line.
    let early: StatusEvent[] | undefined = [];
    manager.onDidAddPreview((p) => {
      preview = p;
      p.onDidChangeState((status) => (early ? early.push(status) : report(status)));
      if (!args.json && !args.quiet) p.ring.onDidAppend((lines) => echo(io.stdout, lines));
    });
    const started = manager.start({
      name: args.name,
      command: args.command,
      cwd: args.cwd,
      port: args.port,
      ready: args.ready,
      readyTimeoutMs: args.readyTimeoutMs,
      graceMs: args.graceMs,
    });
    await started;
    const p = preview!;
    const banner: CliBanner = {
      url: server.streamUrl(p.id),
      token: server.token,
      previewId: p.id,
      port: p.appPort,
      apiBase: server.apiBase,
      pageUrl: `${server.origin}/?token=${server.token}&preview=${encodeURIComponent(p.id)}`,
      pid: p.pid ?? null,
    };
    // The banner comes first on stdout in --json mode, so scripts can read one line and go.
    if (args.json) say(JSON.stringify(banner));
    else {
      say(`[preview-host] ${p.name}`);
      say(`[preview-host] app:    http://127.0.0.1:${p.appPort}/`);
      say(`[preview-host] stream: ${banner.url}`);
      say(`[preview-host] page:   ${banner.pageUrl}`);
    }
    report({ state: 'starting', ts: p.info().startedAt });
    for (const status of early) report(status);
    early = undefined;

    const outcome = await Promise.race([io.interrupted.then(() => 'interrupted' as const), p.exited.then(() => 'exited' as const)]);
    if (outcome === 'interrupted') {
      await p.stop();
      return 0;
    }
    const caughtUp = Promise.race([server.whenClientsCaughtUp(p.id), io.interrupted]);
    if (p.failedToStart) {
      await caughtUp;
      return 1;
    }
    // The child ended by itself: keep its logs readable until interrupted, unless asked to exit with it.
    if (!args.exitWithChild) {
      await io.interrupted;
      return 0;
    }
    await caughtUp;
    const status = p.lastStatus;
    return status.exitCode ?? (status.signal ? 128 + (signalNumber(status.signal) ?? 0) : 1);
  } finally {
    await manager.stopAll();
    server.dispose();
    manager.dispose();
    process.removeListener('exit', killLeftovers);
  }
}

function describe(status: StatusEvent): string {
  switch (status.state) {
    case 'exited':
      return status.signal ? `exited (signal ${status.signal})` : `exited (code ${status.exitCode})`;
    case 'failed':
      return `failed: ${status.reason}`;
    default:
      return status.state;
  }
}

function echo(out: NodeJS.WritableStream, lines: readonly LogLine[]): void {
  let text = '';
  for (const line of lines) text += line.text + '\n';
  out.write(text);
}

function signalNumber(signal: string): number | undefined {
  return (constants.signals as Record<string, number>)[signal];
}
