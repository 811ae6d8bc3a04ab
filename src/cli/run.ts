import type { CliBanner, LogLine, StatusEvent } from '../shared/protocol';
import type { RunSummary } from '../shared/historyApi';
import { PreviewManager } from '../host/previewManager';
import { StreamServer } from '../host/streamServer';
import os, { constants } from 'node:os';
import path from 'node:path';
import { openHistoryStore, type HistoryStore } from '../store';
import type { RunArgs } from './args';
import { describeDetectedRun, resolveRunCommand } from './autoDetect';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM). */
  interrupted: Promise<string>;
}

/** Runs one preview headless until interrupted (or until the child exits, with --exit-with-child). */
export async function runPreview(args: RunArgs, io: CliIo): Promise<number> {
  // No command: run what the extension would run here (a usage error when nothing is found).
  const detected = await resolveRunCommand(args);
  const command = detected?.command ?? args.command;
  const displayCommand = detected?.displayCommand ?? args.command.join(' ');
  const history = await openCliHistory(args, io);
  const manager = new PreviewManager({ history, warmUp: true });
  const server = await StreamServer.listen({ manager, port: args.serverPort, keepAliveMs: args.keepAliveMs });
  // Last resort if the CLI dies without reaching `finally`: no process group may outlive it.
  const killLeftovers = () => manager.killAllSync();
  process.once('exit', killLeftovers);
  try {
    const say = (text: string) => io.stdout.write(text + '\n');
    const report = (status: StatusEvent) => {
      if (args.json) say(JSON.stringify({ event: 'status', ...status }));
      else say(`[preview-host] ${describe(status)}`);
      if (status.state === 'failed') io.stderr.write(`preview-host: ${status.reason}\n`);
    };
    // States that come before the banner wait for it: the banner is the first stdout line.
    let early: StatusEvent[] | undefined = [];
    manager.onDidAddPreview((p) => {
      p.onDidChangeState((status) => (early ? early.push(status) : report(status)));
      if (!args.json && !args.quiet) p.ring.onDidAppend((lines) => echo(io.stdout, lines));
    });
    // Read before this run starts, so its lines come after the banner and the old run's tail.
    const name = args.name ?? displayCommand;
    const previous = history ? await previousRun(history, name) : undefined;
    const p = await manager.start({
      name,
      command,
      displayCommand,
      cwd: detected?.cwd ?? args.cwd,
      env: detected?.env,
      port: args.port ?? detected?.port,
      ready: args.ready,
      readyTimeoutMs: args.readyTimeoutMs,
      graceMs: args.graceMs,
      restart: args.restart,
      redact: { enabled: args.redact, patterns: args.redactPatterns },
    });
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
    if (args.json) {
      say(JSON.stringify(banner));
      if (detected)
        say(
          JSON.stringify({ event: 'detected', kind: detected.kind, label: detected.label, command: p.displayCommand, cwd: detected.cwd }),
        );
    } else {
      say(detected ? describeDetectedRun(detected, p.appPort) : `[preview-host] ${p.name}`);
      say(`[preview-host] port:   ${p.appPort} (in $PORT and {port}; the app's own URL is shown once it is ready)`);
      say(`[preview-host] stream: ${banner.url}`);
      say(`[preview-host] page:   ${banner.pageUrl}`);
    }
    if (previous) showPreviousRun(previous, args.json, say);
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
    await history?.dispose(); // flushes every line to disk
    process.removeListener('exit', killLeftovers);
  }
}

/** `--history DIR`, default a per-user data dir; `--no-history` none. A store that fails to open is a warning. */
async function openCliHistory(args: RunArgs, io: CliIo): Promise<HistoryStore | undefined> {
  if (args.history === false) return undefined;
  const dir = args.history ?? defaultHistoryDir();
  try {
    return await openHistoryStore({ dir, warmUp: true, onNotice: (message) => io.stderr.write(`preview-host: history: ${message}\n`) });
  } catch (err) {
    io.stderr.write(`preview-host: running without history: ${(err as Error).message}\n`);
    return undefined;
  }
}

/** Where history goes by default: the platform's per-user data directory. */
export function defaultHistoryDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'preview-host');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'preview-host');
  return path.join(process.env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'preview-host');
}

/** The last lines of this preview's previous run, so a restart shows how the last one ended. */
async function previousRun(history: HistoryStore, name: string): Promise<{ run: RunSummary; lines: LogLine[] } | undefined> {
  try {
    const run = (await history.listRuns()).find((r) => r.previewName === name && r.endedAt !== null);
    if (!run) return undefined;
    return { run, lines: await history.readLines(run.id, { after: Math.max(0, run.lineCount - 10), limit: 10 }) };
  } catch {
    return undefined; // history is a nicety here; never a reason not to run
  }
}

function showPreviousRun({ run, lines }: { run: RunSummary; lines: LogLine[] }, json: boolean, say: (text: string) => void): void {
  if (json) {
    say(JSON.stringify({ event: 'previousRun', run, lines }));
    return;
  }
  const ended = run.abnormal ? 'ended abnormally' : run.signal ? `signal ${run.signal}` : `exit ${run.exitCode}`;
  say(`[preview-host] previous run (${run.startedAt}, ${ended}, ${run.lineCount} lines)${lines.length ? ', last lines:' : ''}`);
  for (const line of lines) say(`[preview-host]   ${line.text}`);
}

function describe(status: StatusEvent): string {
  switch (status.state) {
    case 'exited':
      return status.signal ? `exited (signal ${status.signal})` : `exited (code ${status.exitCode})`;
    case 'failed':
      return `failed: ${status.reason}`;
    case 'ready':
      return status.appUrl ? `ready: ${status.appUrl}` : 'ready';
    case 'restarting':
      return `restarting in ${(status.delayMs ?? 0) / 1000} s (attempt ${status.attempt})`;
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
