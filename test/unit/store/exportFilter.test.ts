import * as assert from 'node:assert/strict';
import { openHistoryStore, type HistoryStore } from '../../../src/store';
import type { ExportFilter } from '../../../src/shared/historyApi';
import type { LogLine } from '../../../src/shared/protocol';
import { formatLine } from '../../../src/store/exportFormat';
import { makeLines, removeTmpDirs, runStart, storeWorkerPath, tmpDir } from './helpers';

// 5 000 lines: several chunks written as rows, and the newest still in the open chunk in memory.
const COUNT = 5000;
const lines: LogLine[] = makeLines(1, COUNT).map((line) => (line.seq % 10 === 3 ? { ...line, entrySeq: line.seq - 1 } : line));

/** What a filter should select, worked out line by line (q as SQL LIKE: ASCII case ignored). */
function expected(filter: ExportFilter): LogLine[] {
  const lower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return lines.filter(
    (line) =>
      (!filter.levels?.length || filter.levels.includes(line.level)) &&
      (!filter.q || lower(line.text).includes(lower(filter.q))) &&
      line.seq >= (filter.from ?? 0) &&
      line.seq <= (filter.to ?? Infinity),
  );
}

const FILTERS: [string, ExportFilter][] = [
  ['no filter', {}],
  ['one level', { levels: ['ERROR'] }],
  ['two levels', { levels: ['WARN', 'DEBUG'] }],
  ['a search (case ignored)', { q: 'ITEMS/42' }],
  ['a search with LIKE wildcards taken literally', { q: '%' }],
  ['a search that matches nothing', { q: 'no such text' }],
  ['a seq range', { from: 1000, to: 1099 }],
  ['one line', { from: 4321, to: 4321 }],
  ['a range reaching into the open chunk', { from: 4900 }],
  ['everything at once', { levels: ['INFO', 'WARN'], q: 'in 1', from: 200, to: 3900 }],
  ['an empty level list (no filter)', { levels: [], to: 10 }],
];

describe('history store: filtered export', function () {
  this.timeout(60_000);
  after(removeTmpDirs);
  let store: HistoryStore;
  let id: number;
  before(async () => {
    store = await openHistoryStore({ dir: await tmpDir(), workerPath: await storeWorkerPath() });
    id = await store.beginRun(runStart('web'));
    store.append(id, lines.slice(0, 3000));
    await store.flush(); // a whole write: these are rows now
    store.append(id, lines.slice(3000));
  });
  after(() => store.dispose());

  for (const [name, filter] of FILTERS) {
    it(`exports exactly the lines the filter selects, as text and as JSON lines: ${name}`, async () => {
      const want = expected(filter);
      const text = await store.exportRun(id, 'text', filter);
      assert.equal(text, want.map((line) => formatLine(line, 'text')).join(''));
      const jsonl = await store.exportRun(id, 'jsonl', filter);
      const got =
        jsonl === ''
          ? []
          : jsonl
              .trimEnd()
              .split('\n')
              .map((row) => JSON.parse(row) as LogLine);
      assert.deepEqual(got, want);
      if (name === 'a search that matches nothing') assert.equal(text, '');
    });
  }

  it('rejects a malformed filter naming the value', async () => {
    await assert.rejects(store.exportRun(id, 'text', { from: 10, to: 5 }), /'from' \(10\) is after 'to' \(5\)/);
    await assert.rejects(store.exportRun(id, 'text', { from: -1 }), /'from' must be an integer >= 0, got -1/);
    await assert.rejects(store.exportRun(id, 'jsonl', { levels: ['LOUD' as never] }), /unknown level "LOUD"/);
  });
});
