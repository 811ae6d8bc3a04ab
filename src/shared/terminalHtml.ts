/**
 * The one function that builds the terminal page, for the VS Code webview and for the host's
 * `GET /` alike: a strict CSP (`default-src 'none'`, nonce'd script, `connect-src` to the host only)
 * and the config embedded as inert JSON. Browser-safe: uses only `globalThis.crypto`.
 */
import { CONFIG_ELEMENT_ID, type TerminalConfig } from './webviewProtocol';

export interface TerminalHtmlOptions {
  /** From `createNonce()`, fresh per page. */
  nonce: string;
  /** The bundle (`dist/webview/main.js`): a `webview.asWebviewUri(...)` or e.g. `/assets/main.js`. */
  scriptUri: string;
  /** The stylesheet (`dist/webview/main.css`). */
  styleUri: string;
  /**
   * Where scripts, styles, images and fonts may come from: `webview.cspSource` as VS Code gives it
   * (one source, or several separated by spaces in web VS Code), or the host's origin.
   */
  cspSource: string;
  /** The host origin(s) the page may connect to (EventSource, fetch), e.g. `http://127.0.0.1:4123`. */
  connectSrc: string | readonly string[];
  config: TerminalConfig;
  /** Document title; defaults to "Preview Host". */
  title?: string;
}

/** The Content-Security-Policy the page carries; also usable as a response header. */
export function terminalCsp(opts: Pick<TerminalHtmlOptions, 'nonce' | 'cspSource' | 'connectSrc'>): string {
  const nonce = checkNonce(opts.nonce);
  const sources = typeof opts.cspSource === 'string' ? opts.cspSource.trim().split(/\s+/) : [];
  const csp = sources.map((source) => checkSource('cspSource', source)).join(' ');
  const connect = (typeof opts.connectSrc === 'string' ? [opts.connectSrc] : [...opts.connectSrc]).map((s) => checkSource('connectSrc', s));
  if (connect.length === 0) throw new Error('renderTerminalHtml: connectSrc must name at least one origin, got []');
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${csp}`,
    `connect-src ${connect.join(' ')}`,
    `img-src ${csp} data:`,
    `font-src ${csp}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The page's full HTML. Log text never passes through here: the page renders it as text at run time. */
export function renderTerminalHtml(opts: TerminalHtmlOptions): string {
  const csp = terminalCsp(opts);
  const title = opts.title ?? 'Preview Host';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${escapeText(title)}</title>
<link rel="stylesheet" href="${escapeAttr(opts.styleUri)}">
</head>
<body>
<div id="app" class="app"></div>
<noscript>The terminal needs JavaScript.</noscript>
<script type="application/json" id="${CONFIG_ELEMENT_ID}">${embedJson(opts.config)}</script>
<script nonce="${escapeAttr(opts.nonce)}" src="${escapeAttr(opts.scriptUri)}"></script>
</body>
</html>
`;
}

/** 128 random bits, base64: a CSP nonce. Uses the platform's CSPRNG (Node ≥ 20 and browsers). */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` become `\u003c`…
 * so no string can close the element (`</script>`) or open a comment; U+2028/9 are escaped too.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function checkNonce(nonce: string): string {
  // CSP's base64-value grammar; anything else would break out of the policy.
  if (typeof nonce !== 'string' || !/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(nonce)) {
    throw new Error(`renderTerminalHtml: nonce must be ≥ 16 base64 characters from createNonce(), got ${JSON.stringify(nonce)}`);
  }
  return nonce;
}

function checkSource(name: string, source: string): string {
  // One CSP source expression: no separators (`;` `,`), quotes or whitespace that could add directives.
  if (source === "'self'") return source;
  if (typeof source !== 'string' || source.length === 0 || /[\s;,'"<>]/.test(source)) {
    throw new Error(`renderTerminalHtml: ${name} must be one CSP source such as http://127.0.0.1:4123, got ${JSON.stringify(source)}`);
  }
  return source;
}
