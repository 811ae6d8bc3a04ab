import assert from 'node:assert/strict';
import { findLinks, trimUrl, type Link } from '../../webview-ui/links';

const links = (text: string): [string, Link][] => findLinks(text).map((r) => [text.slice(r.start, r.end), r.link]);

describe('webview link detection', () => {
  const table: { text: string; expected: [string, Link][] }[] = [
    {
      text: 'Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)',
      expected: [['http://127.0.0.1:8000', { kind: 'url', url: 'http://127.0.0.1:8000' }]],
    },
    {
      text: 'see https://vitejs.dev/guide/.',
      expected: [['https://vitejs.dev/guide/', { kind: 'url', url: 'https://vitejs.dev/guide/' }]],
    },
    {
      text: '(docs: https://en.wikipedia.org/wiki/Foo_(bar))',
      expected: [['https://en.wikipedia.org/wiki/Foo_(bar)', { kind: 'url', url: 'https://en.wikipedia.org/wiki/Foo_(bar)' }]],
    },
    { text: 'url "http://x.test/a?b=1&c=2", ok', expected: [['http://x.test/a?b=1&c=2', { kind: 'url', url: 'http://x.test/a?b=1&c=2' }]] },
    { text: 'HTTP://EXAMPLE.COM/x', expected: [['HTTP://EXAMPLE.COM/x', { kind: 'url', url: 'HTTP://EXAMPLE.COM/x' }]] },
    { text: 'javascript:alert(1) and ftp://x.y/z are not links', expected: [] },
    {
      text: '  File "/srv/app/main.py", line 42, in read_item',
      expected: [['File "/srv/app/main.py", line 42', { kind: 'location', file: '/srv/app/main.py', line: 42 }]],
    },
    { text: '  File "<frozen importlib._bootstrap>", line 1', expected: [] },
    {
      text: '    at renderList (/srv/web/src/list.ts:17:23)',
      expected: [['/srv/web/src/list.ts:17:23', { kind: 'location', file: '/srv/web/src/list.ts', line: 17, column: 23 }]],
    },
    { text: 'src/app.tsx:3 error TS2322', expected: [['src/app.tsx:3', { kind: 'location', file: 'src/app.tsx', line: 3 }]] },
    { text: './server.js:10:5', expected: [['./server.js:10:5', { kind: 'location', file: './server.js', line: 10, column: 5 }]] },
    {
      text: 'at file:///srv/u/app/x.mjs:3:9',
      expected: [['file:///srv/u/app/x.mjs:3:9', { kind: 'location', file: '/srv/u/app/x.mjs', line: 3, column: 9 }]],
    },
    {
      text: 'C:\\work\\app\\main.ts:12:4 - error',
      expected: [['C:\\work\\app\\main.ts:12:4', { kind: 'location', file: 'C:\\work\\app\\main.ts', line: 12, column: 4 }]],
    },
    { text: 'app/views.py:88: RuntimeWarning', expected: [['app/views.py:88', { kind: 'location', file: 'app/views.py', line: 88 }]] },
    { text: '127.0.0.1:8000 - "GET / HTTP/1.1" 200', expected: [] },
    { text: 'at 12:30:45 the job ran', expected: [] },
    { text: 'connecting to example.com:443', expected: [] },
    { text: 'localhost:5173 ready', expected: [] },
    { text: 'main.py:0 is not a line', expected: [] },
    {
      text: 'http://localhost:3000/src/app.js:10:2 served',
      expected: [['http://localhost:3000/src/app.js:10:2', { kind: 'url', url: 'http://localhost:3000/src/app.js:10:2' }]],
    },
  ];
  for (const c of table) {
    it(JSON.stringify(c.text), () => assert.deepEqual(links(c.text), c.expected));
  }

  it('trimUrl drops sentence punctuation and unbalanced closers only', () => {
    assert.equal(trimUrl('http://a.b/c.'), 'http://a.b/c');
    assert.equal(trimUrl('http://a.b/c),'), 'http://a.b/c');
    assert.equal(trimUrl('http://a.b/(c)'), 'http://a.b/(c)');
    assert.equal(trimUrl('http://a.b/c]'), 'http://a.b/c');
  });
});
