// Who a pid is: its start time and command line, read with the OS's own tools, so a pid the OS
// has reused for another program is never taken for the process we recorded.
// Linux: /proc. macOS: `ps`. Windows: PowerShell's Get-CimInstance Win32_Process (not wmic, which
// Windows 11 no longer installs by default).
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { readProcStat } from './procStat';

/** What identifies one run of a program, beyond its reusable pid. */
export interface ProcessIdentity {
  /** When it started, as a string that is equal only for the same process: Linux clock ticks since boot; elsewhere ISO-8601 UTC. */
  start: string;
  /** Its command line as the OS shows it ('' when the OS does not say). */
  command: string;
}

/** The answer of a lookup: the process, "no such process", or why we could not tell. */
export type ProcessLookup = { found: ProcessIdentity } | { gone: true } | { error: string };

/** How a command ended; `error` when it could not run at all (missing, timed out). Shaped like spawnSync's result. */
export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

export type RunCommand = (file: string, args: string[], env: NodeJS.ProcessEnv) => Promise<CommandResult>;
export type RunCommandSync = (file: string, args: string[], env: NodeJS.ProcessEnv) => CommandResult;

/** The platform and command runners a lookup uses; injected by tests. */
export interface ProcessTools {
  platform: NodeJS.Platform;
  run: RunCommand;
  runSync: RunCommandSync;
}

// PowerShell starts slowly on a cold machine; a stuck tool must not hang activation or the store.
const TOOL_TIMEOUT_MS = 15_000;

