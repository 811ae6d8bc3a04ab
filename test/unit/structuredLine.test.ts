import assert from 'node:assert/strict';
import type { LogLevel } from '../../src/shared/protocol';
import { parseStructuredLine, structuredLevel } from '../../src/shared/structuredLine';

describe('structuredLine', () => {
  // [source, line, level, time, message, fields]
  const table: [string, string, LogLevel | undefined, string | undefined, string | undefined, [string, string][]][] = [
    [
      'pino',
      '{"level":50,"time":1764583200000,"pid":4242,"hostname":"box","reqId":"req-1","msg":"db down"}',
      'ERROR',
      '2025-12-01T10:00:00.000Z',
      'db down',
      [
        ['pid', '4242'],
        ['hostname', 'box'],
        ['reqId', 'req-1'],
      ],
    ],
    [
      'pino-http',
      '{"level":30,"time":1764583200000,"req":{"id":1,"method":"GET","url":"/x"},"res":{"statusCode":200},"responseTime":3,"msg":"request completed"}',
      'INFO',
      '2025-12-01T10:00:00.000Z',
      'request completed',
      [
        ['req', '{"id":1,"method":"GET","url":"/x"}'],
        ['res', '{"statusCode":200}'],
        ['responseTime', '3'],
      ],
    ],
    [
      'bunyan',
      '{"name":"app","hostname":"box","pid":7,"level":40,"msg":"slow query","time":"2026-12-01T10:00:00.000Z","v":0}',
      'WARN',
      '2026-12-01T10:00:00.000Z',
      'slow query',
      [
        ['name', 'app'],
        ['hostname', 'box'],
        ['pid', '7'],
        ['v', '0'],
      ],
    ],
    [
      'winston',
      '{"level":"error","message":"payment failed","timestamp":"2026-12-01T10:00:00.000Z","orderId":17}',
      'ERROR',
      '2026-12-01T10:00:00.000Z',
      'payment failed',
      [['orderId', '17']],
    ],
    ['winston http', '{"message":"GET /","level":"http"}', 'INFO', undefined, 'GET /', []],
    [
      'structlog',
      '{"user": "ann", "event": "login failed", "level": "warning", "timestamp": "2026-12-01T10:00:00Z"}',
      'WARN',
      '2026-12-01T10:00:00Z',
      'login failed',
      [['user', 'ann']],
    ],
    [
      'Go slog JSON',
      '{"time":"2026-12-01T10:00:00.1+01:00","level":"ERROR+2","msg":"boom","err":"EOF"}',
      'ERROR',
      '2026-12-01T10:00:00.1+01:00',
      'boom',
      [['err', 'EOF']],
    ],
    [
      'zap',
      '{"level":"debug","ts":1764583200.5,"caller":"main.go:12","msg":"tick"}',
      'DEBUG',
      '2025-12-01T10:00:00.500Z',
      'tick',
      [['caller', 'main.go:12']],
    ],
    ['GCP severity', '{"severity":"CRITICAL","message":"disk full"}', 'ERROR', undefined, 'disk full', []],
    [
      'slog text',
      'time=2026-12-01T10:00:00.000Z level=WARN msg="cache miss" key=user:7 took=1.2ms',
      'WARN',
      '2026-12-01T10:00:00.000Z',
      'cache miss',
      [
        ['key', 'user:7'],
        ['took', '1.2ms'],
      ],
    ],
    [
      'logrus text',
      'time="2026-12-01T10:00:00Z" level=error msg="db \\"main\\" down" attempt=3',
      'ERROR',
      '2026-12-01T10:00:00Z',
      'db "main" down',
      [['attempt', '3']],
    ],
    [
      'go-kit',
      'level=info ts=2026-12-01T10:00:00Z caller=main.go:9 msg=listening addr=:8080',
      'INFO',
      '2026-12-01T10:00:00Z',
      'listening',
      [
        ['caller', 'main.go:9'],
        ['addr', ':8080'],
      ],
    ],
  ];
  for (const [source, line, level, time, message, fields] of table) {
    it(`${source}: level, time, message first, the rest as fields`, () => {
      const parsed = parseStructuredLine(line);
      assert.ok(parsed, 'parsed');
      assert.equal(parsed.level, level);
      assert.equal(parsed.time, time);
      assert.equal(parsed.message, message);
      assert.deepEqual(parsed.fields, fields);
      assert.equal(structuredLevel(line), level, 'the cheap level read agrees');
    });
  }

  const notStructured = [
    '{"a":1}',
    '{not json}',
    '[1,2,3]',
    'port=3000 host=localhost',
    'level=info and then some prose',
    'INFO:     Uvicorn running on http://127.0.0.1:8000',
    'GET /x?level=error 200 3.1 ms - 12',
    '{',
    '',
  ];
  for (const line of notStructured) {
    it(`plain text stays plain: ${JSON.stringify(line)}`, () => {
      assert.equal(parseStructuredLine(line), undefined);
    });
  }

  it('reads an unknown or missing level as none, keeping the line structured', () => {
    assert.equal(parseStructuredLine('{"level":"loud","msg":"x"}')?.level, undefined);
    assert.equal(parseStructuredLine('{"level":"loud","msg":"x"}')?.levelText, 'loud');
    assert.equal(structuredLevel('{"msg":"Error: nope"}'), undefined);
  });
});
