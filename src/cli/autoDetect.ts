import fs from 'node:fs';
import path from 'node:path';
import { describeDetectionRules, detectRunCandidates, type DetectOptions, type RunCandidate } from '../host/detect';
import { UsageError, type RunArgs } from './args';

/** What `preview-host run` without a command runs: the chosen detection candidate. */
export interface DetectedRun extends Omit<RunCandidate, 'ready'> {
  /** Everything detection found, the chosen one included, best first. */
  candidates: Pick<RunCandidate, 'kind' | 'label' | 'displayCommand'>[];
}

export interface AutoDetectOptions extends Pick<DetectOptions, 'which' | 'platform'> {
  /** How to run this CLI's `static` subcommand; default [node, this script]. */
  staticServer?: string[];
}

/**
 * Undefined when `args.command` is given (it runs as written); else the first detected candidate
 * in `args.cwd`, or the one of kind `args.pick`. Nothing found or an unknown kind → UsageError.
 */
export async function resolveRunCommand(args: RunArgs, options: AutoDetectOptions = {}): Promise<DetectedRun | undefined> {
  if (args.command.length > 0) return undefined;
  const dir = path.resolve(args.cwd);
  if (!isDirectory(dir)) throw new UsageError(`--cwd: not a directory: ${dir}`);
  const platform = options.platform ?? process.platform;
  const found = await detectRunCandidates(dir, {
    python: args.python ?? projectInterpreter(dir, platform),
    staticServer: options.staticServer ?? [process.execPath, path.resolve(process.argv[1] ?? 'dist/cli.js')],
    which: options.which,
    platform,
  });
  if (found.length === 0) {
    throw new UsageError(
      `no command given and nothing runnable found in ${dir}.\nLooked for:\n${describeDetectionRules()
        .map((r) => `  - ${r}`)
        .join('\n')}\n` + 'Give the command after --, e.g. preview-host run -- npm run dev -- --port {port}',
    );
  }
  const chosen = args.pick === undefined ? found[0] : found.find((c) => c.kind === args.pick);
  if (!chosen) {
    throw new UsageError(
      `--pick ${args.pick}: no such candidate in ${dir}. Found:\n${found.map((c) => `  ${c.kind.padEnd(16)} ${c.label}: ${c.displayCommand}`).join('\n')}`,
    );
  }
  return toDetectedRun(chosen, found);
}

/** The human-mode line, e.g. `[preview-host] running: npm run dev -- --port 5174 --strictPort (detected: Vite: npm run dev)`. */
export function describeDetectedRun(run: DetectedRun, port?: number): string {
  const line = port === undefined ? run.displayCommand : run.displayCommand.replaceAll('{port}', String(port));
  return `[preview-host] running: ${line} (detected: ${run.label})`;
}

function toDetectedRun(c: RunCandidate, all: RunCandidate[]): DetectedRun {
  return {
    kind: c.kind,
    label: c.label,
    command: c.command,
    displayCommand: c.displayCommand,
    cwd: c.cwd,
    env: c.env,
    port: c.port,
    candidates: all.map(({ kind, label, displayCommand }) => ({ kind, label, displayCommand })),
  };
}

/** A project's own virtualenv (.venv, venv), so `npx preview-host run` uses its packages. */
function projectInterpreter(dir: string, platform: NodeJS.Platform): string | undefined {
  const rel = platform === 'win32' ? path.join('Scripts', 'python.exe') : path.join('bin', 'python');
  for (const venv of ['.venv', 'venv']) {
    const file = path.join(dir, venv, rel);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
