import assert from 'node:assert/strict';
import type { LogLevel } from '../../src/shared/protocol';
import { LineStore } from '../../webview-ui/lineStore';
import { decorate, startsWithLevelWord } from '../../webview-ui/rowDecor';

const store = new LineStore(10);
const add = (seq: number, text: string, level: LogLevel = 'INFO', entrySeq?: number) => {
  store.appendLine({ seq, ts: '', level, stream: 'stdout', text, ...(entrySeq !== undefined && { entrySeq }) });
  const abs = store.end - 1;
  const e = store.at(abs);
  assert.ok(e?.kind === 'log');
  return decorate(store, abs, e, () => false);
};

describe('webview row marks (level word, dot, none)', () => {
  it('a line that starts with its level word gets a dot, not the word again', () => {
    const table: [string, boolean][] = [
      ['INFO:     Application startup complete.', true],
      ['WARNING:root:disk almost full', true],
      ['[ERROR] boom', true],
      ['  DEBUG    = connection is CONNECTING', true],
      ['Information about the cache', false],
      ['GET /errors 200', false],
      ['E 12:00 boom', false],
    ];
    for (const [text, starts] of table) assert.equal(startsWithLevelWord(text), starts, text);
  });

  it('a blank line carries no mark; an entry has one mark, on its head', () => {
    assert.equal(add(1, '   ').mark, 'none');
    assert.equal(add(2, 'INFO: ready').mark, 'dot');
    assert.equal(add(3, 'server listening').mark, 'word');
    const head = add(4, 'Traceback (most recent call last):', 'ERROR');
    assert.equal(head.role, 'single', 'alone until a line continues it');
    const frame = add(5, '  File "/usr/lib/python3/site-packages/x.py", line 1, in f', 'ERROR', 4);
    const user = add(6, '  File "/srv/app/main.py", line 9, in read', 'ERROR', 4);
    const exc = add(7, 'KeyError: 7', 'ERROR', 4);
    assert.deepEqual([frame.role, frame.mark, frame.library], ['line', 'none', true]);
    assert.deepEqual([user.library, user.userFrame], [false, true]);
    assert.deepEqual([exc.role, exc.level, exc.mark], ['line', 'ERROR', 'none']);
    const headNow = decorate(store, store.end - 4, store.at(store.end - 4) as never, () => false);
    assert.deepEqual([headNow.role, headNow.mark, headNow.collapsed, headNow.hidden], ['head', 'word', true, 1]);
  });
});
