import assert from 'node:assert/strict';
import type { RequestRecord } from '../../src/shared/protocol';
import { formatMs, percentile, RequestTable, type RequestColumn, type StatusClass } from '../../webview-ui/requestTable';

const rec = (seq: number, method: string, path: string, status: number, durationMs?: number): RequestRecord => ({
  seq,
  ts: `2026-01-01T00:00:${String(seq).padStart(2, '0')}Z`,
  method,
  path,
  status,
  ...(durationMs === undefined ? {} : { durationMs }),
});

const SAMPLE = [
  rec(3, 'GET', '/items/7', 200, 12.5),
  rec(5, 'POST', '/login', 302, 40),
  rec(8, 'GET', '/missing', 404, 1.2),
  rec(9, 'DELETE', '/items/7', 500, 250),
  rec(12, 'GET', '/', 200),
  rec(15, 'PUT', '/items/8', 201, 40),
];

function seqs(table: RequestTable, column: RequestColumn, direction: 'asc' | 'desc', classes: StatusClass[] = []): number[] {
  return [...table.order({ column, direction }, new Set(classes))].map((i) => table.at(i)!.seq);
}

describe('webview RequestTable (Requests view data)', () => {
  it('sorts by each column both ways; equal keys keep seq order, missing durations go last both ways', () => {
    const table = new RequestTable();
    table.add(SAMPLE);
    assert.deepEqual(seqs(table, 'time', 'asc'), [3, 5, 8, 9, 12, 15]);
    assert.deepEqual(seqs(table, 'time', 'desc'), [15, 12, 9, 8, 5, 3]);
    assert.deepEqual(seqs(table, 'method', 'asc'), [9, 3, 8, 12, 5, 15]);
    assert.deepEqual(seqs(table, 'path', 'asc'), [12, 3, 9, 15, 5, 8]);
    assert.deepEqual(seqs(table, 'path', 'desc'), [8, 5, 15, 9, 3, 12]);
    assert.deepEqual(seqs(table, 'status', 'asc'), [3, 12, 15, 5, 8, 9]);
    assert.deepEqual(seqs(table, 'status', 'desc'), [9, 8, 5, 15, 12, 3]);
    assert.deepEqual(seqs(table, 'duration', 'asc'), [8, 3, 5, 15, 9, 12]);
    assert.deepEqual(seqs(table, 'duration', 'desc'), [9, 15, 5, 3, 8, 12]);
  });

  it('filters by status classes, none chosen meaning all', () => {
    const table = new RequestTable();
    table.add(SAMPLE);
    assert.deepEqual(seqs(table, 'time', 'asc', [2]), [3, 12, 15]);
    assert.deepEqual(seqs(table, 'time', 'asc', [4, 5]), [8, 9]);
    assert.deepEqual(seqs(table, 'status', 'desc', [3, 5]), [9, 5]);
    assert.deepEqual(seqs(table, 'time', 'asc', []).length, 6);
  });

  it('summarises count, 4xx, 5xx and nearest-rank p50/p95 of the records with a duration', () => {
    const table = new RequestTable();
    table.add(SAMPLE);
    assert.deepEqual(table.summary(), { count: 6, client4xx: 1, server5xx: 1, p50Ms: 40, p95Ms: 250 });
    table.clear();
    table.add([rec(1, 'GET', '/', 200)]);
    assert.deepEqual(table.summary(), { count: 1, client4xx: 0, server5xx: 0 }, 'no duration in the format: no percentiles');
    const many = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(many, 50), 50);
    assert.equal(percentile(many, 95), 95);
    assert.equal(percentile([7], 95), 7);
  });

  it('keeps each seq once across overlapping pages and skips malformed records', () => {
    const table = new RequestTable();
    assert.equal(table.add(SAMPLE.slice(0, 3)), 3);
    assert.equal(table.add([...SAMPLE].reverse()), 3, 'a host that ignores after= sends everything again');
    assert.equal(table.add([{ seq: 20, method: 'GET' }, null, 'x', { ...rec(21, 'GET', '/', 200), durationMs: 'slow' }]), 0);
    assert.equal(table.add([{ ...rec(22, 'GET', '/n', 204), durationMs: null }]), 1, 'a null duration is no duration');
    assert.equal(table.size, 7);
    assert.equal(table.lastSeq, 22);
    assert.deepEqual(seqs(table, 'duration', 'asc').slice(-2), [12, 22]);
  });

  it('orders 100 000 records by every column, each seq once', () => {
    const table = new RequestTable();
    const methods = ['GET', 'POST', 'PUT', 'DELETE'];
    table.add(
      Array.from({ length: 100_000 }, (_, i) =>
        rec(i + 1, methods[i % 4]!, `/items/${(i * 7919) % 5000}`, [200, 301, 404, 503][(i * 31) % 4]!, (i * 37) % 2000),
      ),
    );
    for (const column of ['time', 'method', 'path', 'status', 'duration'] as const) {
      const order = table.order({ column, direction: 'asc' }, new Set());
      assert.equal(new Set(order).size, 100_000, column);
      for (let j = 1; j < order.length; j++) {
        const a = table.at(order[j - 1]!)!;
        const b = table.at(order[j]!)!;
        const ka = column === 'time' ? a.seq : column === 'duration' ? a.durationMs! : a[column];
        const kb = column === 'time' ? b.seq : column === 'duration' ? b.durationMs! : b[column];
        assert.ok(ka < kb || (ka === kb && a.seq < b.seq), `${column} at ${j}`);
      }
    }
  });

  it('orders by path and method across pages as one sort of everything would, after a clear too', () => {
    const table = new RequestTable();
    const all: RequestRecord[] = [];
    const paths = ['/b', '/a/2', '/é', '/a', '/a/10', '/😀', '/Z', '/a/1', '', '/b/x'];
    let seq = 0;
    for (let page = 0; page < 7; page++) {
      const records = Array.from({ length: 40 }, (_, i) =>
        rec(
          ++seq,
          ['GET', 'post', 'PUT'][(i + page) % 3]!,
          `${paths[(i * 7 + page * 3) % paths.length]}${page % 2 ? `/${i % 4}` : ''}`,
          200,
        ),
      );
      all.push(...records);
      table.add(records);
      for (const column of ['path', 'method'] as const) {
        const expected = [...all]
          .sort((a, b) => (a[column] < b[column] ? -1 : a[column] > b[column] ? 1 : a.seq - b.seq))
          .map((r) => r.seq);
        assert.deepEqual(seqs(table, column, 'asc'), expected, `${column} after page ${page + 1}`);
      }
    }
    table.clear();
    table.add([rec(1, 'GET', '/z', 200), rec(2, 'GET', '/y', 200)]);
    assert.deepEqual(seqs(table, 'path', 'asc'), [2, 1], 'nothing of the records before the clear');
  });

  it('formats durations', () => {
    assert.deepEqual([0.42, 9.94, 12.4, 999, 1234, 25_000].map(formatMs), ['0.4 ms', '9.9 ms', '12 ms', '999 ms', '1.23 s', '25 s']);
  });
});
