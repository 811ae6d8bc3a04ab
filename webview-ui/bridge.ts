/**
 * What differs between the VS Code webview and a browser tab: opening links and locations, the
 * clipboard, remembered settings and messages from the extension. `acquireVsCodeApi` is absent
 * in a browser, so everything here works without it.
 */
import type { LogLevel, PreviewInfo } from '../src/shared/protocol';
import {
  ClearMessage,
  ConfigMessage,
  CopyMessage,
  FindMessage,
  OpenExternalMessage,
  OpenLocationMessage,
  PreviewMessage,
  ReadyMessage,
  SaveExportMessage,
  VisibilityMessage,
  AliveMessage,
  type OpenLocationParams,
  type SaveExportParams,
  type TerminalConfig,
  type TerminalMode,
  type WebviewToExtensionMessage,
} from '../src/shared/webviewProtocol';
import type { Link } from './links';
import type { RelayPort } from './relayStream';

interface VsCodeApi {
  postMessage(message: WebviewToExtensionMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  // Provided by VS Code inside webviews only; may be called once.
  var acquireVsCodeApi: (() => VsCodeApi) | undefined;
}

/** Settings the page remembers between sessions. */
export interface UiPrefs {
  showTime: boolean;
  levels: LogLevel[];
}

export interface Bridge {
  readonly mode: TerminalMode;
  /** Whether `file:line` locations can be opened (only in VS Code). */
  readonly canOpenLocations: boolean;
  ready(): void;
  openLocation(location: OpenLocationParams): void;
  /** Opens an http(s) URL outside the page. In a browser the anchor does it itself. */
  openExternal(url: string): void;
  copy(text: string, lineCount: number): Promise<void>;
  loadPrefs(): Partial<UiPrefs>;
  savePrefs(prefs: UiPrefs): void;
  /** Hands an export over: VS Code asks where to save it, a browser downloads it. */
  saveExport(file: SaveExportParams): Promise<void>;
  /** The extension's stream relay (VS Code only): webviews then hold no connection of their own. */
  readonly relay?: RelayPort;
  /** Subscribes to the host's word on whether the page can be seen (a VS Code panel's); returns the unsubscribe. */
  onHostVisibility(listener: (visible: boolean) => void): () => void;
}

/** What the page does on each message from the extension. */
export interface HostMessageHandlers {
  config(config: TerminalConfig): void;
  clear(): void;
  preview(info: PreviewInfo): void;
  find(): void;
}

const PREFS_KEY = 'preview-host.terminal.prefs';

export function createBridge(mode: TerminalMode): Bridge {
  const api = mode === 'vscode' && typeof globalThis.acquireVsCodeApi === 'function' ? globalThis.acquireVsCodeApi() : undefined;
  return api ? vscodeBridge(api) : browserBridge();
}

/** Calls `listener` with the data of each message the page receives; returns the unsubscribe. */
function listenToMessages(listener: (data: unknown) => void): () => void {
  const onMessage = (e: MessageEvent) => listener(e.data);
  window.addEventListener('message', onMessage);
  return () => window.removeEventListener('message', onMessage);
}

function vscodeBridge(api: VsCodeApi): Bridge {
  return {
    relay: { post: (message) => api.postMessage(message), listen: listenToMessages },
    onHostVisibility: (listener) =>
      listenToMessages((data) => {
        if (!VisibilityMessage.is(data)) return;
        if (data.params.visible) api.postMessage(AliveMessage.create({})); // see src/extension/pageWatchdog.ts
        listener(data.params.visible);
      }),
    mode: 'vscode',
    canOpenLocations: true,
    ready: () => api.postMessage(ReadyMessage.create({})),
    openLocation: (location) => api.postMessage(OpenLocationMessage.create(location)),
    openExternal: (url) => api.postMessage(OpenExternalMessage.create({ url })),
    copy: async (text, lineCount) => api.postMessage(CopyMessage.create({ text, lineCount })),
    loadPrefs: () => {
      const state = api.getState() as { prefs?: Partial<UiPrefs> } | undefined;
      return state?.prefs ?? {};
    },
    savePrefs: (prefs) => api.setState({ prefs }),
    saveExport: async (file) => api.postMessage(SaveExportMessage.create(file)),
  };
}

function browserBridge(): Bridge {
  return {
    mode: 'browser',
    canOpenLocations: false,
    onHostVisibility: () => () => {},
    ready: () => {},
    openLocation: () => {},
    openExternal: (url) => {
      window.open(url, '_blank', 'noopener,noreferrer');
    },
    copy: async (text) => {
      try {
        await navigator.clipboard.writeText(text);
      } catch {
        copyWithTextarea(text);
      }
    },
    loadPrefs: () => {
      try {
        return JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}') as Partial<UiPrefs>;
      } catch {
        return {};
      }
    },
    savePrefs: (prefs) => {
      try {
        localStorage.setItem(PREFS_KEY, JSON.stringify(prefs));
      } catch {
        // Storage can be disabled; the prefs then last for this page only.
      }
    },
    saveExport: async (file) => downloadText(file),
  };
}

/** Routes the extension's messages to `handlers`; a browser tab gets none. */
export function listenToHost(bridge: Bridge, handlers: HostMessageHandlers): void {
  if (bridge.mode !== 'vscode') return;
  window.addEventListener('message', (e: MessageEvent) => {
    const data: unknown = e.data;
    if (ConfigMessage.is(data)) handlers.config(data.params.config);
    else if (ClearMessage.is(data)) handlers.clear();
    else if (PreviewMessage.is(data)) handlers.preview(data.params.preview);
    else if (FindMessage.is(data)) handlers.find();
  });
}

/** Opens a clicked link through the host; false when the anchor opens it itself (a URL in a browser). */
export function openLink(bridge: Bridge, link: Link): boolean {
  if (link.kind === 'location') {
    bridge.openLocation({ file: link.file, line: link.line, ...(link.column ? { column: link.column } : {}) });
  } else if (bridge.mode === 'vscode') {
    bridge.openExternal(link.url);
  } else {
    return false; // the anchor (target=_blank rel=noopener) opens it
  }
  return true;
}

/** A download of `text` under its file name, from a blob URL (nothing is sent anywhere). */
function downloadText(file: SaveExportParams): void {
  const type = file.format === 'jsonl' ? 'application/x-ndjson' : 'text/plain';
  const url = URL.createObjectURL(new Blob([file.text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.className = 'offscreen';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken the blob by the next turn; keep it a little longer for slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Fallback for pages where the async clipboard is refused (no user activation, no permission). */
function copyWithTextarea(text: string): void {
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.className = 'offscreen';
  document.body.append(ta);
  ta.select();
  try {
    document.execCommand('copy');
  } finally {
    ta.remove();
  }
}
