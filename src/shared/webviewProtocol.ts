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
   * last seq (`?after=`, plus `Last-Event-ID` where the browser or same-origin allows). `relay`
   * (VS Code): the extension reads the stream and posts it to the page (see the Stream* messages),
   * so webviews hold none of the six connections a browser allows per host; a page with nobody to
   * relay (a browser tab) reads it with `fetch`.
   */
  transport?: 'fetch' | 'eventsource' | 'relay';
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
    (v.transport === undefined || v.transport === 'fetch' || v.transport === 'eventsource' || v.transport === 'relay') &&
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
/** The page's answer to being shown (a `visibility` message saying visible): it is loaded and running. */
export const AliveMessage = new MessageType('alive', isEmpty);

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

export interface SaveExportParams {
  /** A bare file name (no folder): the save dialog's suggestion. */
  fileName: string;
  /** What the host's export route returned. */
  text: string;
  format: 'text' | 'jsonl';
  lineCount: number;
}
/** An export the page fetched: the extension asks where to save it and writes it. */
export const SaveExportMessage = new MessageType(
  'saveExport',
  (p: unknown): p is SaveExportParams =>
    isObject(p) &&
    typeof p.fileName === 'string' &&
    /^[^/\\\0]{1,200}$/.test(p.fileName) &&
    typeof p.text === 'string' &&
    (p.format === 'text' || p.format === 'jsonl') &&
    typeof p.lineCount === 'number',
);

// The stream relay (`relay` transport). The page asks for one connection at a time by an id of its
// own; the extension answers with its status, its text and its end, all tagged with that id, and
// sends at most a few chunks ahead of the page's acks (a flood cannot pile up in the page).

export interface StreamOpenParams {
  /** The page's number for this connection; later messages about it carry it. */
  id: number;
  /** The preview whose stream to read; only the panel's own preview is relayed. */
  previewId: string;
  /** Resume after this seq (0: from the start). */
  after: number;
}
export const StreamOpenMessage = new MessageType(
  'streamOpen',
  (p: unknown): p is StreamOpenParams =>
    isObject(p) && isConnectionId(p.id) && typeof p.previewId === 'string' && Number.isSafeInteger(p.after) && (p.after as number) >= 0,
);

export interface StreamIdParams {
  id: number;
}
const isStreamId = (p: unknown): p is StreamIdParams => isObject(p) && isConnectionId(p.id);
/** The page is done with this connection (disposed, replaced, hidden). */
export const StreamCloseMessage = new MessageType('streamClose', isStreamId);
export interface StreamAckParams {
  id: number;
  /** How many `streamData` chunks of this connection the page has taken since its last ack. */
  chunks: number;
}
export const StreamAckMessage = new MessageType(
  'streamAck',
  (p: unknown): p is StreamAckParams => isObject(p) && isConnectionId(p.id) && isPositiveInt(p.chunks),
);

export type WebviewToExtensionMessage =
  | ReturnType<typeof StreamOpenMessage.create>
  | ReturnType<typeof StreamCloseMessage.create>
  | ReturnType<typeof StreamAckMessage.create>
  | ReturnType<typeof ReadyMessage.create>
  | ReturnType<typeof AliveMessage.create>
  | ReturnType<typeof OpenLocationMessage.create>
  | ReturnType<typeof OpenExternalMessage.create>
  | ReturnType<typeof CopyMessage.create>
  | ReturnType<typeof SaveExportMessage.create>;

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

export interface StreamOpenedParams {
  id: number;
  /** The stream server's HTTP status (0 when it could not be reached). */
  status: number;
  contentType: string;
}
export const StreamOpenedMessage = new MessageType(
  'streamOpened',
  (p: unknown): p is StreamOpenedParams =>
    isObject(p) && isConnectionId(p.id) && typeof p.status === 'number' && typeof p.contentType === 'string',
);

export interface StreamDataParams {
  id: number;
  /** SSE text as the server sent it (whole characters; events may be split across chunks). */
  text: string;
}
export const StreamDataMessage = new MessageType(
  'streamData',
  (p: unknown): p is StreamDataParams => isObject(p) && isConnectionId(p.id) && typeof p.text === 'string',
);

export interface StreamEndParams {
  id: number;
  /** Why the connection failed; absent when the server ended the stream. */
  error?: string;
}
export const StreamEndMessage = new MessageType(
  'streamEnd',
  (p: unknown): p is StreamEndParams => isObject(p) && isConnectionId(p.id) && (p.error === undefined || typeof p.error === 'string'),
);

export interface VisibilityParams {
  /** Whether the panel can be seen (VS Code's `WebviewPanel.visible`). */
  visible: boolean;
}
/** The panel was hidden or shown: a hidden page drops its stream after a moment and resumes when shown. */
export const VisibilityMessage = new MessageType(
  'visibility',
  (p: unknown): p is VisibilityParams => isObject(p) && typeof p.visible === 'boolean',
);

export type ExtensionToWebviewMessage =
  | ReturnType<typeof StreamOpenedMessage.create>
  | ReturnType<typeof StreamDataMessage.create>
  | ReturnType<typeof StreamEndMessage.create>
  | ReturnType<typeof VisibilityMessage.create>
  | ReturnType<typeof ConfigMessage.create>
  | ReturnType<typeof ClearMessage.create>
  | ReturnType<typeof PreviewMessage.create>
  | ReturnType<typeof FindMessage.create>;

function isConnectionId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}
