import assert from 'node:assert/strict';
import {
  ClearMessage,
  ConfigMessage,
  CopyMessage,
  effectiveMaxLines,
  FindMessage,
  isTerminalConfig,
  OpenExternalMessage,
  OpenLocationMessage,
  PreviewMessage,
  ReadyMessage,
} from '../../src/shared/webviewProtocol';

describe('webview messages', () => {
  it('create() builds what is() accepts, for every message', () => {
    const config = { streamUrl: '/s', token: 't', previewId: '1', mode: 'browser' as const };
    const preview = {
      id: '1',
      name: 'app',
      command: ['node', 'server.js'],
      displayCommand: 'node server.js',
      cwd: '/w',
      pid: 1,
      port: 3000,
      appUrl: 'http://127.0.0.1:3000/',
      state: 'ready' as const,
      exitCode: null,
      signal: null,
      reason: null,
      startedAt: '2026-01-01T00:00:00Z',
      lastSeq: 0,
    };
    const cases = [
      [ReadyMessage, ReadyMessage.create({})],
      [OpenLocationMessage, OpenLocationMessage.create({ file: 'a.py', line: 3, column: 2 })],
      [OpenExternalMessage, OpenExternalMessage.create({ url: 'https://x.test/' })],
      [CopyMessage, CopyMessage.create({ text: 'a\nb', lineCount: 2 })],
      [ConfigMessage, ConfigMessage.create({ config })],
      [ClearMessage, ClearMessage.create({})],
      [PreviewMessage, PreviewMessage.create({ preview })],
      [FindMessage, FindMessage.create({})],
    ] as const;
    for (const [type, message] of cases) {
      assert.equal(type.is(message), true, type.method);
      assert.equal(type.is(JSON.parse(JSON.stringify(message))), true, `${type.method} survives postMessage`);
      for (const [other] of cases) if (other !== type) assert.equal(other.is(message), false, `${other.method} ≠ ${type.method}`);
    }
  });

  it('rejects malformed params', () => {
    const bad: [{ is(m: unknown): boolean }, unknown][] = [
      [OpenLocationMessage, { method: 'openLocation', params: { file: '', line: 1 } }],
      [OpenLocationMessage, { method: 'openLocation', params: { file: 'a', line: 0 } }],
      [OpenLocationMessage, { method: 'openLocation', params: { file: 'a', line: 1.5 } }],
      [OpenLocationMessage, { method: 'openLocation', params: { file: 'a', line: 1, column: -1 } }],
      [OpenExternalMessage, { method: 'openExternal', params: { url: 'javascript:alert(1)' } }],
      [OpenExternalMessage, { method: 'openExternal', params: { url: 'file:///etc/passwd' } }],
      [CopyMessage, { method: 'copy', params: { text: 1, lineCount: 1 } }],
      [ConfigMessage, { method: 'config', params: { config: { streamUrl: '/s' } } }],
      [ReadyMessage, { method: 'ready' }],
      [ReadyMessage, 'ready'],
      [ReadyMessage, null],
    ];
    for (const [type, message] of bad) assert.equal(type.is(message), false, JSON.stringify(message));
  });

  it('validates the page config and clamps maxLines', () => {
    assert.equal(isTerminalConfig({ streamUrl: '/s', token: '', previewId: '1', mode: 'vscode', maxLines: 5000, levels: ['ERROR'] }), true);
    assert.equal(isTerminalConfig({ streamUrl: '/s', token: '', previewId: '1', mode: 'tab' }), false);
    assert.equal(isTerminalConfig({ streamUrl: '/s', token: '', previewId: '1', mode: 'vscode', levels: ['FATAL'] }), false);
    assert.equal(isTerminalConfig({ streamUrl: '/s', token: '', previewId: '1', mode: 'vscode', transport: 'ws' }), false);
    assert.equal(effectiveMaxLines({}), 100_000);
    assert.equal(effectiveMaxLines({ maxLines: 10 }), 1_000);
    assert.equal(effectiveMaxLines({ maxLines: 1e9 }), 500_000);
    assert.equal(effectiveMaxLines({ maxLines: 12_345.6 }), 12_345);
  });
});