export const systemProcessTools: ProcessTools = {
  platform: process.platform,
  run: (file, args, env) =>
    new Promise((resolve) => {
      execFile(file, args, { env, timeout: TOOL_TIMEOUT_MS, windowsHide: true, encoding: 'utf8' }, (err, stdout, stderr) => {
        const code = (err as NodeJS.ErrnoException | null)?.code;
        if (err && typeof code !== 'number') resolve({ status: null, stdout, stderr, error: err });
        else resolve({ status: typeof code === 'number' ? code : 0, stdout, stderr });
      });
    }),
  runSync: (file, args, env) => {
    const r = spawnSync(file, args, { env, timeout: TOOL_TIMEOUT_MS, windowsHide: true, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
  },
};

/** A tool invocation and how to read its output. */
interface ToolQuery {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** The identity in `stdout`, or null when the output names no process. */
  parse(stdout: string): ProcessIdentity | null;
  /** The exit status that, with no output at all, means "no such process". */
  goneStatus: number;
}

/** Looks `pid` up; never throws. */
export async function lookupProcess(pid: number, tools: ProcessTools = systemProcessTools): Promise<ProcessLookup> {
  const query = toolQuery(pid, tools.platform);
  if ('lookup' in query) return query.lookup;
  return interpret(query, await tools.run(query.file, query.args, query.env));
}

/** `lookupProcess`, blocking: for the store's lock, which is taken synchronously in its worker. */
export function lookupProcessSync(pid: number, tools: ProcessTools = systemProcessTools): ProcessLookup {
  const query = toolQuery(pid, tools.platform);
  if ('lookup' in query) return query.lookup;
  return interpret(query, tools.runSync(query.file, query.args, query.env));
}

/**
 * True when `current` is the command line `recorded` was, allowing for a launcher that has since
 * exec'd its program (`/usr/bin/env node …` → `node …`, `/bin/sh -c 'gunicorn …'` → `gunicorn …`):
 * the program's command line is then the tail of the launcher's.
 */
export function sameCommand(recorded: string, current: string): boolean {
  if (recorded === current) return true;
  return current.trim() !== '' && recorded.endsWith(` ${current}`);
}

function toolQuery(pid: number, platform: NodeJS.Platform): ToolQuery | { lookup: ProcessLookup } {
  // The pid goes into a PowerShell script: never anything but a positive integer.
  if (!Number.isSafeInteger(pid) || pid <= 0) return { lookup: { error: `not a process id: ${pid}` } };
  switch (platform) {
    case 'linux':
      return { lookup: readProc(pid) };
    case 'darwin':
      // lstart is printed with strftime("%c"): LC_ALL=C pins its layout. -ww: never cut the command.
      return {
        file: 'ps',
        args: ['-ww', '-o', 'lstart=', '-o', 'command=', '-p', String(pid)],
        env: { ...process.env, LC_ALL: 'C' },
        parse: parsePsLine,
        goneStatus: 1,
      };
    case 'win32':
      return {
        file: 'powershell.exe',
        args: ['-NoProfile', '-NonInteractive', '-Command', powershellScript(pid)],
        env: process.env,
        parse: parsePowershellJson,
        goneStatus: 0,
      };
    default:
      return { lookup: { error: `reading a process's start time is not implemented on ${platform}` } };
  }
}

function interpret(query: ToolQuery, result: CommandResult): ProcessLookup {
  const tool = `${query.file} ${query.args.slice(0, -1).join(' ')}`.trim();
  if (result.error) return { error: `could not run ${query.file}: ${result.error.message}` };
  let identity: ProcessIdentity | null;
  try {
    identity = query.parse(result.stdout);
  } catch (err) {
    return { error: `${tool}: unexpected output ${JSON.stringify(result.stdout.slice(0, 200))} (${(err as Error).message})` };
  }
  if (identity) return { found: identity };
  // ps exits 1 without a word for an unknown pid; the PowerShell query prints nothing and exits 0.
  if (result.stdout.trim() === '' && result.stderr.trim() === '' && result.status === query.goneStatus) return { gone: true };
  const said = result.stderr.trim().split('\n')[0] ?? '';
  return { error: `${query.file} exited with ${result.status ?? 'no status'}${said ? `: ${said}` : ''}` };
}

function readProc(pid: number): ProcessLookup {
  const stat = readProcStat(pid);
  if (!stat) return fs.existsSync('/proc/self/stat') ? { gone: true } : { error: '/proc is not mounted' };
  let command = '';
  try {
    command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '').split('\0').join(' ');
  } catch {
    // Exited meanwhile, or hidden from us: the start time still identifies it.
  }
  return { found: { start: stat.startTime, command } };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `ps -o lstart= -o command=`: "Tue Mar  5 09:03:07 2024 /usr/local/bin/node server.js", local time. */
export function parsePsLine(stdout: string): ProcessIdentity | null {
  const line = stdout.split('\n').find((l) => l.trim() !== '');
  if (line === undefined) return null;
  const m = /^\s*[A-Z][a-z]{2} ([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})(?: +(.*))?$/.exec(line);
  const month = m ? MONTHS.indexOf(m[1]) : -1;
  if (!m || month < 0) throw new Error('no "Www Mmm d hh:mm:ss yyyy" start time');
  const start = new Date(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  return { start: start.toISOString(), command: (m[7] ?? '').trimEnd() };
}

/** Prints {"start","command"} for the pid, nothing when there is none; 'o' is culture-independent; errors exit 1. */
function powershellScript(pid: number): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    '[Console]::OutputEncoding = [Text.Encoding]::UTF8',
    `$p = Get-CimInstance -ClassName Win32_Process -Filter 'ProcessId=${pid}'`,
    "if ($p) { $s = ''; if ($p.CreationDate) { $s = $p.CreationDate.ToUniversalTime().ToString('o') }",
    '[pscustomobject]@{ start = $s; command = $p.CommandLine } | ConvertTo-Json -Compress }',
  ].join('; ');
}

/** The script's output: {"start":"2024-05-14T08:21:07.5630120Z","command":"\"C:\\…\\node.exe\" server.js"}. */
export function parsePowershellJson(stdout: string): ProcessIdentity | null {
  if (stdout.trim() === '') return null;
  const value = JSON.parse(stdout) as { start?: unknown; command?: unknown };
  if (typeof value.start !== 'string' || value.start === '') throw new Error('no start time');
  // CommandLine is null for another user's process when we are not elevated.
  return { start: value.start, command: typeof value.command === 'string' ? value.command : '' };
}
