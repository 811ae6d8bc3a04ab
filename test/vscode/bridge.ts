// Typed client of the test bridge (launch/bridgeServer.mjs): lets an extension test, which runs in
// the extension host, act on the workbench page like a person: screenshot it, read and click a
// webview's DOM, press keys. Only the launcher provides a bridge; in a desktop VS Code
// `testBridge()` is undefined and tests that need it should skip.

/** Which VS Code the tests run in: the launcher's two fronts, or a desktop build. */
export type TestFront = 'server' | 'code-server' | 'desktop';

/**
 * Picks a webview: by the title of its tab (visible panels only) or its document's <title>
 * (hidden ones too); without it, the only visible one.
 */
export interface WebviewTarget {
  titleContains?: string;
  /** How long to wait for the webview to exist and load; default 15000. */
  timeoutMs?: number;
}

export interface WebviewSummary {
  title: string;
  documentTitle: string;
  visible: boolean;
  loaded: boolean;
}

export interface TestBridge {
  /** The front and the workbench's origin (e.g. http://127.0.0.1:41234). */
  info(): Promise<{ front: Exclude<TestFront, 'desktop'>; origin: string }>;
  /** Saves a screenshot of the whole workbench as test-output/screenshots/<front>/<name>.png; returns its path. */
  screenshot(name: string): Promise<string>;
  /** Evaluates a JS expression, or a function's source (`() => ...`, then called), in the workbench page; promises are awaited; returns the JSON-able result. */
  evalInPage<T = unknown>(expression: string): Promise<T>;
  /** Like evalInPage, in a webview's content document (its CSP does not apply). */
  evalInWebview<T = unknown>(expression: string, target?: WebviewTarget): Promise<T>;
  /** Clicks the element matching a CSS selector in a webview, with the mouse. */
  clickInWebview(selector: string, target?: WebviewTarget): Promise<void>;
  /** Presses a key chord on the page, e.g. "Control+Shift+P" or "Escape". */
  press(keys: string): Promise<void>;
  /** Types text into whatever has focus. */
  type(text: string): Promise<void>;
  /** The webviews the page holds now. */
  webviews(): Promise<WebviewSummary[]>;
}

/** The front from PREVIEW_HOST_TEST_FRONT, which the launcher sets; 'desktop' without it. */
export function testFront(env: NodeJS.ProcessEnv = process.env): TestFront {
  const front = env.PREVIEW_HOST_TEST_FRONT;
  return front === 'server' || front === 'code-server' ? front : 'desktop';
}

/** The bridge of this run, from PREVIEW_HOST_TEST_BRIDGE; undefined outside the launcher. */
export function testBridge(env: NodeJS.ProcessEnv = process.env): TestBridge | undefined {
  const raw = env.PREVIEW_HOST_TEST_BRIDGE;
  if (!raw) return undefined;
  const base = new URL(raw);
  const token = base.searchParams.get('token') ?? '';

  async function call<T>(method: 'GET' | 'POST', route: string, body?: object): Promise<T> {
    const url = new URL(route, base);
    url.searchParams.set('token', token);
    const res = await fetch(url, {
      method,
      headers: body ? { 'content-type': 'application/json' } : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
    const payload = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`test bridge: ${method} ${route} failed (${res.status}): ${payload.error ?? JSON.stringify(payload)}`);
    return payload;
  }

  return {
    info: () => call('GET', '/info'),
    screenshot: async (name) => (await call<{ path: string }>('POST', '/screenshot', { name })).path,
    evalInPage: async <T>(expression: string) => (await call<{ value: T }>('POST', '/page/eval', { expression })).value,
    evalInWebview: async <T>(expression: string, target: WebviewTarget = {}) =>
      (await call<{ value: T }>('POST', '/webview/eval', { expression, ...target })).value,
    clickInWebview: async (selector, target = {}) => {
      await call('POST', '/webview/click', { selector, ...target });
    },
    press: async (keys) => {
      await call('POST', '/keyboard', { press: keys });
    },
    type: async (text) => {
      await call('POST', '/keyboard', { type: text });
    },
    webviews: async () => (await call<{ webviews: WebviewSummary[] }>('GET', '/webviews')).webviews,
  };
}
