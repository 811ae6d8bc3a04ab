import assert from 'node:assert/strict';
import { createNonce, embedJson, renderTerminalHtml, terminalCsp } from '../../src/shared/terminalHtml';
import { CONFIG_ELEMENT_ID, type TerminalConfig } from '../../src/shared/webviewProtocol';

const config: TerminalConfig = {
  streamUrl: 'http://127.0.0.1:4123/api/previews/1/logs/stream',
  token: 'tok',
  previewId: '1',
  mode: 'vscode',
};
const base = {
  nonce: 'abcdefghijklmnopqrstuv==',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.css',
  cspSource: 'https://*.vscode-cdn.net',
  connectSrc: 'http://127.0.0.1:4123',
  config,
};

/** The JSON inside the config element, as the page reads it. */
function embeddedConfig(html: string): unknown {
  const m = new RegExp(`<script type="application/json" id="${CONFIG_ELEMENT_ID}">([^<]*)</script>`).exec(html);
  assert.ok(m, 'config element present and closed by the first </script>');
  return JSON.parse(m[1]!);
}

describe('webview page HTML (renderTerminalHtml)', () => {
  it('has a strict CSP: nothing by default, the nonce for scripts, the host only for connections', () => {
    const csp = terminalCsp(base);
    assert.equal(
      csp,
      "default-src 'none'; script-src 'nonce-abcdefghijklmnopqrstuv=='; style-src https://*.vscode-cdn.net; " +
        'connect-src http://127.0.0.1:4123; img-src https://*.vscode-cdn.net data:; font-src https://*.vscode-cdn.net; ' +
        "base-uri 'none'; form-action 'none'",
    );
    const html = renderTerminalHtml(base);
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${csp.replace(/'/g, '&#39;')}">`));
    assert.ok(html.includes(`<script nonce="abcdefghijklmnopqrstuv==" src="${base.scriptUri}"></script>`));
    assert.ok(html.includes(`<link rel="stylesheet" href="${base.styleUri}">`));
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    assert.equal((html.match(/<script/g) ?? []).length, 2, 'the config block and the bundle, nothing inline');
  });

  it('lists several connect origins', () => {
    assert.match(
      terminalCsp({ ...base, connectSrc: ['http://127.0.0.1:1', 'http://localhost:1'] }),
      /connect-src http:\/\/127\.0\.0\.1:1 http:\/\/localhost:1;/,
    );
  });

  it('embeds the config so that no string can close the script element', () => {
    const evil: TerminalConfig = { ...config, title: '</script><script>alert(1)</script><!--', previewId: '\u2028&"\'' };
    const html = renderTerminalHtml({ ...base, config: evil });
    assert.equal((html.match(/<\/script>/g) ?? []).length, 2);
    assert.doesNotMatch(html, /<script>alert/);
    assert.deepEqual(embeddedConfig(html), evil, 'round-trips exactly');
    assert.equal(embedJson('<>&\u2028\u2029'), '"\\u003c\\u003e\\u0026\\u2028\\u2029"');
  });

  it('escapes the title and the URIs', () => {
    const html = renderTerminalHtml({ ...base, title: '<b>x</b> & "y"', scriptUri: '/a.js?x="><script>' });
    assert.ok(html.includes('<title>&lt;b&gt;x&lt;/b&gt; &amp; "y"</title>'));
    assert.ok(html.includes('src="/a.js?x=&quot;&gt;&lt;script&gt;"'));
  });

  it('refuses a nonce or a source that could change the policy, naming the value', () => {
    assert.throws(() => renderTerminalHtml({ ...base, nonce: "abc' 'unsafe-inline" }), /nonce must be .* got "abc' 'unsafe-inline"/);
    assert.throws(() => renderTerminalHtml({ ...base, nonce: 'short' }), /nonce/);
    assert.throws(
      () => renderTerminalHtml({ ...base, connectSrc: 'http://x; script-src *' }),
      /connectSrc must be one CSP source .* got "http:\/\/x; script-src \*"/,
    );
    assert.throws(() => renderTerminalHtml({ ...base, cspSource: '' }), /cspSource/);
    assert.throws(() => renderTerminalHtml({ ...base, connectSrc: [] }), /at least one origin/);
    assert.match(terminalCsp({ ...base, cspSource: "'self'", connectSrc: "'self'" }), /style-src 'self'; connect-src 'self'/);
  });

  it("takes web VS Code's cspSource of several sources, and checks each", () => {
    const csp = terminalCsp({ ...base, cspSource: "'self' https://*.vscode-cdn.net" });
    assert.match(csp, /style-src 'self' https:\/\/\*\.vscode-cdn\.net; /);
    assert.match(csp, /img-src 'self' https:\/\/\*\.vscode-cdn\.net data:/);
    assert.throws(() => terminalCsp({ ...base, cspSource: "'self' https://x;script-src" }), /cspSource must be one CSP source/);
  });

  it('createNonce gives 128 random bits in base64, different every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const n = createNonce();
      assert.match(n, /^[A-Za-z0-9+/]{22}==$/);
      seen.add(n);
    }
    assert.equal(seen.size, 1000);
    assert.doesNotThrow(() => renderTerminalHtml({ ...base, nonce: createNonce() }));
  });
});
