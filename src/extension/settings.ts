import * as vscode from 'vscode';
import { checkRedactPatterns } from '../host/redact';

/** One entry of `previewHost.previews`. */
export interface PreviewSetting {
  name: string;
  /** A shell command line, or the program and its arguments. `{port}` is the app's port. */
  command: string | string[];
  /** Relative to the workspace folder. */
  cwd?: string;
  env?: Record<string, string>;
  port?: number;
  readyUrl?: string;
  readyLine?: string;
}

export interface Settings {
  command: string;
  previews: PreviewSetting[];
  pythonPath: string;
  readyTimeoutSeconds: number;
  stopGraceMs: number;
  openIn: 'simpleBrowser' | 'external';
  maxLines: number;
  historyEnabled: boolean;
  historyMaxRuns: number;
  historyMaxMegabytes: number;
  /** After a crash: `never` (default), or `on-failure` (backoff, and a stop after a crash loop). */
  restart: 'never' | 'on-failure';
  /** Mask secrets in output (default true); the extra patterns, bad ones dropped and reported. */
  redact: boolean;
  redactPatterns: string[];
}

/** The `previewHost.*` settings for a folder, with defaults and bad values replaced (and reported). */
export function readSettings(scope?: vscode.Uri, report?: (problem: string) => void): Settings {
  const c = vscode.workspace.getConfiguration('previewHost', scope);
  const num = (key: string, fallback: number, min: number, max: number): number => {
    const v = c.get<number>(key, fallback);
    if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max) return v;
    report?.(`previewHost.${key}: ${JSON.stringify(v)} is not a number from ${min} to ${max}; using ${fallback}`);
    return fallback;
  };
  const previews = c.get<unknown>('previews', []);
  const valid: PreviewSetting[] = [];
  if (Array.isArray(previews)) {
    previews.forEach((p, i) => {
      const problem = checkPreviewSetting(p);
      if (problem) report?.(`previewHost.previews[${i}]: ${problem}; skipped`);
      else valid.push(p as PreviewSetting);
    });
  } else {
    report?.(`previewHost.previews: expected an array, got ${JSON.stringify(previews)}`);
  }
  return {
    command: c.get<string>('command', '').trim(),
    previews: valid,
    pythonPath: c.get<string>('pythonPath', '').trim(),
    readyTimeoutSeconds: num('readyTimeoutSeconds', 60, 1, 3600),
    stopGraceMs: num('stopGraceMs', 5000, 0, 60_000),
    openIn: c.get<string>('openIn') === 'external' ? 'external' : 'simpleBrowser',
    maxLines: num('maxLines', 100_000, 1000, 500_000),
    historyEnabled: c.get<boolean>('history.enabled', true),
    historyMaxRuns: num('history.maxRuns', 20, 1, 1000),
    historyMaxMegabytes: num('history.maxMegabytes', 50, 1, 2000),
    restart: restartSetting(c.get<unknown>('restart', 'never'), report),
    redact: c.get<boolean>('redact', true) !== false,
    redactPatterns: readRedactPatterns(c.get<unknown>('redactPatterns', []), report),
  };
}

// The modes of src/host/restartPolicy.ts, spelled out here so reading settings loads no host module.
function restartSetting(value: unknown, report?: (problem: string) => void): 'never' | 'on-failure' {
  if (value === 'never' || value === 'on-failure') return value;
  report?.(`previewHost.restart: ${JSON.stringify(value)} is not "never" or "on-failure"; using "never"`);
  return 'never';
}

/** The usable extra patterns; each unusable one is reported by name and skipped, the rest still apply. */
function readRedactPatterns(value: unknown, report?: (problem: string) => void): string[] {
  if (!Array.isArray(value)) {
    report?.(`previewHost.redactPatterns: expected an array of regular expressions, got ${JSON.stringify(value)}`);
    return [];
  }
  const strings = value.filter((p): p is string => typeof p === 'string');
  if (strings.length < value.length) report?.('previewHost.redactPatterns: entries that are not strings are skipped');
  const { usable, problems } = checkRedactPatterns(strings);
  for (const problem of problems) {
    const message = `previewHost.redactPatterns: ${problem}; skipped, the other patterns still apply`;
    report?.(message);
    // Shown, not only logged: the user counts on this pattern to hide something. Once per session.
    if (!shownPatternProblems.has(message)) void vscode.window.showWarningMessage(`Preview Host: ${message}`);
    shownPatternProblems.add(message);
  }
  return usable;
}

const shownPatternProblems = new Set<string>();

function checkPreviewSetting(p: unknown): string | undefined {
  if (typeof p !== 'object' || p === null) return `expected an object, got ${JSON.stringify(p)}`;
  const s = p as Record<string, unknown>;
  if (typeof s.name !== 'string' || s.name.trim() === '') return `"name" must be a non-empty string, got ${JSON.stringify(s.name)}`;
  const commandOk =
    (typeof s.command === 'string' && s.command.trim() !== '') ||
    (Array.isArray(s.command) && s.command.length > 0 && s.command.every((x) => typeof x === 'string'));
  if (!commandOk) return `"command" must be a string or an array of strings, got ${JSON.stringify(s.command)}`;
  if (s.readyLine !== undefined) {
    try {
      new RegExp(String(s.readyLine));
    } catch (err) {
      return `"readyLine" is not a valid regular expression: ${(err as Error).message}`;
    }
  }
  if (s.readyUrl !== undefined && (typeof s.readyUrl !== 'string' || !s.readyUrl.startsWith('/'))) {
    return `"readyUrl" must be a path starting with /, got ${JSON.stringify(s.readyUrl)}`;
  }
  return undefined;
}
