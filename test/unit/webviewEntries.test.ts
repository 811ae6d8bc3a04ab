import assert from 'node:assert/strict';
import type { LogLevel, LogLine } from '../../src/shared/protocol';
import { LineStore } from '../../webview-ui/lineStore';
import { ViewIndex } from '../../webview-ui/viewIndex';

const line = (seq: number, text: string, level: LogLevel = 'INFO', entrySeq?: number): LogLine => ({
  seq,
  ts: '2026-01-01T00:00:00.000Z',
  level,
  stream: 'stderr',
  text,
  ...(entrySeq !== undefined ? { entrySeq } : {}),
});

/** A uvicorn failure as the host sends it: the logger head, then lines pointing at it. */
function traceback(first: number, exception = 'RuntimeError: boom'): LogLine[] {
  const texts = [
    'ERROR:    Exception in ASGI application',
    'Traceback (most recent call last):',
    '  File "/usr/lib/python3/dist-packages/uvicorn/protocols/http/h11_impl.py", line 366, in run_asgi',
    '    result = await app(self.scope, self.receive, self.send)',
    '  File "/srv/app/main.py", line 30, in boom',
    '    raise RuntimeError("boom")',
    '  File "/usr/lib/python3/dist-packages/anyio/_backends/_asyncio.py", line 867, in run',
    '    result = context.run(func, *args)',
    exception,
  ];
  return texts.map((t, i) => line(first + i, t, 'ERROR', i === 0 ? undefined : first));
}

const shownSeqs = (view: ViewIndex, store: LineStore) =>
  Array.from({ length: view.count }, (_, p) => {
    const e = store.at(view.rowAt(p))!;
    return e.kind === 'log' ? e.seq : `gap ${e.from}-${e.to}`;
  });

const keptSeqs = (store: LineStore) => {
  const out: (number | string)[] = [];
  for (let abs = store.start; abs < store.end; abs++) {
    const e = store.at(abs)!;
    out.push(e.kind === 'log' ? e.seq : `gap ${e.from}-${e.to}`);
  }
  return out;
};

