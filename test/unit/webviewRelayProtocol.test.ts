import assert from 'node:assert/strict';
import {
  isTerminalConfig,
  StreamAckMessage,
  StreamCloseMessage,
  StreamDataMessage,
  StreamEndMessage,
  StreamOpenedMessage,
  StreamOpenMessage,
  VisibilityMessage,
} from '../../src/shared/webviewProtocol';

describe('webview messages of the stream relay and visibility', () => {
  it('create() builds what is() accepts, and no other message is taken for one', () => {
    const cases = [
      [StreamOpenMessage, StreamOpenMessage.create({ id: 1, previewId: 'p', after: 0 })],
      [StreamCloseMessage, StreamCloseMessage.create({ id: 2 })],
      [StreamAckMessage, StreamAckMessage.create({ id: 3, chunks: 4 })],
      [StreamOpenedMessage, StreamOpenedMessage.create({ id: 5, status: 200, contentType: 'text/event-stream' })],
      [StreamDataMessage, StreamDataMessage.create({ id: 6, text: 'id: 1\n' })],
      [StreamEndMessage, StreamEndMessage.create({ id: 7 })],
      [StreamEndMessage, StreamEndMessage.create({ id: 8, error: 'ECONNRESET' })],
      [VisibilityMessage, VisibilityMessage.create({ visible: false })],
    ] as const;
    for (const [type, message] of cases) {
      assert.ok(type.is(JSON.parse(JSON.stringify(message))), message.method);
      for (const [other] of cases) if (other !== type) assert.ok(!other.is(message), `${other.method} took ${message.method}`);
    }
  });

  it('rejects malformed params', () => {
    const bad = [
      { method: 'streamOpen', params: { id: 0, previewId: 'p', after: 0 } },
      { method: 'streamOpen', params: { id: 1.5, previewId: 'p', after: 0 } },
      { method: 'streamOpen', params: { id: 1, previewId: 'p', after: -1 } },
      { method: 'streamOpen', params: { id: 1, after: 0 } },
      { method: 'streamAck', params: { id: 1, chunks: 0 } },
      { method: 'streamData', params: { id: 1, text: 5 } },
      { method: 'streamEnd', params: { id: 1, error: 5 } },
      { method: 'streamOpened', params: { id: 1, status: '200', contentType: '' } },
      { method: 'visibility', params: { visible: 'yes' } },
    ];
    const types = [StreamOpenMessage, StreamAckMessage, StreamDataMessage, StreamEndMessage, StreamOpenedMessage, VisibilityMessage];
    for (const m of bad) assert.ok(!types.some((t) => t.is(m)), JSON.stringify(m));
  });

  it("accepts the 'relay' transport in a config, and nothing unknown", () => {
    const config = { streamUrl: '/s', token: 't', previewId: '1', mode: 'vscode' };
    assert.ok(isTerminalConfig({ ...config, transport: 'relay' }));
    assert.ok(!isTerminalConfig({ ...config, transport: 'websocket' }));
  });
});
