import type { CliBanner, LogLine, StatusEvent } from '../shared/protocol';
import type { Preview } from '../host/preview';
import { PreviewManager } from '../host/previewManager';
import { StreamServer } from '../host/streamServer';
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
  try {
    let preview: Preview | undefined;
    const say = (text: string) => io.stdout.write(text + '\n');
    const report = (status: StatusEvent) => {
      if (args.json) say(JSON.stringify({ event: 'status', ...status }));
      else say(`[preview-host] ${describe(status)}`);
      if (status.state === 'failed') io.stderr.write(`preview-host: ${status.reason}\n`);
    };
    manager.onDidAddPreview((p) => {
      preview = p;
      p.onDidChangeState(report);
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
    report(p.lastStatus);
    if (p.state === 'failed' && p.pid === undefined) return 1;

    const exited = p.exited.then(() => 'exited' as const);
    const outcome = await Promise.race([io.interrupted.then(() => 'interrupted' as const), args.exitWithChild ? exited : new Promise<never>(() => {})]);
    if (outcome === 'interrupted') {
      await p.stop();
      return 0;
    }
    if (p.state === 'failed' && p.pid === undefined) return 1;
    await Promise.race([server.whenClientsCaughtUp(p.id), io.interrupted]);
    return p.lastStatus.exitCode ?? (p.state === 'exited' ? 1 : 0);
  } finally {
    await manager.stopAll();
    server.dispose();
    manager.dispose();
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
