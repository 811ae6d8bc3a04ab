/**
 * Messages between the terminal page (`webview-ui/`) and whatever hosts it: the VS Code extension
 * (via `postMessage`) or nothing at all (a plain browser tab served by the host). Each message type
 * is one descriptor with a `create()` and an `is()` guard, GitLens-style, so neither side handles
 * untyped strings. Browser-safe: no Node or vscode imports.
 */
import { isLogLevel, type LogLevel, type PreviewInfo } from './protocol';

/** Where the page runs; decides how links and copy behave. */
export type TerminalMode = 'vscode' | 'browser';

/** The page's configuration, embedded as JSON in `<script type="application/json" id=…>`. */
export interface TerminalConfig {
  /** SSE stream URL of one preview (absolute, or relative to the page). `token` is added if absent. */
  streamUrl: string;
  /** `GET /api/previews` URL, for the status header (command, port, uptime). Optional. */
  previewsUrl?: string;
  /** Per-host token; sent as `?token=` because EventSource cannot set headers. */
  token: string;
  previewId: string;
  mode: TerminalMode;
  /** Most lines the view keeps (default 100 000); older ones are dropped from view, not history. */
  maxLines?: number;
  /** Levels shown at start (default: all). */
  levels?: LogLevel[];
  /** Shown in the header until the preview's details arrive. */
  title?: string;
  /**
   * How the page reads the stream: `fetch` (default; parses in short slices, so floods never block
   * the page) or the browser's `eventsource`. Both reconnect by themselves and resume after the
   * last seq (`?after=`, plus `Last-Event-ID` where the browser or same-origin allows).
   */
  transport?: 'fetch' | 'eventsource';
  /**
   * `GET /api/runs` URL (absolute, or relative to the page): scrolling past the oldest line in
   * view loads older ones from `<runsUrl>/<runId>/logs?before=`. Without it there is no scroll back.
   */
  runsUrl?: string;
  /** Shows this past run of the history, read-only: no stream (`streamUrl` is not used). */
  runId?: number;
}

/** The id of the `<script type="application/json">` element that carries the config. */
export const CONFIG_ELEMENT_ID = 'preview-host-config';

export const DEFAULT_MAX_LINES = 100_000;
/** Bounds for `maxLines`: the scroll height (lines × row height) must stay within what browsers lay out. */
export const MIN_MAX_LINES = 1_000;
export const MAX_MAX_LINES = 500_000;

export function isTerminalConfig(value: unknown): value is TerminalConfig {
  const v = value as TerminalConfig;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.streamUrl === 'string' &&
    typeof v.token === 'string' &&
    typeof v.previewId === 'string' &&
    (v.mode === 'vscode' || v.mode === 'browser') &&
    (v.previewsUrl === undefined || typeof v.previewsUrl === 'string') &&
    (v.maxLines === undefined || (typeof v.maxLines === 'number' && Number.isFinite(v.maxLines))) &&
    (v.levels === undefined || (Array.isArray(v.levels) && v.levels.every(isLogLevel))) &&
    (v.title === undefined || typeof v.title === 'string') &&
    (v.transport === undefined || v.transport === 'fetch' || v.transport === 'eventsource') &&
    (v.runsUrl === undefined || typeof v.runsUrl === 'string') &&
    (v.runId === undefined || (typeof v.runId === 'number' && Number.isSafeInteger(v.runId) && v.runId > 0))
  );
}

/** `maxLines` clamped to the supported range; the default when absent. */
export function effectiveMaxLines(config: Pick<TerminalConfig, 'maxLines'>): number {
  const n = config.maxLines ?? DEFAULT_MAX_LINES;
  return Math.min(MAX_MAX_LINES, Math.max(MIN_MAX_LINES, Math.floor(n)));
}

/** One message on the wire: `{ method, params }`. */
export interface Message<M extends string, P> {
  method: M;
  params: P;
}

/** A message descriptor: its method name, a factory and a guard that also checks the params. */
export class MessageType<M extends string, P> {
  constructor(
    readonly method: M,
    private readonly checkParams: (params: unknown) => params is P,
  ) {}

  create(params: P): Message<M, P> {
    return { method: this.method, params };
  }

  is(message: unknown): message is Message<M, P> {
    const m = message as Message<M, P>;
    return typeof m === 'object' && m !== null && m.method === this.method && this.checkParams(m.params);
  }
}

type Empty = Record<string, never>;
const isObject = (p: unknown): p is Record<string, unknown> => typeof p === 'object' && p !== null;
const isEmpty = (p: unknown): p is Empty => isObject(p);

// ── webview → extension ──────────────────────────────────────────────────────────────────────────

/** The page has started and listens for messages. */
export const ReadyMessage = new MessageType('ready', isEmpty);

export interface OpenLocationParams {
  /** As written in the log line: absolute, or relative to the preview's cwd. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column?: number;
}
export const OpenLocationMessage = new MessageType(
  'openLocation',
  (p: unknown): p is OpenLocationParams =>
    isObject(p) &&
    typeof p.file === 'string' &&
    p.file.length > 0 &&
    isPositiveInt(p.line) &&
    (p.column === undefined || isPositiveInt(p.column)),
);

export interface OpenExternalParams {
  /** Always http: or https:. */
  url: string;
}
export const OpenExternalMessage = new MessageType(
  'openExternal',
  (p: unknown): p is OpenExternalParams => isObject(p) && typeof p.url === 'string' && /^https?:\/\//i.test(p.url),
);

export interface CopyParams {
  text: string;
  /** How many lines `text` holds, for the extension's confirmation. */
  lineCount: number;
}
/** Webviews cannot always reach the clipboard; the extension writes it with `vscode.env.clipboard`. */
export const CopyMessage = new MessageType(
  'copy',
  (p: unknown): p is CopyParams => isObject(p) && typeof p.text === 'string' && typeof p.lineCount === 'number',
);

export type WebviewToExtensionMessage =
  | ReturnType<typeof ReadyMessage.create>
  | ReturnType<typeof OpenLocationMessage.create>
  | ReturnType<typeof OpenExternalMessage.create>
  | ReturnType<typeof CopyMessage.create>;

// ── extension → webview ──────────────────────────────────────────────────────────────────────────

export interface ConfigParams {
  config: TerminalConfig;
}
/** Replace the config (e.g. the host restarted on another port): the page reconnects. */
export const ConfigMessage = new MessageType('config', (p: unknown): p is ConfigParams => isObject(p) && isTerminalConfig(p.config));

/** Clear the view (lines already shown are not shown again). */
export const ClearMessage = new MessageType('clear', isEmpty);

export interface PreviewParams {
  preview: PreviewInfo;
}
/** The extension knows the preview's details; saves the page a `GET /api/previews`. */
export const PreviewMessage = new MessageType(
  'preview',
  (p: unknown): p is PreviewParams =>
    isObject(p) && isObject(p.preview) && typeof p.preview.id === 'string' && typeof p.preview.state === 'string',
);

/** Open the search bar (e.g. from a command palette entry). */
export const FindMessage = new MessageType('find', isEmpty);

export type ExtensionToWebviewMessage =
  | ReturnType<typeof ConfigMessage.create>
  | ReturnType<typeof ClearMessage.create>
  | ReturnType<typeof PreviewMessage.create>
  | ReturnType<typeof FindMessage.create>;

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}
