import assert from 'node:assert/strict';
import { SseParser, type SseEvent } from '../../webview-ui/sseParser';

function parse(chunks: string[]): { events: SseEvent[]; parser: SseParser } {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  for (const c of chunks) {
    parser.push(c);
    for (let e = parser.next(); e; e = parser.next()) events.push(e);
  }
  return { events, parser };
}

const STREAM =
  'retry: 500\n\nevent: log\nid: 1\ndata: {"seq":1}\n\n: keep-alive\n\nevent: status\ndata: {"state":"ready"}\n\nevent: log\nid: 2\ndata: {"seq":2}\n\n';
const EXPECTED: SseEvent[] = [
  { type: 'log', data: '{"seq":1}', lastEventId: '1' },
  { type: 'status', data: '{"state":"ready"}', lastEventId: '1' },
  { type: 'log', data: '{"seq":2}', lastEventId: '2' },
];

describe('webview SSE parser', () => {
  it('parses the host stream: retry, events, ids, comments', () => {
    const { events, parser } = parse([STREAM]);
    assert.deepEqual(events, EXPECTED);
    assert.equal(parser.retry, 500);
    assert.equal(parser.lastEventId, '2');
  });

  it('gives the same events however the text is cut', () => {
    for (let i = 1; i < STREAM.length; i++) {
      assert.deepEqual(parse([STREAM.slice(0, i), STREAM.slice(i)]).events, EXPECTED, `cut at ${i}`);
    }
    assert.deepEqual(parse([...STREAM]).events, EXPECTED, 'one character per chunk');
  });

  const table: { name: string; chunks: string[]; events: Omit<SseEvent, 'lastEventId'>[] }[] = [
    { name: 'CRLF line ends', chunks: ['event: log\r\ndata: a\r\n\r\n'], events: [{ type: 'log', data: 'a' }] },
    {
      name: 'bare CR line ends',
      chunks: ['data: a\r\rdata: b\r\r', ': more\n'],
      events: [
        { type: 'message', data: 'a' },
        { type: 'message', data: 'b' },
      ],
    },
    { name: 'CRLF split between chunks', chunks: ['data: a\r', '\n\r', '\n'], events: [{ type: 'message', data: 'a' }] },
    { name: 'multi-line data joins with \\n', chunks: ['data: a\ndata:b\ndata:  c\n\n'], events: [{ type: 'message', data: 'a\nb\n c' }] },
    { name: 'no data: no event, and the type resets', chunks: ['event: log\n\ndata: x\n\n'], events: [{ type: 'message', data: 'x' }] },
    { name: 'empty data field still makes an event', chunks: ['data\n\n'], events: [{ type: 'message', data: '' }] },
    { name: 'unknown fields are ignored', chunks: ['foo: bar\ndata: x\n\n'], events: [{ type: 'message', data: 'x' }] },
    { name: 'an unfinished event waits', chunks: ['data: x\n'], events: [] },
    { name: 'a 1 MB data line', chunks: [`data: ${'y'.repeat(1 << 20)}\n\n`], events: [{ type: 'message', data: 'y'.repeat(1 << 20) }] },
  ];
  for (const c of table) {
    it(c.name, () =>
      assert.deepEqual(
        parse(c.chunks).events.map(({ type, data }) => ({ type, data })),
        c.events,
      ),
    );
  }

  it('ignores an id with NUL and a non-numeric retry', () => {
    const { parser } = parse(['id: 7\ndata: a\n\nid: 8\0\nretry: 1s\ndata: b\n\n']);
    assert.equal(parser.lastEventId, '7');
    assert.equal(parser.retry, undefined);
  });

  it('resetConnection drops a half-received event but keeps the last id', () => {
    const parser = new SseParser();
    parser.push('id: 5\ndata: a\n\ndata: half');
    assert.equal(parser.next()?.data, 'a');
    assert.equal(parser.next(), undefined);
    parser.resetConnection();
    parser.push('data: b\n\n');
    assert.deepEqual(parser.next(), { type: 'message', data: 'b', lastEventId: '5' });
  });

  it('parses 100 000 events in linear time', () => {
    const one = 'event: log\nid: 1\ndata: {"seq":1,"text":"INFO: GET /api/items 200"}\n\n';
    const big = one.repeat(100_000);
    const t = performance.now();
    const { events } = parse([big.slice(0, big.length / 2), big.slice(big.length / 2)]);
    const ms = performance.now() - t;
    assert.equal(events.length, 100_000);
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
  });
});