describe('webview entries (lines grouped by entrySeq)', () => {
  it('counts an entry once, at its most severe level: two tracebacks are 2 errors, not 18', () => {
    const store = new LineStore(100);
    store.appendLine(line(1, 'INFO:     Application startup complete.'));
    for (const l of [...traceback(2), ...traceback(11)]) store.appendLine(l);
    assert.deepEqual({ ...store.levelCounts }, { ERROR: 2, WARN: 0, INFO: 1, DEBUG: 0 });
    // An INFO head whose continuation is an ERROR counts as one ERROR.
    store.appendLine(line(20, 'Process SpawnProcess-1:'));
    store.appendLine(line(21, 'ValueError: bad', 'ERROR', 20));
    assert.deepEqual({ ...store.levelCounts }, { ERROR: 3, WARN: 0, INFO: 1, DEBUG: 0 });
    // Frames under a warning (zap's stack, React's component stack) or a DEBUG head
    // (`console.trace()`) leave it a WARN / DEBUG; an exception line under a warning is an ERROR.
    store.appendLine(line(30, 'Warning: Each child in a list should have a unique "key" prop.', 'WARN'));
    store.appendLine(line(31, '    at App (/app/src/App.js:12:5)', 'ERROR', 30));
    store.appendLine(line(32, 'Trace: here', 'DEBUG'));
    store.appendLine(line(33, '    at main (/app/index.js:3:9)', 'ERROR', 32));
    assert.deepEqual({ ...store.levelCounts }, { ERROR: 3, WARN: 1, INFO: 1, DEBUG: 1 });
    store.appendLine(line(40, 'WARNING:root:DATABASE_URL not set', 'WARN'));
    store.appendLine(line(41, 'Traceback (most recent call last):', 'ERROR', 40));
    assert.deepEqual({ ...store.levelCounts }, { ERROR: 4, WARN: 1, INFO: 1, DEBUG: 1 });
  });

  it('shows a collapsed entry as its head, the user frame with its code, and the exception; expanded, all lines', () => {
    const store = new LineStore(100);
    for (const l of traceback(1)) store.appendLine(l);
    store.appendLine(line(10, 'INFO:     after'));
    const view = new ViewIndex(store);
    assert.deepEqual(shownSeqs(view, store), [1, 5, 6, 9, 10]);
    view.toggleEntry(view.rowAt(0));
    assert.deepEqual(shownSeqs(view, store), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    view.toggleEntry(view.rowAt(0));
    assert.deepEqual(shownSeqs(view, store), [1, 5, 6, 9, 10]);
  });

  it('shows a collapsed multiplexed traceback (`[web] …`) as its process wrote it, with its exception, not its trailing blank line', () => {
    const store = new LineStore(100);
    const texts = [
      '[web] Traceback (most recent call last):',
      '[web]   File "/usr/lib/python3/dist-packages/uvicorn/main.py", line 9, in run',
      '[web]   File "/srv/app/main.py", line 30, in boom',
      '[web]     raise RuntimeError("boom")',
      '[web] RuntimeError: boom',
      '[web] ',
    ];
    texts.forEach((t, i) => store.appendLine(line(i + 1, t, 'ERROR', i === 0 ? undefined : 1)));
    store.appendLine(line(10, '[api] GET / 200'));
    const view = new ViewIndex(store);
    assert.deepEqual(shownSeqs(view, store), [1, 3, 4, 5, 10]);
  });

  it("shows a collapsed consola error (Nuxt) with its user frame and its last line of text, not its dump's closing brace", () => {
    const store = new LineStore(100);
    const nuxt = [
      ' ERROR  [request error] [unhandled] [GET] http://localhost:3000/api/boom',
      '',
      'ℹ Error: boom: user 42 not found',
      ' ⁃ at loadUser (server/api/boom.ts:2:8)',
      ' ⁃ at async Object.callAsync (node_modules/unctx/dist/index.mjs:72:16)',
      '[CAUSE]',
      'Error {',
      "  message: 'boom: user 42 not found',",
      '}',
      '',
    ];
    nuxt.forEach((t, i) => store.appendLine(line(i + 1, t, i === 0 ? 'ERROR' : 'INFO', i === 0 ? undefined : 1)));
    const view = new ViewIndex(store);
    assert.deepEqual(shownSeqs(view, store), [1, 4, 8]);
  });

  it("shows a collapsed entry's message when its head ends with a colon (Vite), skipping rules; not a Python traceback's first frame", () => {
    const store = new LineStore(100);
    const vite = [
      '1:57:34 PM [vite] Internal server error: Transform failed with 1 error:',
      '',
      "[PARSE_ERROR] Expected corresponding JSX closing tag for 'h1'.",
      '    ╭─[ src/App.tsx:19:28 ]',
      ' 19 │           <h1>Get started</h2>',
      '────╯',
      '  Plugin: vite:oxc',
      '      at transformWithOxc (file:///app/node_modules/vite/dist/node/chunks/node.js:7249:19)',
    ];
    vite.forEach((t, i) => store.appendLine(line(i + 1, t, i === 0 ? 'ERROR' : 'INFO', i === 0 ? undefined : 1)));
    store.appendLine(line(20, 'Exception in thread django-main-thread:', 'ERROR'));
    store.appendLine(line(21, 'Traceback (most recent call last):', 'ERROR', 20));
    store.appendLine(line(22, '  File "/srv/app/views.py", line 3, in <module>', 'ERROR', 20));
    store.appendLine(line(23, 'ValueError: bad', 'ERROR', 20));
    const view = new ViewIndex(store);
    assert.deepEqual(shownSeqs(view, store), [1, 3, 8, 20, 22, 23]);
  });

  it('filters an entry as one, by its level', () => {
    const store = new LineStore(100);
    for (const l of traceback(1)) store.appendLine(l);
    store.appendLine(line(10, 'INFO:     after'));
    const view = new ViewIndex(store, ['INFO']);
    assert.deepEqual(shownSeqs(view, store), [10]);
    view.setLevels(['ERROR']);
    assert.deepEqual(shownSeqs(view, store), [1, 5, 6, 9]);
  });

  it('a search that matches a hidden line shows the whole entry, and counts that match', () => {
    const store = new LineStore(100);
    for (const l of [...traceback(1), ...traceback(10)]) store.appendLine(l);
    const view = new ViewIndex(store);
    view.setQuery('h11_impl');
    assert.equal(view.matchCount, 2);
    assert.deepEqual(shownSeqs(view, store), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    assert.equal(store.at(view.currentMatchAbs)!.kind === 'log' && (store.at(view.currentMatchAbs) as { seq: number }).seq, 3);
    view.setQuery('');
    assert.deepEqual(shownSeqs(view, store), [1, 5, 6, 9, 10, 14, 15, 18]);
  });

  it('moves from one search to another: only the entries with a match in hidden lines show whole', () => {
    const store = new LineStore(100);
    for (const l of [...traceback(1, 'KeyError: a'), ...traceback(10, 'ValueError: b')]) store.appendLine(l);
    store.appendLine(line(19, 'plain'));
    const view = new ViewIndex(store);
    const collapsed = [1, 5, 6, 9, 10, 14, 15, 18, 19];
    view.setQuery('plain');
    assert.deepEqual(shownSeqs(view, store), collapsed, 'no entry has a match: rows unchanged');
    view.setQuery('h11_impl');
    assert.equal(shownSeqs(view, store).length, 19);
    view.setQuery('valueerror');
    assert.deepEqual(shownSeqs(view, store), [1, 5, 6, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19], 'only the entry with the match');
    assert.equal(view.matchCount, 1);
    view.setQuery('');
    assert.deepEqual(shownSeqs(view, store), collapsed);
    view.setLevels(['INFO']);
    view.setQuery('h11_impl');
    assert.deepEqual(shownSeqs(view, store), [19], 'the level filter still hides the entries');
  });

  it('keeps a growing entry right while its lines arrive a few at a time', () => {
    const store = new LineStore(100);
    const view = new ViewIndex(store);
    const lines = traceback(1);
    const seen: (number | string)[][] = [];
    for (const [a, b] of [
      [0, 2],
      [2, 5],
      [5, 6],
      [6, 9],
    ]) {
      for (const l of lines.slice(a, b)) store.appendLine(l);
      view.sync();
      seen.push(shownSeqs(view, store));
    }
    assert.deepEqual(seen, [
      [1, 2],
      [1, 5],
      [1, 5, 6],
      [1, 5, 6, 9],
    ]);
    store.appendLine(line(10, 'next'));
    view.sync();
    assert.deepEqual(shownSeqs(view, store), [1, 5, 6, 9, 10]);
  });

  it('two single errors in a row stay two entries', () => {
    const store = new LineStore(10);
    store.appendLine(line(1, 'ERROR: first', 'ERROR'));
    store.appendLine(line(2, 'ERROR: second', 'ERROR'));
    assert.equal(store.levelCounts.ERROR, 2);
    assert.deepEqual(shownSeqs(new ViewIndex(store), store), [1, 2]);
  });
});

describe('webview LineStore scroll back (lines put in front)', () => {
  const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(from + i, `line ${from + i}`));

  it('puts older lines in front without a seam, ignoring ones already kept', () => {
    const store = new LineStore(100);
    for (const l of numbered(51, 60)) store.appendLine(l);
    assert.equal(store.prependLines(numbered(41, 55)), 10);
    assert.deepEqual(
      keptSeqs(store),
      Array.from({ length: 20 }, (_, i) => 41 + i),
    );
    assert.equal(store.firstSeq, 41);
    assert.equal(store.detached, false);
  });

  it('marks a hole between the page and the kept lines with a gap row', () => {
    const store = new LineStore(100);
    for (const l of numbered(51, 52)) store.appendLine(l);
    store.prependLines(numbered(45, 47));
    assert.deepEqual(keptSeqs(store), [45, 46, 47, 'gap 48-50', 51, 52]);
  });

  it('when full, lets the newest go, detaches from the live tail and pages forward again', () => {
    const store = new LineStore(10);
    for (const l of numbered(1, 30)) store.appendLine(l);
    assert.deepEqual(
      keptSeqs(store),
      numbered(21, 30).map((l) => l.seq),
    );
    store.prependLines(numbered(16, 20));
    assert.deepEqual(
      keptSeqs(store),
      numbered(16, 25).map((l) => l.seq),
    );
    assert.equal(store.detached, true);
    assert.equal(store.appendLine(line(31, 'live')), true, 'a live line is seen…');
    assert.equal(store.keptLastSeq, 25, '…but not kept while detached');
    assert.equal(store.appendNewer(numbered(24, 28)), 3);
    assert.deepEqual(
      keptSeqs(store),
      numbered(19, 28).map((l) => l.seq),
    );
    assert.equal(store.attach(), 28, 'the stream resumes after the newest kept line');
    assert.equal(store.appendLine(line(29, 'line 29')), true);
    assert.equal(store.detached, false);
    assert.equal(store.keptLastSeq, 29);
  });

  it('joins an entry cut by the window edge once its head comes back', () => {
    const store = new LineStore(100);
    const tb = traceback(1);
    for (const l of tb.slice(4)) store.appendLine(l);
    assert.equal(store.levelCounts.ERROR, 5, 'orphan lines count alone until their head is back');
    store.prependLines(tb.slice(0, 4));
    assert.equal(store.levelCounts.ERROR, 1);
    assert.deepEqual(shownSeqs(new ViewIndex(store), store), [1, 5, 6, 9]);
  });

  it('keeps the innermost user frame of a Node stack that came in front from history (indexes below 0)', () => {
    const store = new LineStore(100);
    store.appendLine(line(10, 'after'));
    store.prependLines([
      line(1, 'TypeError: x is not a function', 'ERROR'),
      line(2, '    at handler (/srv/app/routes.js:12:5)', 'ERROR', 1),
      line(3, '    at main (/srv/app/index.js:3:1)', 'ERROR', 1),
      line(4, '    at Module._compile (node:internal/modules/cjs/loader:1376:14)', 'ERROR', 1),
    ]);
    assert.deepEqual(shownSeqs(new ViewIndex(store), store), [1, 2, 4, 'gap 5-9', 10]);
  });

  it('does not scroll back past a clear', () => {
    const store = new LineStore(100);
    for (const l of numbered(1, 10)) store.appendLine(l);
    store.clear();
    store.appendLine(line(11, 'after clear'));
    assert.equal(store.prependLines(numbered(1, 10)), 0);
    assert.deepEqual(keptSeqs(store), [11]);
  });

  it('a past run starts detached at its newest line and fills from history pages', () => {
    const store = new LineStore(10);
    store.openPast(40);
    store.prependLines(numbered(36, 40));
    store.prependLines(numbered(26, 35));
    assert.deepEqual(
      keptSeqs(store),
      numbered(26, 35).map((l) => l.seq),
    );
    assert.equal(store.appendNewer(numbered(36, 38)), 3);
    assert.deepEqual(
      keptSeqs(store),
      numbered(29, 38).map((l) => l.seq),
    );
  });
});
